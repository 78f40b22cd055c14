"""When a notification is announced: one per new item, never for pauses, seeks or bursts."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from nowplaying_tray.app import TrayApp
from nowplaying_tray.services.notifications.desktop import Notification
from nowplaying_tray.simulator import SpotifySimulator, make_ad, make_episode, make_track
from tests.support import widgets

QUEUE = [
    make_track("First", ["Artist A"], "Album A", 200_000),
    make_track("Second", ["Artist B", "Guest"], "Album B", 200_000),
    make_track("Third", ["Artist C"], "Album C", 200_000),
    make_track("Fourth", ["Artist D"], "Album D", 200_000),
]


def poll(qtbot: QtBot, app: TrayApp) -> None:
    with qtbot.waitSignal(app.hub.playback_changed, timeout=5000):
        app.poller.poll_now("test")


def start_on_queue(qtbot: QtBot, app: TrayApp, sim: SpotifySimulator, queue: list) -> list:
    announced: list[Notification] = []
    app.announcer.announce.connect(announced.append)
    sim.player.set_queue(queue)
    poll(qtbot, app)
    return announced


def test_no_notification_for_what_plays_at_start(
    qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator
) -> None:
    announced: list[Notification] = []
    started_app.announcer.announce.connect(announced.append)
    with qtbot.assertNotEmitted(started_app.announcer.announce, wait=1000):
        poll(qtbot, started_app)
    assert announced == []


def test_one_notification_per_track_change(
    qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator
) -> None:
    start_on_queue(qtbot, started_app, sim, QUEUE)  # a new queue: "First" is announced
    sim.player.skip_next()
    with qtbot.waitSignal(started_app.announcer.announce, timeout=5000) as signal:
        poll(qtbot, started_app)
    notification: Notification = signal.args[0]
    assert notification.summary == "Second"
    # Each part isolated, so right-to-left names keep their place around the dash.
    assert notification.body == "\u2068Artist B, Guest\u2069 — \u2068Album B\u2069"
    assert notification.image_path  # the album art, fetched and cached on disk


def test_pause_resume_and_seek_are_silent(
    qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator
) -> None:
    start_on_queue(qtbot, started_app, sim, QUEUE)
    qtbot.waitSignal(started_app.announcer.announce, timeout=5000, raising=False).wait()
    with qtbot.assertNotEmitted(started_app.announcer.announce, wait=1500):
        sim.player.pause()
        poll(qtbot, started_app)
        sim.player.resume()
        poll(qtbot, started_app)
        sim.player.seek(100_000)
        poll(qtbot, started_app)


def test_quick_skips_give_one_notification(
    qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator
) -> None:
    announced = start_on_queue(qtbot, started_app, sim, QUEUE)
    qtbot.waitUntil(lambda: len(announced) == 1, timeout=5000)
    for _ in range(3):
        sim.player.skip_next()
        poll(qtbot, started_app)
    qtbot.waitUntil(lambda: len(announced) == 2, timeout=5000)
    with qtbot.assertNotEmitted(started_app.announcer.announce, wait=1500):
        pass
    assert [n.summary for n in announced] == ["First", "Fourth"]


def test_ads_are_silent_and_episodes_announced(
    qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator
) -> None:
    queue = [QUEUE[0], make_ad(30_000), make_episode("Episode 7", "The Show", 600_000)]
    announced = start_on_queue(qtbot, started_app, sim, queue)
    qtbot.waitUntil(lambda: len(announced) == 1, timeout=5000)
    sim.player.play_index(1)
    with qtbot.assertNotEmitted(started_app.announcer.announce, wait=1500):
        poll(qtbot, started_app)
    sim.player.play_index(2)
    with qtbot.waitSignal(started_app.announcer.announce, timeout=5000) as signal:
        poll(qtbot, started_app)
    assert signal.args[0].summary == "Episode 7"


def test_notifications_off_from_the_menu(
    qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator
) -> None:
    started_app.preferences.set_notifications(False)
    with qtbot.assertNotEmitted(started_app.announcer.announce, wait=1500):
        start_on_queue(qtbot, started_app, sim, QUEUE)
        sim.player.skip_next()
        poll(qtbot, started_app)
    assert started_app.preferences.current.notifications is False


def test_a_skip_from_the_popup_is_not_announced(
    qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator
) -> None:
    announced = start_on_queue(qtbot, started_app, sim, QUEUE)
    qtbot.waitUntil(lambda: len(announced) == 1, timeout=5000)
    started_app.presenter.show_popup()
    with qtbot.waitSignal(
        started_app.hub.playback_changed,
        timeout=5000,
        check_params_cb=lambda playback: playback.title == "Second",
    ):
        widgets.button(started_app.popup, "next").click()  # the card shows "Second" at once
    with qtbot.assertNotEmitted(started_app.announcer.announce, wait=1500):
        pass
    assert widgets.text(started_app.popup, "title") == "Second"
    assert [n.summary for n in announced] == ["First"]
    quiet = started_app.announcer.findChild(QTimer, "announce-quiet")
    qtbot.waitUntil(lambda: not quiet.isActive(), timeout=3000)  # only the skip's own change
    started_app.popup.hide()
    sim.player.skip_next()  # later, on another device, card closed: announced as usual
    poll(qtbot, started_app)
    qtbot.waitUntil(lambda: len(announced) == 2, timeout=5000)
    assert announced[-1].summary == "Third"


def test_no_notification_over_the_open_card(
    qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator
) -> None:
    announced = start_on_queue(qtbot, started_app, sim, QUEUE)
    qtbot.waitUntil(lambda: len(announced) == 1, timeout=5000)
    started_app.presenter.show_popup()
    qtbot.waitUntil(started_app.popup.isVisible)
    sim.player.skip_next()  # on another device, while the card is open: it shows it
    with qtbot.assertNotEmitted(started_app.announcer.announce, wait=1500):
        poll(qtbot, started_app)
    assert widgets.text(started_app.popup, "title") == "Second"
    started_app.popup.hide()
    sim.player.skip_next()  # the card closed: announced again
    poll(qtbot, started_app)
    qtbot.waitUntil(lambda: len(announced) == 2, timeout=5000)
    assert [n.summary for n in announced] == ["First", "Third"]
