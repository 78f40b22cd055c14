"""The tray app against real local players (mpv, VLC) on the test's private bus."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from nowplaying_tray.app import AppOptions, TrayApp
from nowplaying_tray.core.memory_keyring import MemoryKeyring
from nowplaying_tray.core.paths import AppPaths
from nowplaying_tray.core.settings import Settings
from tests.app.conftest import dispose
from tests.desktop_support import require_tools
from tests.desktop_support.players import (
    PLAYER_TOOLS,
    Tone,
    make_cover,
    make_tone,
    mpv_mpris_script,
)


@pytest.fixture
def tones(tmp_path: Path) -> tuple[list[Tone], Path]:
    """Four tagged tones in one folder, a cover.jpg beside them."""
    require_tools(*PLAYER_TOOLS)
    if mpv_mpris_script() is None:
        require_tools("mpv-mpris")  # named so that the message says what is missing
    folder = tmp_path / "album"
    made = [
        make_tone(
            folder,
            f"0{n}-tone.ogg",
            title=f"Tone {n}",
            artist="Sine Band",
            album="Waves",
            frequency=300 + 100 * n,
        )
        for n in range(4)
    ]
    return made, make_cover(folder)


@pytest.fixture
def running(qtbot: QtBot) -> Iterator[list[TrayApp]]:
    """Apps started by the test, disposed of at its end."""
    apps: list[TrayApp] = []
    yield apps
    for app in apps:
        dispose(app)


def local_app(
    settings: Settings, paths: AppPaths, keyring: MemoryKeyring, *, notifications: bool = False
) -> TrayApp:
    """The tray app following mpv and VLC (offscreen), bubbles over D-Bus if asked."""
    return TrayApp(
        replace(settings, local_players=("mpv", "vlc")),
        paths,
        AppOptions(
            keyring_backend=keyring,
            use_dbus_notifications=notifications,
            tray_wait_attempts=10_000,
            mpris=True,
        ),
    )


def start(qtbot: QtBot, running: list[TrayApp], app: TrayApp) -> TrayApp:
    running.append(app)
    app.start()
    return app


def showing(app: TrayApp, title: str) -> bool:
    playback = app.hub.playback
    return playback is not None and playback.title == title
