"""Lyrics in the running app, over HTTP against the simulator's LRCLIB: the card shows the
line being sung and the next, in time with the position; misses and failures stay quiet."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from nowplaying_tray.app import TrayApp
from nowplaying_tray.core.memory_keyring import MemoryKeyring
from nowplaying_tray.core.paths import AppPaths
from nowplaying_tray.core.settings import Settings
from nowplaying_tray.simulator import SpotifySimulator, make_track
from nowplaying_tray.simulator.desktop_client import DesktopClient
from nowplaying_tray.ui.popup.lyrics_panel import INSTRUMENTAL, PANEL_NAME
from tests.app.conftest import dispose, make_app
from tests.support import widgets
from tests.support.web_api import web_api_requests

PAPER = make_track("Paper Lanterns", ["The Velvet Orchard"], "Night Market Radio", 32_000)
NORTHBOUND = make_track("Northbound Static", ["Kestrel Avenue"], "Mile Markers", 35_000)
DESERT = make_track("رسائل الصحراء", ["ليلى والقمر"], "Desert Letters", 30_000)
SLOW_TIDE = make_track("Slow Tide", ["Marisol Vega"], "Harbour Lights", 40_000)
SIGNAL_MS = 5000


@pytest.fixture
def app(
    qtbot: QtBot,
    logged_in: Settings,
    app_paths: AppPaths,
    memory_keyring: MemoryKeyring,
    sim: SpotifySimulator,
) -> Iterator[TrayApp]:
    sim.player.set_idle()  # each test plays its own item
    app = make_app(replace(logged_in, lyrics=True), app_paths, memory_keyring)
    with qtbot.waitSignal(app.poller.playback_changed, timeout=SIGNAL_MS):
        app.start()
    app.presenter.show_popup()
    qtbot.waitExposed(app.popup)
    yield app
    dispose(app)


def play(qtbot: QtBot, app: TrayApp, sim: SpotifySimulator, item: dict, at_ms: int = 0) -> None:
    sim.player.set_queue([item])
    if at_ms:
        sim.player.seek(at_ms)
    with qtbot.waitSignal(app.poller.playback_changed, timeout=SIGNAL_MS):
        app.poller.poll_now("test")


def panel(app: TrayApp) -> QWidget:
    found = app.popup.findChild(QWidget, PANEL_NAME)
    assert found is not None
    return found


def shown(app: TrayApp, name: str) -> str:
    """What the card's lyric label ``name`` says, "" when it is not on screen."""
    label = app.popup.findChild(QLabel, name)
    assert label is not None
    return label.full_text() if label.isVisibleTo(app.popup) else ""  # type: ignore[attr-defined]


def get_requests(sim: SpotifySimulator) -> int:
    return sim.count("/api/get")


def test_synced_line_and_the_next_follow_the_position(
    qtbot: QtBot, app: TrayApp, sim: SpotifySimulator
) -> None:
    play(qtbot, app, sim, PAPER, at_ms=4_700)
    qtbot.waitUntil(
        lambda: shown(app, "lyricLine") == "Paper lanterns on the river", timeout=SIGNAL_MS
    )
    assert shown(app, "lyricNext") == "Every light a small goodbye"
    with qtbot.waitSignal(app.lyrics.line_changed, timeout=SIGNAL_MS) as changed:
        pass  # the line at 5.5 s comes by the position alone, with no poll
    assert changed.args == ["Every light a small goodbye"]
    assert shown(app, "lyricLine") == "Every light a small goodbye"
    assert shown(app, "lyricNext") == "We were counting down the neon"  # the pause skipped
    assert app.lyrics.current is not None and app.lyrics.current.synced


def test_a_seek_re_syncs_the_lines(qtbot: QtBot, app: TrayApp, sim: SpotifySimulator) -> None:
    play(qtbot, app, sim, PAPER, at_ms=1_500)
    qtbot.waitUntil(
        lambda: shown(app, "lyricLine") == "Paper lanterns on the river", timeout=SIGNAL_MS
    )
    # A seek from another device, seen at the next poll.
    sim.player.seek(22_000)
    with qtbot.waitSignal(app.lyrics.line_changed, timeout=SIGNAL_MS) as changed:
        app.poller.poll_now("seeked elsewhere")
    assert changed.args == ["Float away, float away"]
    assert shown(app, "lyricNext") == "Carry what we could not say"
    # A seek on the card's own progress line: the lines follow before any poll.
    with qtbot.waitSignal(app.lyrics.line_changed, timeout=SIGNAL_MS) as changed:
        app.popup.seek_requested.emit(13_000)
    assert changed.args == ["We were counting down the neon"]
    assert shown(app, "lyricLine") == "We were counting down the neon"


def test_plain_lyrics_scroll(qtbot: QtBot, app: TrayApp, sim: SpotifySimulator) -> None:
    play(qtbot, app, sim, NORTHBOUND)

    def plain_view() -> QPlainTextEdit | None:
        found = app.popup.findChild(QPlainTextEdit, "lyricsText")
        return found if found is not None and found.isVisibleTo(app.popup) else None

    qtbot.waitUntil(lambda: plain_view() is not None, timeout=SIGNAL_MS)
    text = plain_view()
    assert text is not None
    assert text.toPlainText().startswith("Static on the northbound line")
    assert text.isReadOnly() and text.verticalScrollBar().maximum() > 0  # more than fits
    assert shown(app, "lyricLine") == ""


def test_an_instrumental_says_so(qtbot: QtBot, app: TrayApp, sim: SpotifySimulator) -> None:
    play(qtbot, app, sim, DESERT)
    qtbot.waitUntil(lambda: shown(app, "lyricLine") == INSTRUMENTAL, timeout=SIGNAL_MS)
    assert shown(app, "lyricNext") == ""


def lyrics_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    """What the lyrics service logged (other loggers may log too, at whatever level the
    logging set-up of an earlier test left)."""
    return [r.getMessage() for r in caplog.records if r.name == "nowplaying_tray.services.lyrics"]


def test_not_found_is_quiet(
    qtbot: QtBot, app: TrayApp, sim: SpotifySimulator, caplog: pytest.LogCaptureFixture
) -> None:
    play(qtbot, app, sim, PAPER)
    qtbot.waitUntil(lambda: panel(app).isVisibleTo(app.popup), timeout=SIGNAL_MS)
    with caplog.at_level(logging.INFO, logger="nowplaying_tray.services.lyrics"):
        play(qtbot, app, sim, SLOW_TIDE)
        qtbot.waitUntil(lambda: sim.count("/api/search") == 1, timeout=SIGNAL_MS)
        qtbot.waitUntil(lambda: not app.lyrics.busy, timeout=SIGNAL_MS)
    assert not panel(app).isVisibleTo(app.popup)
    assert lyrics_lines(caplog) == ["No lyrics for 'Slow Tide' by 'Marisol Vega'"]
    assert widgets.text(app.popup, "messageText") == ""  # nothing said to the person


def test_lrclib_down_is_quiet(
    qtbot: QtBot, app: TrayApp, sim: SpotifySimulator, caplog: pytest.LogCaptureFixture
) -> None:
    sim.fail_next("drop", path="/api/get", times=None)
    with caplog.at_level(logging.INFO, logger="nowplaying_tray.services.lyrics"):
        play(qtbot, app, sim, PAPER)
        qtbot.waitUntil(lambda: get_requests(sim) == 1 and not app.lyrics.busy, timeout=SIGNAL_MS)
    assert app.lyrics.current is None and not panel(app).isVisibleTo(app.popup)
    (line,) = lyrics_lines(caplog)
    assert "No lyrics for 'Paper Lanterns'" in line and "LRCLIB could not be reached" in line
    assert widgets.text(app.popup, "messageText") == ""


def test_one_lookup_per_item_one_at_a_time_and_the_cache_answers_again(
    qtbot: QtBot, app: TrayApp, sim: SpotifySimulator
) -> None:
    sim.fail_next("slow", path="/api/get", delay=1.0)
    play(qtbot, app, sim, PAPER)  # in flight for a second, on the lyrics' own thread...
    assert app.lyrics.busy
    play(qtbot, app, sim, NORTHBOUND)  # ...while Spotify is polled; this one waits its turn...
    play(qtbot, app, sim, DESERT)  # ...and is replaced by this one
    qtbot.waitUntil(lambda: shown(app, "lyricLine") == INSTRUMENTAL, timeout=SIGNAL_MS)
    assert app.lyrics.lookups == 2 and get_requests(sim) == 2
    for _ in range(3):  # polls of the same item look nothing up
        with qtbot.waitSignal(app.poller.playback_changed, timeout=SIGNAL_MS):
            app.poller.poll_now("again")
    play(qtbot, app, sim, PAPER)  # back to an item seen before: from the disk cache
    qtbot.waitUntil(lambda: bool(shown(app, "lyricLine")), timeout=SIGNAL_MS)
    assert shown(app, "lyricLine") != INSTRUMENTAL
    assert app.lyrics.lookups == 3 and get_requests(sim) == 2


def test_the_now_playing_file_follows_the_line(
    qtbot: QtBot, app: TrayApp, sim: SpotifySimulator, tmp_path: Path
) -> None:
    target = tmp_path / "nowplaying.txt"
    app.preferences.apply(
        app.settings.with_changes(nowplaying_file=str(target), nowplaying_template="♪ {lyric}")
    )
    play(qtbot, app, sim, PAPER, at_ms=4_700)
    line = "♪ Paper lanterns on the river"
    qtbot.waitUntil(lambda: target.exists() and target.read_text() == line, timeout=SIGNAL_MS)
    qtbot.waitUntil(
        lambda: target.read_text() == "♪ Every light a small goodbye", timeout=SIGNAL_MS
    )


def test_switched_off_in_settings(qtbot: QtBot, app: TrayApp, sim: SpotifySimulator) -> None:
    play(qtbot, app, sim, PAPER, at_ms=2_000)
    qtbot.waitUntil(lambda: panel(app).isVisibleTo(app.popup), timeout=SIGNAL_MS)
    with qtbot.waitSignal(app.lyrics.lyrics_changed, timeout=SIGNAL_MS):
        app.preferences.apply(app.settings.with_changes(lyrics=False))
    assert not panel(app).isVisibleTo(app.popup)
    play(qtbot, app, sim, NORTHBOUND)
    assert get_requests(sim) == 1  # nothing asked while off


def test_a_local_player_over_mpris_keeps_the_lines_in_time_with_no_web_api_request(
    qtbot: QtBot,
    private_bus: str,
    sim: SpotifySimulator,
    app_paths: AppPaths,
    memory_keyring: MemoryKeyring,
) -> None:
    client = DesktopClient(private_bus, art_base=sim.base_url, position_zero=False).start()
    client.play(0)  # Paper Lanterns, from its start
    settings = Settings(
        client_id="", api_url=sim.api_url, accounts_url=sim.accounts_url, lyrics_url=sim.base_url
    )
    app = make_app(settings, app_paths, memory_keyring, mpris=True)
    try:
        app.start()
        app.presenter.show_popup()
        qtbot.waitUntil(
            lambda: shown(app, "lyricLine") == "Paper lanterns on the river", timeout=SIGNAL_MS
        )
        assert shown(app, "lyricNext") == "Every light a small goodbye"
        assert web_api_requests(sim) == [] and get_requests(sim) == 1
    finally:
        dispose(app)
        client.quit()
