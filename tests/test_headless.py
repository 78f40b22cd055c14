"""The tray app with no display: it runs offscreen, says what is wrong on stderr, and ends
with the status the README gives (130 for Ctrl+C, 0 for SIGTERM)."""

from __future__ import annotations

import os
import signal
import sys

from nowplaying_tray.core.paths import AppPaths
from tests.support.browser import REPO_ROOT
from tests.support.processes import ignoring_sigint, running

APP = [sys.executable, "-m", "nowplaying_tray"]


def no_display(**extra: str) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "DBUS_SESSION_BUS_ADDRESS")
    }
    return env | {"PYTHONPATH": str(REPO_ROOT)} | extra


def test_no_display_runs_headless_and_ctrl_c_ends_with_130(isolated_home: AppPaths) -> None:
    # Started as ``nohup … &`` would start it: Ctrl+C must still end it.
    with running(ignoring_sigint([*APP, "--demo"]), no_display()) as app:
        app.out.wait_for(lambda line: line.startswith("Now playing: "), 60, "a track")
        status = app.stop(signal.SIGINT)
    assert status == 130
    assert app.err.lines[0] == "No display found: running headless.", app.err.lines
    assert not [line for line in app.err.lines if "xcb" in line or "Qt" in line]


def test_sigterm_ends_the_app_with_0(isolated_home: AppPaths) -> None:
    with running([*APP, "--demo"], no_display()) as app:
        app.out.wait_for(lambda line: line.startswith("Now playing: "), 60, "a track")
        assert app.stop(signal.SIGTERM) == 0


def test_without_a_client_id_stderr_says_a_setup_window_waits(isolated_home: AppPaths) -> None:
    with running(APP, no_display()) as app:
        line = app.err.wait_for(lambda line: line.startswith("Setup needed: "), 60, "the setup")
        assert app.stop(signal.SIGINT) == 130
    assert "No Spotify client ID is configured." in line
    assert "A setup window is waiting for it" in line
    assert app.err.lines.count(line) == 1  # said once, not at every retry
