"""The tray icon: its picture, its tooltip, and a menu rebuilt from state each time it opens."""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QRect, QTimer, Signal, SignalInstance
from PySide6.QtGui import QAction, Qt
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from nowplaying_tray.core.presentation import TrayStatus
from nowplaying_tray.core.text import elide
from nowplaying_tray.ui.icons import TrayIconState, app_icon, tray_icon

logger = logging.getLogger(__name__)

MENU_HEADER_LIMIT = 60


@dataclass(frozen=True)
class MenuState:
    """Everything the menu needs to know at the moment it opens."""

    header: str
    has_item: bool = False
    playing: bool = False
    can_play_pause: bool = False
    can_next: bool = False
    can_previous: bool = False
    can_save: bool = False
    saved: bool | None = None
    has_link: bool = False
    notifications_on: bool = True
    logged_in: bool = False
    setup_needed: bool = False
    login_expiring: bool = False  # the 6-month login ends within days


class TrayView(QObject):
    """Signals: ``activated`` on a left click; one ``*_requested`` per menu entry;
    ``notifications_toggled(bool)``; ``unavailable`` when no system tray appeared in time.
    """

    activated = Signal()
    play_pause_requested = Signal()
    next_requested = Signal()
    previous_requested = Signal()
    save_requested = Signal()
    open_requested = Signal()
    copy_link_requested = Signal()
    refresh_requested = Signal()
    notifications_toggled = Signal(bool)
    login_requested = Signal()
    logout_requested = Signal()
    setup_requested = Signal()
    settings_requested = Signal()
    open_logs_requested = Signal()
    quit_requested = Signal()
    unavailable = Signal()

    def __init__(
        self,
        menu_state: Callable[[], MenuState],
        icon: QSystemTrayIcon | None = None,
        tray_wait_attempts: int = 30,
        tray_wait_interval_ms: int = 2000,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._menu_state = menu_state
        # An icon may already be on screen (shown while the app was loading): adopt it.
        self._icon = icon or QSystemTrayIcon(app_icon())
        self._icon.setParent(self)
        self._icon.setObjectName("tray-icon")
        self._icon.activated.connect(self._on_activated)
        self._menu = QMenu()
        self._menu.setObjectName("tray-menu")
        self._menu.aboutToShow.connect(self._rebuild_menu)
        self._icon.setContextMenu(self._menu)
        self._status: TrayStatus | None = None
        self._attempts_left = tray_wait_attempts
        self._wait_timer = QTimer(self)
        self._wait_timer.setObjectName("tray-wait")
        self._wait_timer.setInterval(tray_wait_interval_ms)
        self._wait_timer.timeout.connect(self._try_show)

    @property
    def icon(self) -> QSystemTrayIcon:
        return self._icon

    @property
    def menu(self) -> QMenu:
        return self._menu

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
        self._rebuild_menu()  # D-Bus tray hosts read the menu before anyone clicks
        if not self._try_show() and self._attempts_left > 0:
            self._wait_timer.start()

    def dispose(self) -> None:
        """Remove the icon from the tray and free the menu (it has no Qt parent)."""
        self._wait_timer.stop()
        self._icon.hide()
        self._icon.setContextMenu(None)  # type: ignore[arg-type]  # None detaches the menu
        self._menu.deleteLater()

    def set_status(self, status: TrayStatus) -> None:
        if status == self._status:
            return  # an unchanged tooltip is not re-sent to the tray host
        if self._status is None or status.kind != self._status.kind:
            self._icon.setIcon(tray_icon(TrayIconState[status.kind.name]))
        self._status = status
        self._icon.setToolTip(as_plain_tooltip(status.tooltip))

    def show_message(self, title: str, text: str) -> None:
        """The fallback notification: a tray balloon (Windows toast, macOS notification)."""
        self._icon.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, 5000)

    def _try_show(self) -> bool:
        if QSystemTrayIcon.isSystemTrayAvailable():
            self._wait_timer.stop()
            self._icon.show()
            return True
        self._attempts_left -= 1
        if self._attempts_left <= 0:
            self._wait_timer.stop()
            logger.warning("No system tray appeared; showing the window instead")
            self.unavailable.emit()
        return False

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.activated.emit()

    def _rebuild_menu(self) -> None:
        state = self._menu_state()
        menu = self._menu
        menu.clear()
        header = menu.addAction(elide(state.header, MENU_HEADER_LIMIT))
        header.setEnabled(False)
        menu.addSeparator()
        if state.has_item:
            self._add(
                menu,
                "Pause" if state.playing else "Play",
                self.play_pause_requested,
                state.can_play_pause,
            )
            self._add(menu, "Next", self.next_requested, state.can_next)
            self._add(menu, "Previous", self.previous_requested, state.can_previous)
            label = "Remove from library" if state.saved else "Save to library"
            self._add(menu, label, self.save_requested, state.can_save)
            self._add(menu, "Open in Spotify", self.open_requested, state.has_link)
            self._add(menu, "Copy link", self.copy_link_requested, state.has_link)
            menu.addSeparator()
        self._add(menu, "Refresh", self.refresh_requested, state.logged_in)
        notifications = self._add(menu, "Notifications", None, True)
        notifications.setCheckable(True)
        notifications.setChecked(state.notifications_on)
        notifications.toggled.connect(self.notifications_toggled.emit)
        menu.addSeparator()
        if state.setup_needed:
            self._add(menu, "Set up…", self.setup_requested, True)
        elif state.logged_in:
            if state.login_expiring:
                self._add(menu, "Log in again", self.login_requested, True)
            self._add(menu, "Log out", self.logout_requested, True)
        else:
            self._add(menu, "Log in", self.login_requested, True)
        self._add(menu, "Settings…", self.settings_requested, True)
        self._add(menu, "Open log folder", self.open_logs_requested, True)
        menu.addSeparator()
        self._add(menu, "Quit", self.quit_requested, True)

    def _add(self, menu: QMenu, text: str, signal: SignalInstance | None, enabled: bool) -> QAction:
        action = menu.addAction(text)
        action.setEnabled(enabled)
        if signal is not None:
            # triggered() carries a "checked" flag that our signals do not take.
            action.triggered.connect(lambda _checked=False, signal=signal: signal.emit())
        return action

    def action(self, text: str) -> QAction | None:
        """The menu entry with this text, for tests and accessibility tools."""
        for action in self._menu.actions():
            if action.text() == text:
                return action
        return None


def as_plain_tooltip(text: str) -> str:
    """``text`` as Qt will show it literally: Qt renders a tooltip that looks like HTML
    (a title such as ``<img src='file:///…'>``) as HTML, so such text goes out escaped."""
    if not Qt.mightBeRichText(text):
        return text
    lines = (html.escape(line, quote=False) for line in text.split("\n"))
    return "<p style='white-space:pre'>" + "<br>".join(lines) + "</p>"
