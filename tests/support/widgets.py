"""Find widgets the way a person sees them: by objectName, with what they show.

Windows that build their contents lazily build them when shown or measured;
``find`` measures first (``sizeHint``), so a test can read a card nobody opened.
"""

from __future__ import annotations

import dataclasses
from typing import TypeVar

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QMenu, QWidget

from nowplaying_tray.core.settings import Settings
from nowplaying_tray.ui.popup.widgets import CoverView, MessageStrip, ProgressLine, VolumeSlider
from nowplaying_tray.ui.popup.window import TICKER_NAME
from nowplaying_tray.ui.setup.parts import Banner, Spinner

W = TypeVar("W", bound=QObject)

CARD_BUTTONS = ("previous", "play_pause", "next", "save", "open")


def find(parent: QWidget, kind: type[W], name: str) -> W:
    """The one child of ``kind`` called ``name``; fails the test when there is none."""
    parent.sizeHint()
    child = parent.findChild(kind, name)
    assert child is not None, f"no {kind.__name__} named {name!r} in {parent.objectName()!r}"
    return child


def text(parent: QWidget, name: str) -> str:
    """The whole text of a label (an elided label's full text), or "" when hidden."""
    label = find(parent, QLabel, name)
    if label.isHidden():
        return ""
    full_text = getattr(label, "full_text", None)
    return str(full_text()) if full_text is not None else label.text()


def message(popup: QWidget) -> str:
    strip = find(popup, MessageStrip, "message")
    return "" if strip.isHidden() else strip.text()


def button(parent: QWidget, name: str) -> QAbstractButton:
    return find(parent, QAbstractButton, name)


def buttons(popup: QWidget) -> dict[str, QAbstractButton]:
    return {name: button(popup, name) for name in CARD_BUTTONS}


def progress_text(popup: QWidget) -> str:
    return f"{find(popup, QLabel, 'elapsed').text()} / {find(popup, QLabel, 'total').text()}"


def progress_line(popup: QWidget) -> ProgressLine:
    return find(popup, ProgressLine, "progress")


def volume_slider(popup: QWidget) -> VolumeSlider:
    return find(popup, VolumeSlider, "volume")


def has_cover(popup: QWidget) -> bool:
    """True when real cover art (not the placeholder) is shown."""
    return find(popup, CoverView, "cover").has_cover()


def ticker(popup: QWidget) -> QTimer:
    popup_timer = popup.findChild(QTimer, TICKER_NAME)
    assert popup_timer is not None
    return popup_timer


# -- the setup window -------------------------------------------------------------------


def banner_text(window: QWidget, name: str) -> str:
    """A boxed note's text, or "" while it is hidden."""
    banner = find(window, Banner, name)
    return "" if banner.isHidden() else banner.text()


def highlighted(window: QWidget, name: str) -> bool:
    """True when a boxed note is drawn as a warning."""
    return find(window, Banner, name).tone() == "warning"


def setup_status(window: QWidget) -> str:
    """What the login step says: logging in, logged in as someone, or nothing."""
    progress = find(window, QWidget, "loginProgress")
    if not progress.isHidden():
        return find(progress, QLabel, "rowTitle").text()
    logged_in = find(window, Banner, "loggedInBanner")
    return "" if logged_in.isHidden() else logged_in.title()


def line_edit(window: QWidget, name: str) -> QLineEdit:
    return find(window, QLineEdit, name)


def spinning(window: QWidget) -> bool:
    return find(window, Spinner, "spinner").is_spinning()


# -- the tray menu ----------------------------------------------------------------------


def menu_entry(menu: QMenu, key: str, text: str | None = None) -> QAction:
    """The visible menu entry ``key`` (objectName ``menu-<key>``); when ``text`` is
    given, the entry must read it too ("&&" is shown as "&")."""
    action = menu.findChild(QAction, f"menu-{key}")
    assert action is not None, f"no menu entry {key!r}"
    assert action.isVisible(), f"menu entry {key!r} is hidden"
    if text is not None:
        shown = action.text().replace("&&", "&")
        assert shown == text, f"menu entry {key!r} reads {shown!r}, not {text!r}"
    return action


def recent_entries(menu: QMenu) -> list[QAction]:
    """The visible entries of the "Recently played" submenu, newest first."""
    submenu = menu.findChild(QMenu, "tray-menu-recent")
    assert submenu is not None, "no Recently played submenu"
    return [
        action
        for action in submenu.actions()
        if action.objectName().startswith("menu-recent-") and action.isVisible()
    ]


# -- the settings window ----------------------------------------------------------------

SETTING_NAMES = frozenset(field.name for field in dataclasses.fields(Settings))


def setting_editors(window: QWidget) -> dict[str, QWidget]:
    """Every input named after a setting, by that name."""
    window.sizeHint()
    return {
        child.objectName(): child
        for child in window.findChildren(QWidget)
        if child.objectName() in SETTING_NAMES
    }


def field_hint(window: QWidget, setting: str) -> str:
    """The hint under a text setting's box, or "" while it is hidden."""
    return text(find(window, QWidget, f"{setting}Field"), "hint")


def browse_button(window: QWidget, setting: str) -> QAbstractButton:
    return button(find(window, QWidget, f"{setting}Field"), "browseButton")


def account_text(window: QWidget) -> str:
    return find(find(window, QWidget, "accountPanel"), QLabel, "rowTitle").text()
