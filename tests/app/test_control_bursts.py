"""A burst of presses is one request: the daily budget is not spent by a nervous finger."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from nowplaying_tray.app import TrayApp
from nowplaying_tray.services.throttle import Throttle
from nowplaying_tray.simulator import SpotifySimulator, make_track
from tests.support import widgets

QUEUE = [make_track(f"Song {n}", ["Artist"], "Album", 200_000) for n in range(8)]


def sent(sim: SpotifySimulator, action: str) -> int:
    method = "POST" if action in ("next", "previous") else "PUT"
    return sim.count(f"/v1/me/player/{action}", method)


def start_with_queue(qtbot: QtBot, app: TrayApp, sim: SpotifySimulator) -> None:
    sim.player.set_queue(QUEUE)
    with qtbot.waitSignal(app.hub.playback_changed, timeout=5000):
        app.poller.poll_now("test")


def settle(qtbot: QtBot, app: TrayApp) -> None:
    qtbot.waitUntil(lambda: app.controls.idle and app.runner.pending == 0, timeout=5000)


def test_a_burst_of_next_clicks_is_one_skip(
    qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator
) -> None:
    start_with_queue(qtbot, started_app, sim)
    started_app.presenter.show_popup()
    for _ in range(6):
        widgets.button(started_app.popup, "next").click()
    qtbot.waitUntil(lambda: widgets.text(started_app.popup, "title") == "Song 1", timeout=5000)
    settle(qtbot, started_app)  # past the burst: nothing more went out
    assert sent(sim, "next") == 1 and sim.player.index == 1


def test_play_pause_sends_where_the_burst_ends(
    qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator
) -> None:
    start_with_queue(qtbot, started_app, sim)
    for _ in range(3):  # pause, play, pause: one pause
        started_app.controls.play_pause()
    qtbot.waitUntil(lambda: not sim.player.is_playing, timeout=5000)
    qtbot.waitUntil(lambda: started_app.tray.tooltip().startswith("Paused"), timeout=5000)
    settle(qtbot, started_app)
    assert (sent(sim, "pause"), sent(sim, "play")) == (1, 0)
    for _ in range(2):  # play, pause: it went out at once, then comes back
        started_app.controls.play_pause()
    qtbot.waitUntil(lambda: sent(sim, "pause") == 2, timeout=5000)
    assert sent(sim, "play") == 1 and not sim.player.is_playing


def test_throttle_merges_a_drag_into_its_first_and_last_value(qtbot: QtBot) -> None:
    values: list[int] = []
    throttle = Throttle(values.append, 200, name="seek-test")
    for value in range(50):  # one drag of the seek bar
        throttle(value)
    assert values == [0] and throttle.pending
    qtbot.waitUntil(lambda: values == [0, 49], timeout=2000)
    qtbot.waitUntil(lambda: throttle.idle, timeout=2000)
    throttle(7)  # a new drag starts at once
    assert values == [0, 49, 7]
    throttle.cancel()
    throttle.deleteLater()
