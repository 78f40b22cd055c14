"""The tray menu: one fixed set of entries, updated in place whenever the state changes.

A D-Bus tray host (StatusNotifierItem: KDE, xfce4-panel, GNOME's AppIndicator) reads
the exported menu before it opens it. A menu rebuilt on ``aboutToShow`` is exported
too late: the host lays out the previous contents, the first line is cut off and
entries shift under the pointer. So the entries are made once, and their text,
state and visibility follow the state as it changes, not when the menu opens.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton, QMenu, QMessageBox, QWidget

from nowplaying_tray.core.recent_list import RECENT_LIMIT
from nowplaying_tray.core.text import REMOVE_FROM_LIBRARY, SAVE_TO_LIBRARY, elide

logger = logging.getLogger(__name__)

MENU_HEADER_LIMIT = 60
RECENT_TEXT_LIMIT = 60


def escape_mnemonics(text: str) -> str:
    """Text for a menu entry or button: Qt reads "&" as a shortcut marker
    ("Simon & Garfunkel" would show as "Simon  Garfunkel"); "&&" is a literal "&"."""
    return text.replace("&", "&&")


@dataclass(frozen=True)
class MenuState:
    """Everything the menu shows."""

    header: str
    has_item: bool = False
    playing: bool = False
    can_play_pause: bool = False
    can_next: bool = False
    can_previous: bool = False
    can_save: bool = False
    saved: bool | None = None
    has_link: bool = False
    spotify_item: bool = True  # Spotify's own item: the save, open and link entries apply
    notifications_on: bool = True
    logged_in: bool = False
    setup_needed: bool = False
    login_expiring: bool = False  # the 6-month login ends within days
    recent: tuple[tuple[str, str], ...] = ()  # (text, link), newest first
    notice: str = ""  # why the daily budget holds polling back, when it does


# (key, text) in menu order; None is a separator.
_ENTRIES: tuple[tuple[str, str] | None, ...] = (
    ("header", "Now Playing"),
    ("notice", ""),
    None,
    ("play_pause", "Play"),
    ("next", "Next"),
    ("previous", "Previous"),
    ("save", SAVE_TO_LIBRARY),
    ("open", "Open in Spotify"),
    ("copy_link", "Copy link"),
    ("recent", "Recently played"),
    None,
    ("refresh", "Refresh"),
    ("notifications", "Notifications"),
    None,
    ("setup", "Set up…"),
    ("login_again", "Log in again"),
    ("logout", "Log out"),
    ("login", "Log in"),
    ("settings", "Settings…"),
    ("open_logs", "Open log folder"),
    None,
    ("quit", "Quit"),
)


class TrayMenu(QObject):
    """Signals: ``chosen(str)`` with the entry's key when a person picks it (the
    notifications entry sends ``notifications_toggled(bool)`` instead; "Log out" is
    asked about first); ``recent_chosen(str)`` with the link of a recently played item."""

    chosen = Signal(str)
    """The key of the entry a person picked."""
    recent_chosen = Signal(str)
    """The link of the recently played item picked."""
    notifications_toggled = Signal(bool)
    """The notifications entry, checked or not."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._menu = QMenu()
        self._menu.setObjectName("tray-menu")
        self._actions: dict[str, QAction] = {}
        self._recent_menu = QMenu("Recently played", self._menu)
        self._recent_menu.setObjectName("tray-menu-recent")
        self._recent: list[QAction] = []
        for index in range(RECENT_LIMIT):  # made once, shown as items come
            recent = self._recent_menu.addAction("")
            recent.setObjectName(f"menu-recent-{index}")
            recent.setVisible(False)
            recent.triggered.connect(lambda _checked=False, a=recent: self._on_recent(a))
            self._recent.append(recent)
        for entry in _ENTRIES:
            if entry is None:
                self._menu.addSeparator()
                continue
            key, text = entry
            if key == "recent":
                action = self._menu.addMenu(self._recent_menu)
                action.setObjectName("menu-recent")
                self._actions[key] = action
                continue
            action = self._menu.addAction(text)
            action.setObjectName(f"menu-{key}")
            self._actions[key] = action
            if key == "notifications":
                action.setCheckable(True)
                # triggered, not toggled: setChecked() from the state is no user choice.
                action.triggered.connect(self._on_notifications)
            elif key == "logout":
                action.triggered.connect(self._confirm_logout)
            elif key not in ("header", "notice"):
                action.triggered.connect(lambda _checked=False, key=key: self.chosen.emit(key))
        self._actions["header"].setEnabled(False)
        self._actions["notice"].setEnabled(False)
        self._actions["notice"].setVisible(False)
        self._state: MenuState | None = None
        self._confirm: QMessageBox | None = None

    def _on_notifications(self, checked: bool) -> None:
        self.notifications_toggled.emit(checked)

    def _on_recent(self, action: QAction) -> None:
        link = action.data()
        if isinstance(link, str) and link:
            self.recent_chosen.emit(link)

    @property
    def menu(self) -> QMenu:
        return self._menu

    def entry(self, key: str) -> QAction:
        return self._actions[key]

    def update(self, state: MenuState) -> None:
        """Bring every entry in line with ``state``; nothing is re-sent when unchanged."""
        if state == self._state:
            return
        self._state = state
        item = state.has_item
        self._set("header", elide(state.header, MENU_HEADER_LIMIT), enabled=False)
        self._set("notice", state.notice, enabled=False, visible=bool(state.notice))
        self._set("play_pause", "Pause" if state.playing else "Play", item, state.can_play_pause)
        self._set("next", "Next", item, state.can_next)
        self._set("previous", "Previous", item, state.can_previous)
        saved_text = REMOVE_FROM_LIBRARY if state.saved else SAVE_TO_LIBRARY
        spotify = item and state.spotify_item  # not for a local player's file
        self._set("save", saved_text, spotify, state.can_save)
        self._set("open", "Open in Spotify", spotify, state.has_link)
        self._set("copy_link", "Copy link", spotify, state.has_link)
        self._set("refresh", "Refresh", enabled=state.logged_in)
        self._actions["notifications"].setChecked(state.notifications_on)
        account = not state.setup_needed
        self._set("setup", "Set up…", visible=state.setup_needed)
        signed_in = account and state.logged_in
        self._set("login_again", "Log in again", signed_in and state.login_expiring)
        self._set("logout", "Log out", signed_in)
        self._set("login", "Log in", account and not state.logged_in)
        self._update_recent(state.recent)

    def _update_recent(self, recent: tuple[tuple[str, str], ...]) -> None:
        self._set("recent", "Recently played", enabled=bool(recent))
        for index, action in enumerate(self._recent):
            text, link = recent[index] if index < len(recent) else ("", "")
            action.setText(escape_mnemonics(elide(text, RECENT_TEXT_LIMIT)))
            action.setData(link)
            action.setVisible(bool(link))

    def _set(self, key: str, text: str, visible: bool = True, enabled: bool = True) -> None:
        # QAction ignores a value equal to the current one, so the host sees no change.
        action = self._actions[key]
        action.setText(escape_mnemonics(text))
        action.setVisible(visible)
        action.setEnabled(enabled)

    # "Log out" ---------------------------------------------------------------------------

    def _confirm_logout(self) -> None:
        if self._confirm is not None:
            self._confirm.raise_()
            return
        box, yes = _logout_box()
        self._confirm = box
        box.finished.connect(lambda _result: self._logout_answered(box, yes))
        box.open()  # not exec(): no nested event loop inside a D-Bus menu click

    def _logout_answered(self, box: QMessageBox, yes: QAbstractButton) -> None:
        self._confirm = None
        confirmed = box.clickedButton() is yes
        box.deleteLater()
        if confirmed:
            self.chosen.emit("logout")

    def confirmation(self) -> QMessageBox | None:
        """The open "Log out?" question, if any (for tests and accessibility tools)."""
        return self._confirm

    def dispose(self) -> None:
        if self._confirm is not None:
            self._confirm.deleteLater()
        self._menu.deleteLater()


def _logout_box(parent: QWidget | None = None) -> tuple[QMessageBox, QAbstractButton]:
    box = QMessageBox(parent)
    box.setObjectName("logout-confirm")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Log out — Now Playing")
    box.setText("Log out of Spotify?")
    box.setInformativeText("The stored login is removed from this computer.")
    logout = box.addButton("Log out", QMessageBox.ButtonRole.AcceptRole)
    logout.setObjectName("logout-confirm-yes")
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    return box, logout


__all__ = ["MENU_HEADER_LIMIT", "MenuState", "TrayMenu", "escape_mnemonics"]
