"""Headless, the app says on stderr what is wrong: one line per problem and per change of it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from nowplaying_tray.app import AppOptions, TrayApp
from nowplaying_tray.core.errors import ApiUnavailable, AuthRequired, Offline
from nowplaying_tray.core.memory_keyring import MemoryKeyring
from nowplaying_tray.core.paths import AppPaths
from nowplaying_tray.core.settings import Settings
from nowplaying_tray.simulator import SpotifySimulator
from nowplaying_tray.ui.console import PROBLEM_CLEARED, ConsoleView
from tests.support.login import follow_redirects

from .conftest import dispose


@pytest.fixture
def headless_app(
    qtbot: QtBot, logged_in: Settings, app_paths: AppPaths, memory_keyring: MemoryKeyring
) -> Iterator[TrayApp]:
    app = TrayApp(
        logged_in,
        app_paths,
        AppOptions(
            keyring_backend=memory_keyring,
            open_url=follow_redirects,
            use_dbus_notifications=False,
            tray_wait_attempts=10_000,
            window_without_tray=False,
            console=True,
        ),
    )
    with qtbot.waitSignal(app.hub.playback_changed, timeout=5000):
        app.start()
    yield app
    dispose(app)


def fail_poll(qtbot: QtBot, app: TrayApp, sim: SpotifySimulator, fault: str) -> None:
    sim.fail_next(fault, status=503, path="/v1/me/player")
    with qtbot.waitSignal(app.session.error_changed, timeout=5000):
        app.session.poll_now("test")


def test_spotify_unreachable_while_logged_in_is_said_once_per_change(
    qtbot: QtBot, headless_app: TrayApp, sim: SpotifySimulator, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    fail_poll(qtbot, headless_app, sim, "server_error")
    fail_poll(qtbot, headless_app, sim, "server_error")  # the same problem again: no line
    sim.fail_next("drop", path="/v1/me/player")
    with qtbot.waitSignal(
        headless_app.session.error_changed,
        timeout=5000,
        check_params_cb=lambda error: isinstance(error, Offline),
    ):
        headless_app.session.poll_now("test")
    with qtbot.waitSignal(headless_app.session.error_changed, timeout=5000):
        headless_app.session.poll_now("network back")
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 3, lines
    assert lines[0].startswith("Spotify unavailable: ")
    assert lines[1].startswith("Offline: ")
    assert lines[2] == PROBLEM_CLEARED


def test_a_problem_line_says_its_title_once(capsys: pytest.CaptureFixture[str]) -> None:
    view = ConsoleView()
    view.show_error(AuthRequired())
    view.show_error(ApiUnavailable("Spotify answered 503."))
    assert capsys.readouterr().err.splitlines() == [
        "Not logged in to Spotify. Run 'nowplaying-tray login' or use Log in from the menu.",
        "Spotify unavailable: Spotify answered 503.",
    ]
