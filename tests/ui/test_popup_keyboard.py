"""The card by keyboard: every Tab stop shows where the focus is, none is invisible,
and the progress line seeks with the arrow keys."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from nowplaying_tray.ui.popup.keyboard import SEEK_STEP_MS
from nowplaying_tray.ui.popup.window import PopupWindow
from tests.support import widgets
from tests.support.clock import FakeClock
from tests.ui.test_popup import show, track


@pytest.fixture
def popup(qtbot: QtBot, clock: FakeClock) -> PopupWindow:
    window = PopupWindow(clock=clock)
    qtbot.addWidget(window)
    window.show_playback(track(clock, volume_percent=40))
    window.show_saved(False)
    show(qtbot, window)
    return window


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def tab(qtbot: QtBot, popup: PopupWindow, backwards: bool = False) -> QWidget:
    key = Qt.Key.Key_Backtab if backwards else Qt.Key.Key_Tab
    qtbot.keyClick(focused() or popup, key)
    widget = focused()
    assert widget is not None
    return widget


def looks(widget: QWidget) -> QImage:
    return widget.grab().toImage()


def test_the_first_tab_lands_on_a_visible_control_and_every_stop_is_one(
    qtbot: QtBot, popup: PopupWindow
) -> None:
    assert focused() is popup  # nothing shows a ring before the keyboard is used
    stops = [tab(qtbot, popup) for _ in range(9)]
    names = [stop.objectName() for stop in stops]
    assert popup not in stops, names
    assert all(stop.isVisible() and stop.isEnabled() for stop in stops), names
    cycle = names[: names.index(names[0], 1)]
    assert cycle == ["volume", "progress", "save", "previous", "play_pause", "next", "open"]


def test_every_stop_shows_a_focus_ring(qtbot: QtBot, popup: PopupWindow) -> None:
    first = tab(qtbot, popup)
    stop = first
    seen = []
    while True:
        with_focus = looks(stop)
        popup.setFocus()  # the card itself: no ring anywhere
        qtbot.waitUntil(lambda stop=stop: not stop.hasFocus())
        assert looks(stop) != with_focus, f"{stop.objectName()} shows no focus ring"
        seen.append(stop.objectName())
        stop.setFocus(Qt.FocusReason.TabFocusReason)
        stop = tab(qtbot, popup)
        if stop is first:
            break
    assert "volume" in seen and "progress" in seen


def test_the_arrow_keys_on_the_progress_line_seek_five_seconds(
    qtbot: QtBot, popup: PopupWindow
) -> None:
    line = widgets.progress_line(popup)
    while focused() is not line:
        tab(qtbot, popup)
    start = line.value()  # 78_810 of 230_400
    with qtbot.waitSignal(popup.seek_requested) as right:
        qtbot.keyClick(line, Qt.Key.Key_Right)
    assert right.args == [start + SEEK_STEP_MS]
    assert widgets.progress_text(popup).startswith("1:23")  # shown at once
    with qtbot.waitSignal(popup.seek_requested) as left:
        qtbot.keyClick(line, Qt.Key.Key_Left)
    assert left.args == [start]
    with qtbot.waitSignal(popup.seek_requested) as home:
        qtbot.keyClick(line, Qt.Key.Key_Home)
    assert home.args == [0]
    with qtbot.waitSignal(popup.seek_requested) as left_at_start:
        qtbot.keyClick(line, Qt.Key.Key_Left)
    assert left_at_start.args == [0]  # never before the start


def test_a_track_that_cannot_seek_ignores_the_arrow_keys(
    qtbot: QtBot, popup: PopupWindow, clock: FakeClock
) -> None:
    popup.show_playback(track(clock, volume_percent=40, disallows=frozenset({"seeking"})))
    line = widgets.progress_line(popup)
    line.setFocus(Qt.FocusReason.TabFocusReason)
    with qtbot.assertNotEmitted(popup.seek_requested):
        qtbot.keyClick(line, Qt.Key.Key_Right)
