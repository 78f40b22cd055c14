"""Where the app's messages go: a desktop notification, or the tray's balloon without one."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal

from nowplaying_tray.core.errors import NowPlayingError
from nowplaying_tray.core.login_expiry import reminder_text
from nowplaying_tray.services.notifications.desktop import (
    LOGIN_ACTIONS,
    DesktopNotifications,
    Notification,
)

logger = logging.getLogger(__name__)


class NotificationChannel(QObject):
    """One channel for every message: D-Bus notifications, else the tray's balloon."""

    in_tray = Signal(str, str)
    """A title and text for the tray's own balloon (no notification server)."""

    def __init__(
        self, notifier: DesktopNotifications | None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._notifier = notifier  # app.py sends its ``unavailable`` to ``show_in_tray``

    def show(self, notification: Notification) -> None:
        if self._notifier is not None:
            self._notifier.show(notification)
        else:
            self.show_in_tray(notification)

    def tell(self, title: str, text: str) -> None:
        """A message that is not a track change: the same channel."""
        self.show(Notification(title, text))

    def tell_error(self, error: NowPlayingError) -> None:
        self.tell(error.title, error.message)

    def remind_login(self, days_left: int) -> None:
        title, text = reminder_text(days_left)
        self.show(Notification(title, text, actions=LOGIN_ACTIONS))

    def show_in_tray(self, notification: Notification) -> None:
        if notification.correction:
            return  # a balloon cannot be replaced: the first one stands
        self.in_tray.emit(notification.summary, notification.body)
