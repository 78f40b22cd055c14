"""The library state ("is it saved?") is read only when it is about to be seen: when the
card opens, when the menu is about to show; once per item, each read a counted request."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint
from pytestqt.qtbot import QtBot

from nowplaying_tray.app import TrayApp
from nowplaying_tray.simulator import SpotifySimulator, make_track

LIBRARY = "/v1/me/library/contains"


def library_reads(sim: SpotifySimulator) -> int:
    return sum(1 for request in sim.requests if request.path == LIBRARY)


def next_item(qtbot: QtBot, app: TrayApp, sim: SpotifySimulator) -> None:
    """A skip made on another device, seen by the tray."""
    before = app.hub.playback.uri if app.hub.playback is not None else None
    sim.player.skip_next()
    app.session.poll_now("test")
    qtbot.waitUntil(
        lambda: app.hub.playback is not None and app.hub.playback.uri != before, timeout=5000
    )


# A menu shown offscreen cannot grab the keyboard; Qt says so.
@pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard")
def test_no_library_request_while_nothing_is_shown(
    qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator
) -> None:
    app = started_app
    sim.player.set_queue([make_track(f"Item {n}", ["Artist"], "Album", 200_000) for n in range(6)])
    for _ in range(3):
        next_item(qtbot, app, sim)
    assert library_reads(sim) == 0

    app.presenter.show_popup()  # the card opens: its heart is read, once
    qtbot.waitUntil(lambda: library_reads(sim) == 1, timeout=5000)
    uri = app.hub.playback.uri if app.hub.playback is not None else None
    qtbot.waitUntil(lambda: app.controls.saved_state(uri) is not None, timeout=5000)
    app.popup.hide()

    spent = app.budget.view().spent
    next_item(qtbot, app, sim)
    assert library_reads(sim) == 1  # a new item no one sees

    menu = app.tray.menu
    menu.popup(QPoint(0, 0))  # the menu is about to show: its Save entry is read
    qtbot.waitUntil(lambda: library_reads(sim) == 2, timeout=5000)
    menu.hide()
    menu.popup(QPoint(0, 0))  # the same item again: from the cache
    menu.hide()
    app.presenter.show_popup()
    app.popup.hide()
    assert library_reads(sim) == 2
    # Every request is counted: the poll and the library read since ``spent`` (as each
    # answer reaches the app's worker, a moment after the simulator logged the request).
    qtbot.waitUntil(lambda: app.budget.view().spent >= spent + 2, timeout=5000)
