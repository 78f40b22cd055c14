"""mpv (with mpv-mpris) and VLC on a private session bus: what they send over MPRIS, as
docs/MPRIS.md tells it, and the app following mpv without asking the Web API."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from nowplaying_tray.core.memory_keyring import MemoryKeyring
from nowplaying_tray.core.paths import AppPaths
from nowplaying_tray.core.settings import Settings
from nowplaying_tray.simulator import SpotifySimulator
from tests.app.conftest import dispose, make_app
from tests.desktop_support import require_tools, wait_until
from tests.desktop_support.players import (
    PLAYER_TOOLS,
    RunningPlayer,
    Tone,
    make_cover,
    make_tone,
    mpv_mpris_script,
    mpv_player,
    vlc_player,
)
from tests.support.web_api import web_api_requests


@pytest.fixture
def album(tmp_path: Path) -> tuple[Tone, Tone, Path]:
    """Two tagged tones in one folder, a cover.jpg beside them."""
    require_tools(*PLAYER_TOOLS)
    folder = tmp_path / "album"
    first = make_tone(folder, "01-first.ogg", title="First Tone", artist="Sine Band", album="Waves")
    second = make_tone(
        folder, "02-second.flac", title="Second Tone", artist="Sine Band", album="Waves",
        seconds=20, frequency=660,
    )  # fmt: skip
    return first, second, make_cover(folder)


@pytest.fixture(params=["mpv", "vlc"])
def player(
    request: pytest.FixtureRequest, private_bus: str, tmp_path: Path
) -> Iterator[RunningPlayer]:
    require_tools(*PLAYER_TOOLS)
    if request.param == "mpv":
        if mpv_mpris_script() is None:
            require_tools("mpv-mpris")  # named so that the message says what is missing
        with mpv_player(private_bus, tmp_path / "players") as mpv:
            yield mpv
    else:
        with vlc_player(private_bus, tmp_path / "players") as vlc:
            yield vlc


TRACKID = {"mpv": r"/0", "vlc": r"/org/videolan/vlc/playlist/\d+"}


def test_what_the_player_sends(player: RunningPlayer, album: tuple[Tone, Tone, Path]) -> None:
    """The rows of docs/MPRIS.md's table for mpv and VLC."""
    first, second, cover = album
    name = player.short_name.split(".")[0]
    player.open(first.url)
    metadata = player.wait_for_title(first.title)
    if name == "mpv":  # mpv-mpris 0.7 on an idle mpv: mostly Stopped though it plays (racy)
        assert player.raw_properties()["PlaybackStatus"][1] in ("Stopped", "Playing")
    assert re.fullmatch(TRACKID[name], metadata["mpris:trackid"])
    assert metadata["xesam:url"] == first.url
    assert metadata["mpris:artUrl"] == cover.as_uri()  # the cover beside the file
    assert metadata["xesam:artist"] == ["Sine Band"]
    assert metadata["xesam:album"] == "Waves"
    assert metadata["mpris:length"] == pytest.approx(30_000_000, abs=100_000)
    if name == "vlc":
        assert next(iter(metadata)) == "mpris:trackid"
        assert {key for key in metadata if key.startswith("vlc:")} >= {"vlc:time", "vlc:length"}
    raw = player.raw_properties()
    assert raw["Position"][0] == "x" and raw["Metadata"][0] == "a{sv}"
    wait_until(lambda: player.raw_properties()["Position"][1] > 0, what="position moving")

    player.control("Pause")
    wait_until(lambda: player.raw_properties()["PlaybackStatus"][1] == "Paused", what="paused")
    paused_at = player.raw_properties()["Position"][1]
    assert player.raw_properties()["Position"][1] == paused_at

    player.open(second.url)
    metadata = player.wait_for_title(second.title)
    if name == "mpv":
        assert metadata["mpris:trackid"] == "/0"  # the same id for every file
    else:
        assert re.fullmatch(TRACKID[name], metadata["mpris:trackid"])
    assert metadata["xesam:url"] == second.url
    assert metadata["mpris:artUrl"] == cover.as_uri()


def test_the_app_follows_mpv_and_asks_nothing_of_the_web_api(
    qtbot: QtBot,
    private_bus: str,
    tmp_path: Path,
    album: tuple[Tone, Tone, Path],
    sim: SpotifySimulator,
    logged_in: Settings,
    app_paths: AppPaths,
    memory_keyring: MemoryKeyring,
) -> None:
    if mpv_mpris_script() is None:
        require_tools("mpv-mpris")
    first, second, _cover = album
    # Started with the file: mpv-mpris 0.7 says Stopped for a file opened on an idle mpv.
    with mpv_player(private_bus, tmp_path / "players", [str(first.path)]) as mpv:
        mpv.wait_for_title(first.title)
        app = make_app(
            replace(logged_in, local_players=("mpv",)), app_paths, memory_keyring, mpris=True
        )
        try:
            app.start()
            qtbot.waitUntil(
                lambda: app.hub.playback is not None and app.hub.playback.title == first.title,
                timeout=10_000,
            )
            playback = app.hub.playback
            assert playback is not None
            assert playback.artists == ("Sine Band",) and playback.album == "Waves"
            assert playback.device == "mpv"
            mpv.open(second.url)
            qtbot.waitUntil(
                lambda: app.hub.playback is not None and app.hub.playback.title == second.title,
                timeout=10_000,
            )
            assert web_api_requests(sim) == []
        finally:
            dispose(app)
