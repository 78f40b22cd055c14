"""The tray icon: its picture, its tooltip and its menu, kept current as the state changes."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, QRect, QTimer, Signal
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from nowplaying_tray.core.tray_status import TrayStatus
from nowplaying_tray.ui.icons import TrayIconState, app_icon, tray_icon
from nowplaying_tray.ui.tray_menu import MenuState, TrayMenu
from nowplaying_tray.ui.tray_tooltip import qt_draws_the_tooltip, tray_tooltip

if TYPE_CHECKING:
    from nowplaying_tray.ui.bus_tray_icon import TrayIcon

logger = logging.getLogger(__name__)


class TrayView(QObject):
    """Signals: ``activated`` on a left click; one ``*_requested`` per menu entry;
    ``notifications_toggled(bool)``; ``unavailable`` when no system tray appeared in time.
    """

    activated = Signal()
    """A left click (or double click) on the icon."""
    play_pause_requested = Signal()
    """The person chose "Play" or "Pause"."""
    next_requested = Signal()
    """The person chose "Next"."""
    previous_requested = Signal()
    """The person chose "Previous"."""
    save_requested = Signal()
    """Save to, or remove from, Your Library."""
    open_requested = Signal()
    """The person chose "Open in Spotify"."""
    open_url_requested = Signal(str)
    """A recently played item was chosen: its open.spotify.com link."""
    copy_link_requested = Signal()
    """The person chose "Copy link"."""
    refresh_requested = Signal()
    """The person chose "Refresh"."""
    notifications_toggled = Signal(bool)
    """Notifications switched on (True) or off."""
    login_requested = Signal()
    """The person chose "Log in" or "Log in again"."""
    logout_requested = Signal()
    """The person chose "Log out" and confirmed it."""
    setup_requested = Signal()
    """The person chose "Set up…"."""
    settings_requested = Signal()
    """The person chose "Settings…"."""
    open_logs_requested = Signal()
    """The person chose "Open log folder"."""
    quit_requested = Signal()
    """The person chose "Quit"."""
    unavailable = Signal()
    """No system tray appeared in time."""

    def __init__(
        self,
        icon: TrayIcon | None = None,
        tray_wait_attempts: int = 30,
        tray_wait_interval_ms: int = 500,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        # An icon may already be on screen (shown while the app was loading): adopt it.
        self._icon: TrayIcon = icon or QSystemTrayIcon(app_icon())
        self._icon.setParent(self)
        self._icon.setObjectName("tray-icon")
        self._icon.activated.connect(self._on_activated)
        self._tray_menu = TrayMenu(self)
        self._tray_menu.chosen.connect(self._on_chosen)
        self._tray_menu.notifications_toggled.connect(self.notifications_toggled.emit)
        self._tray_menu.recent_chosen.connect(self.open_url_requested.emit)
        self._menu = self._tray_menu.menu
        self._icon.setContextMenu(self._menu)
        self._click_pos: QPoint | None = None
        self._status: TrayStatus | None = None
        self._attempts_left = tray_wait_attempts
        self._wait_timer = QTimer(self)
        self._wait_timer.setObjectName("tray-wait")
        self._wait_timer.setInterval(tray_wait_interval_ms)
        self._wait_timer.timeout.connect(self._try_show)

    @property
    def icon(self) -> TrayIcon:
        return self._icon

    @property
    def menu(self) -> QMenu:
        return self._menu

    @property
    def tray_menu(self) -> TrayMenu:
        return self._tray_menu

    @property
    def click_pos(self) -> QPoint | None:
        """Where the pointer was at the last click on the icon: the icon's place when
        the tray host does not tell (StatusNotifierItem hosts never do)."""
        return self._click_pos

    @property
    def status(self) -> TrayStatus | None:
        return self._status

    def tooltip(self) -> str:
        return self._icon.toolTip()

    def geometry(self) -> QRect | None:
        rect = self._icon.geometry()
        return rect if rect.isValid() and not rect.isEmpty() else None

    def show(self) -> None:
        """Show the icon; if no tray exists yet (the panel starts after us), keep trying."""
        if not self._try_show() and self._attempts_left > 0:
            self._wait_timer.start()

    def dispose(self) -> None:
        """Remove the icon from the tray and free the menu (it has no Qt parent)."""
        self._wait_timer.stop()
        self._icon.hide()
        self._icon.setContextMenu(None)  # type: ignore[arg-type]  # None detaches the menu
        self._tray_menu.dispose()

    def set_status(self, status: TrayStatus) -> None:
        if status != self._status:  # an unchanged tooltip is not re-sent to the tray host
            if self._status is None or status.kind != self._status.kind:
                self._icon.setIcon(tray_icon(TrayIconState[status.kind.name]))
            self._status = status
            self._icon.setToolTip(tray_tooltip(status.tooltip))

    def update_menu(self, state: MenuState) -> None:
        """Bring the menu in line with ``state``, before anyone opens it (a D-Bus tray
        host lays out the exported menu before it opens)."""
        self._tray_menu.update(state)

    def show_message(self, title: str, text: str) -> None:
        """The fallback notification: a tray balloon (Windows toast, macOS notification)."""
        self._icon.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, 5000)

    def _try_show(self) -> bool:
        if self._icon.isSystemTrayAvailable():
            self._wait_timer.stop()
            self._icon.show()
            xembed = qt_draws_the_tooltip()
            logger.info(
                "Tray icon shown (%s)",
                "XEmbed: Qt draws the tooltip" if xembed else "the tray draws the tooltip",
            )
            if self._status is not None:  # now it is known who draws the tooltip
                self._icon.setToolTip(tray_tooltip(self._status.tooltip))
            return True
        self._attempts_left -= 1
        if self._attempts_left <= 0:
            self._wait_timer.stop()
            logger.info("No system tray appeared")
            self.unavailable.emit()
        return False

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self._click_pos = QCursor.pos()
            self.activated.emit()

    def _on_chosen(self, key: str) -> None:
        signals = {
            "play_pause": self.play_pause_requested,
            "next": self.next_requested,
            "previous": self.previous_requested,
            "save": self.save_requested,
            "open": self.open_requested,
            "copy_link": self.copy_link_requested,
            "refresh": self.refresh_requested,
            "setup": self.setup_requested,
            "login_again": self.login_requested,
            "logout": self.logout_requested,
            "login": self.login_requested,
            "settings": self.settings_requested,
            "open_logs": self.open_logs_requested,
            "quit": self.quit_requested,
        }
        signals[key].emit()


__all__ = ["MenuState", "TrayView"]
