"""Seek on the progress line and the volume slider in the card: one drag, one request."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from nowplaying_tray.app import TrayApp
from nowplaying_tray.simulator import SpotifySimulator, make_ad, make_track
from tests.support import widgets

QUEUE = [make_track("Long Song", ["Artist"], "Album", 200_000)]


def open_card(qtbot: QtBot, app: TrayApp, sim: SpotifySimulator) -> None:
    sim.player.set_queue(QUEUE)
    with qtbot.waitSignal(app.hub.playback_changed, timeout=5000):
        app.poller.poll_now("test")
    app.presenter.show_popup()
    qtbot.waitExposed(app.popup)


def settle(qtbot: QtBot, app: TrayApp) -> None:
    qtbot.waitUntil(lambda: app.controls.idle and app.runner.pending == 0, timeout=5000)


def test_dragging_the_line_seeks_once(
    qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator
) -> None:
    open_card(qtbot, started_app, sim)
    sim.player.pause()  # the position then stays where the seek put it
    with qtbot.waitSignal(started_app.hub.playback_changed, timeout=5000):
        started_app.poller.poll_now("paused")
    line = widgets.progress_line(started_app.popup)
    y = line.height() // 2
    QTest.mousePress(line, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(5, y))
    for x in range(10, line.width() * 3 // 4, 7):  # a drag of many small moves
        QTest.mouseMove(line, QPoint(x, y))
    target_x = line.width() // 2
    QTest.mouseMove(line, QPoint(target_x, y))
    assert line.dragging()
    QTest.mouseRelease(
        line, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(target_x, y)
    )
    wanted = line.position_at(target_x)
    assert abs(wanted - 100_000) < 2_000
    assert widgets.progress_line(started_app.popup).value() == wanted  # shown at once
    qtbot.waitUntil(lambda: sim.count("/v1/me/player/seek", "PUT") == 1, timeout=5000)
    settle(qtbot, started_app)
    assert sim.count("/v1/me/player/seek", "PUT") == 1
    assert abs(sim.player.state().progress_ms - wanted) < 1_000


def test_an_advert_cannot_be_seeked(
    qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator
) -> None:
    sim.player.set_queue([make_ad(30_000)])
    with qtbot.waitSignal(started_app.hub.playback_changed, timeout=5000):
        started_app.poller.poll_now("test")
    started_app.presenter.show_popup()
    line = widgets.progress_line(started_app.popup)
    QTest.mouseClick(line, Qt.MouseButton.LeftButton, pos=QPoint(line.width() // 2, 6))
    assert not line.dragging()
    with qtbot.assertNotEmitted(started_app.popup.seek_requested):
        QTest.mouseClick(line, Qt.MouseButton.LeftButton, pos=QPoint(10, 6))


def test_the_volume_slider_sets_the_device_volume(
    qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator
) -> None:
    open_card(qtbot, started_app, sim)
    slider = widgets.volume_slider(started_app.popup)
    assert slider.isVisible() and slider.value() == 70
    slider.setSliderDown(True)  # a drag: the handle moves, nothing is sent yet
    for value in range(70, 20, -3):
        slider.setSliderPosition(value)
    assert sim.count("/v1/me/player/volume", "PUT") == 0
    slider.setSliderDown(False)  # released at 22
    qtbot.waitUntil(lambda: sim.player.state().device["volume_percent"] == 22, timeout=5000)
    settle(qtbot, started_app)
    assert sim.count("/v1/me/player/volume", "PUT") == 1
    for _ in range(6):  # six wheel steps up in a row: the first and the last
        slider.triggerAction(slider.SliderAction.SliderSingleStepAdd)
    qtbot.waitUntil(lambda: sim.player.state().device["volume_percent"] == 52, timeout=5000)
    settle(qtbot, started_app)
    assert sim.count("/v1/me/player/volume", "PUT") == 3
    assert slider.value() == 52


def test_no_volume_control_where_the_device_has_none(
    qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator
) -> None:
    sim.player.device["supports_volume"] = False
    open_card(qtbot, started_app, sim)
    assert not widgets.volume_slider(started_app.popup).isVisible()
    assert widgets.text(started_app.popup, "device") == "Living Room Speaker"


def test_a_refused_volume_change_is_said_plainly(
    qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator
) -> None:
    open_card(qtbot, started_app, sim)
    sim.player.device["supports_volume"] = False  # changed since the last read
    slider = widgets.volume_slider(started_app.popup)
    slider.triggerAction(slider.SliderAction.SliderSingleStepSub)
    qtbot.waitUntil(
        lambda: (
            widgets.message(started_app.popup)
            == "This device does not let Spotify change its volume from here."
        ),
        timeout=5000,
    )
    qtbot.waitUntil(lambda: not widgets.volume_slider(started_app.popup).isVisible(), timeout=5000)


def test_space_on_the_card_toggles_play(
    qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator
) -> None:
    open_card(qtbot, started_app, sim)
    QTest.keyClick(started_app.popup, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not sim.player.is_playing, timeout=5000)
    qtbot.waitUntil(lambda: started_app.tray.tooltip().startswith("Paused"), timeout=5000)
