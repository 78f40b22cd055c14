"""Album art is downloaded on a thread of its own, within the request deadline: a cover
that trickles in never holds up a poll, and ends when its deadline does."""

from __future__ import annotations

import json
import socket
import time
from dataclasses import replace
from pathlib import Path

from pytestqt.qtbot import QtBot

from nowplaying_tray.app import TrayApp
from nowplaying_tray.core.budget import budget_file
from nowplaying_tray.core.memory_keyring import MemoryKeyring
from nowplaying_tray.core.paths import AppPaths
from nowplaying_tray.core.settings import Settings
from nowplaying_tray.simulator import SpotifySimulator, make_track
from tests.app.conftest import dispose, make_app

QUEUE = [
    make_track("First", ["A"], "Album One", 200_000),
    make_track("Second", ["B"], "Album Two", 200_000),
]


def test_a_trickling_cover_holds_up_no_poll_and_ends_at_its_deadline(
    qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator
) -> None:
    sim.fail_next("trickle", path="/_sim/art/", delay=0.5, times=None)  # minutes per cover
    cover = f"{sim.base_url}/_sim/art/{QUEUE[1]['art_id']}/300.png"
    started = time.monotonic()
    with qtbot.waitSignal(started_app.artwork.failed, timeout=8000):
        started_app.artwork.request(cover)
        sim.player.set_queue(QUEUE)
        # Polls go on while the cover trickles.
        for title in ("First", "Second"):
            with qtbot.waitSignal(
                started_app.poller.playback_changed,
                timeout=3000,
                check_params_cb=lambda playback, title=title: playback.title == title,
            ):
                started_app.poller.poll_now("test")
            if title == "First":
                sim.player.skip_next()
    # The request timeout (2 s) is the whole download's deadline.
    assert time.monotonic() - started < 2 + 3


def test_a_request_count_with_huge_numbers_is_set_aside_and_tracks_are_shown(
    qtbot: QtBot, logged_in: Settings, app_paths: AppPaths, memory_keyring: MemoryKeyring
) -> None:
    path = budget_file(app_paths.state_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"version": 1, "requests": [10**400]}))
    app = make_app(logged_in, app_paths, memory_keyring)
    try:
        with qtbot.waitSignal(app.poller.playback_changed, timeout=5000):
            app.start()
        assert app.poller.error is None
        assert app.budget.view().spent >= 1
        assert list(path.parent.glob(f"{path.name}.*.bak"))
    finally:
        dispose(app)


def test_art_downloads_use_the_timeout_in_effect(qtbot: QtBot, started_app: TrayApp) -> None:
    # A server that accepts and never answers: only the read timeout ends the download.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()
    try:
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/cover.png"
        session = started_app.session
        session.apply_settings(replace(session.settings, request_timeout_s=0.3))  # from 2 s
        with qtbot.waitSignal(started_app.artwork.failed, timeout=1500) as failed:
            started_app.artwork.request(url)
        assert failed.args == [url]
    finally:
        silent.close()


def test_art_is_kept_in_the_cache_dir(
    qtbot: QtBot, started_app: TrayApp, app_paths: AppPaths
) -> None:
    playback = started_app.poller.playback
    assert playback is not None
    url = playback.art_url(300)
    assert url is not None
    with qtbot.waitSignal(started_app.artwork.loaded, timeout=5000) as loaded:
        started_app.artwork.request(url)
    assert loaded.args[0] == url
    assert Path(loaded.args[1]).is_relative_to(app_paths.cache_dir / "art")
