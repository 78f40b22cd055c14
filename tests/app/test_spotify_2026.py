"""The tray app against what development-mode Spotify really sends in 2026, over HTTP:
item-less reads mid-transition, restriction 403s, adverts, episodes without a publisher,
odd bodies and odd 429s."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from nowplaying_tray.app import TrayApp
from nowplaying_tray.core.errors import RateLimited
from nowplaying_tray.core.memory_keyring import MemoryKeyring
from nowplaying_tray.core.model import PlaybackState
from nowplaying_tray.core.paths import AppPaths
from nowplaying_tray.core.settings import Settings
from nowplaying_tray.core.tray_status import StatusKind
from nowplaying_tray.services.notifications.desktop import Notification
from nowplaying_tray.simulator import (
    SpotifySimulator,
    make_ad,
    make_episode,
    make_track,
    without_image_sizes,
)
from tests.app.conftest import dispose, make_app
from tests.support import widgets

QUEUE = [
    make_track("First", ["Artist A"], "Album A", 200_000),
    make_track("Second", ["Artist B"], "Album B", 200_000),
]
PLAYER = "/v1/me/player"


def poll(qtbot: QtBot, app: TrayApp) -> None:
    with qtbot.waitSignal(app.hub.playback_changed, timeout=5000):
        app.poller.poll_now("test")


def menu_entry(app: TrayApp, key: str, text: str | None = None):
    # the menu follows the state; nothing to do before reading it
    return widgets.menu_entry(app.tray.menu, key, text)


@pytest.fixture
def exporting_app(
    qtbot: QtBot,
    logged_in: Settings,
    app_paths: AppPaths,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
) -> Iterator[TrayApp]:
    """The app with the now-playing file on and notifications for adverts too."""
    settings = logged_in.with_changes(nowplaying_file=str(tmp_path / "now.txt"), notify_ads=True)
    app = make_app(settings, app_paths, memory_keyring)
    with qtbot.waitSignal(app.hub.playback_changed, timeout=5000):
        app.start()
    yield app
    dispose(app)


def test_an_advert_leaves_no_dangling_separator(
    qtbot: QtBot, exporting_app: TrayApp, sim: SpotifySimulator, tmp_path: Path
) -> None:
    announced: list[Notification] = []
    exporting_app.announcer.announce.connect(announced.append)
    sim.player.set_queue([*QUEUE, make_ad(30_000)])
    poll(qtbot, exporting_app)
    sim.player.play_index(2)
    poll(qtbot, exporting_app)
    assert exporting_app.tray.tooltip() == "Advertisement"
    assert menu_entry(exporting_app, "header", "Advertisement").isEnabled() is False  # the header
    text_file = tmp_path / "now.txt"
    qtbot.waitUntil(lambda: text_file.exists() and text_file.read_text() == "Advertisement")
    qtbot.waitUntil(lambda: bool(announced) and announced[-1].summary == "Advertisement")
    assert announced[-1].body == ""


def test_an_episode_without_publisher_shows_its_show(
    qtbot: QtBot, exporting_app: TrayApp, sim: SpotifySimulator, tmp_path: Path
) -> None:
    announced: list[Notification] = []
    exporting_app.announcer.announce.connect(announced.append)
    sim.player.set_queue([QUEUE[0], make_episode("Episode 7", "The Loop Station", 600_000)])
    poll(qtbot, exporting_app)
    sim.player.skip_next()
    poll(qtbot, exporting_app)
    assert exporting_app.tray.tooltip() == "Episode 7 — The Loop Station"
    assert widgets.text(exporting_app.popup, "artist") == "The Loop Station"
    assert widgets.text(exporting_app.popup, "album") == ""  # named once, not twice
    assert menu_entry(exporting_app, "header", "Episode 7 — The Loop Station") is not None
    text_file = tmp_path / "now.txt"
    qtbot.waitUntil(lambda: text_file.read_text() == "The Loop Station — Episode 7")
    qtbot.waitUntil(lambda: bool(announced) and announced[-1].summary == "Episode 7")
    assert announced[-1].body == "\u2068The Loop Station\u2069"  # the show, once


def test_no_item_while_playing_keeps_the_last_item(
    qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator
) -> None:
    announced: list[Notification] = []
    started_app.announcer.announce.connect(announced.append)
    sim.player.set_queue(QUEUE)
    poll(qtbot, started_app)
    qtbot.waitUntil(lambda: [n.summary for n in announced] == ["First"], timeout=5000)
    sim.set_transition_reads(1)  # every command leaves one read with item: null
    shown: list[str] = []
    started_app.hub.playback_changed.connect(lambda p: shown.append(p.title))
    menu_entry(started_app, "next").trigger()
    qtbot.waitUntil(lambda: started_app.tray.tooltip().startswith("Second"), timeout=5000)
    assert shown[0] == "First"  # the read in between showed what was there, not a blank
    assert sim.count(PLAYER) >= 2
    menu_entry(started_app, "play_pause", "Pause").trigger()
    qtbot.waitUntil(lambda: started_app.tray.tooltip().startswith("Paused: Second"))
    menu_entry(started_app, "play_pause", "Play").trigger()
    qtbot.waitUntil(
        lambda: (
            started_app.tray.status is not None
            and started_app.tray.status.kind is StatusKind.PLAYING
            and len(shown) >= 6
        )
    )
    assert None not in shown
    with qtbot.assertNotEmitted(started_app.announcer.announce, wait=1000):
        pass
    assert [n.summary for n in announced] == ["First", "Second"]  # once each, none blank


def test_a_restricted_control_reads_again_quietly(
    qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator
) -> None:
    sim.player.set_queue(QUEUE)
    poll(qtbot, started_app)
    started_app.presenter.show_popup()
    sim.player.pause()  # on another device: the app still shows it playing
    messages: list[object] = []
    started_app.controls.message.connect(messages.append)
    with qtbot.waitSignal(
        started_app.hub.playback_changed,
        timeout=5000,
        check_params_cb=lambda p: p.state is PlaybackState.PAUSED,
    ):
        widgets.button(started_app.popup, "play_pause").click()  # a pause, refused: 403
    assert sim.requests[-2].path == "/v1/me/player/pause" and sim.requests[-2].status == 403
    assert messages == [None]
    assert widgets.message(started_app.popup) == ""
    assert started_app.tray.tooltip().startswith("Paused: First")


def test_controls_an_advert_disallows_are_disabled(
    qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator
) -> None:
    sim.player.set_queue([make_ad(30_000), *QUEUE])
    poll(qtbot, started_app)
    buttons = widgets.buttons(started_app.popup)
    assert not buttons["next"].isEnabled() and not buttons["previous"].isEnabled()
    assert buttons["play_pause"].isEnabled()
    assert not menu_entry(started_app, "next").isEnabled()
    assert not menu_entry(started_app, "previous").isEnabled()
    assert menu_entry(started_app, "play_pause", "Pause").isEnabled()
    sim.player.skip_next()  # the advert is over
    poll(qtbot, started_app)
    assert buttons["next"].isEnabled() and menu_entry(started_app, "next").isEnabled()


def test_a_json_null_body_is_nothing_playing(
    qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator
) -> None:
    sim.fail_next("null_200", path=PLAYER)
    poll(qtbot, started_app)
    assert started_app.hub.error is None
    assert started_app.tray.tooltip() == "Nothing playing"


def test_art_without_widths_is_fetched_at_the_largest_size(
    qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator
) -> None:
    sim.player.set_queue([without_image_sizes(QUEUE[1])])
    art = f"/_sim/art/{QUEUE[1]['art_id']}/"
    with qtbot.waitSignal(
        started_app.artwork.loaded, timeout=5000, check_params_cb=lambda url, *_: art in url
    ) as loaded:
        poll(qtbot, started_app)
    assert loaded.args[0] == f"{sim.base_url}{art}640.png"  # listed first: the widest


def test_retry_after_zero_still_holds_polls_back(
    qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator
) -> None:
    sim.fail_next("rate_limit", retry_after=0, path=PLAYER)
    with qtbot.waitSignal(started_app.hub.error_changed, timeout=5000):
        started_app.poller.poll_now("test")
    retry_in = started_app.poller.retry_in_s()
    assert retry_in is not None and retry_in > 2.5
    sim.clear_log()
    with qtbot.assertNotEmitted(started_app.hub.playback_changed, wait=1000):
        started_app.poller.poll_now("popup opened")  # not even a poll-now gets through
    assert sim.count(PLAYER) == 0
    assert started_app.tray.tooltip().startswith("Rate-limited by Spotify — retrying in")


def test_a_bare_429_is_a_rate_limit_not_a_used_up_quota(
    qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator
) -> None:
    sim.fail_next("rate_limit", retry_after=None, body=False, path=PLAYER)
    with qtbot.waitSignal(started_app.hub.error_changed, timeout=5000) as changed:
        started_app.poller.poll_now("test")
    error = changed.args[0]
    assert isinstance(error, RateLimited) and not error.quota_exceeded
    assert error.retry_after >= 3
    assert started_app.tray.tooltip().startswith("Rate-limited by Spotify — retrying in")


def test_the_last_item_is_kept_for_a_few_reads_only(
    qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator
) -> None:
    sim.player.set_queue(QUEUE)
    poll(qtbot, started_app)
    sim.set_transition_reads(5)
    titles: list[str | None] = []
    started_app.hub.playback_changed.connect(lambda p: titles.append(p.title))
    with qtbot.waitSignal(started_app.hub.playback_changed, timeout=5000):
        menu_entry(started_app, "next").trigger()  # the read after it is the first blank one
    for _ in range(4):
        poll(qtbot, started_app)
    # Spotify said "playing, no item" for longer than a change of item takes: believe it.
    assert titles == ["First", "First", "First", None, None]
    assert started_app.tray.tooltip() == "Nothing playing"
