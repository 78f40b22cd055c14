"""A new user's login, in a real browser: headless Chromium clicks Agree on the consent page."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from nowplaying_tray.simulator import SpotifySimulator
from tests.desktop_support import require_tools, wait_until
from tests.support.chromium import chromium_command
from tests.support.cli import cli_environment, run_cli

pytestmark = pytest.mark.browser


def test_cli_login_in_chromium_then_now(tmp_path: Path, sim: SpotifySimulator) -> None:
    require_tools("chromium")
    sim.auto_approve = False  # the person reads the consent page and clicks Agree
    shot = tmp_path / "consent.png"
    env = cli_environment(sim, tmp_path / "keyring.json", chromium_command(tmp_path, "agree", shot))

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return run_cli(env, *args, timeout=90)

    login = cli("login")
    browser_log = tmp_path / "chromium-agree.log"
    assert login.returncode == 0, login.stderr
    assert login.stdout.strip() == "Logged in as Demo Listener"
    assert shot.exists() and shot.stat().st_size > 1000  # the consent page was rendered
    # The page our listener sent back, as the browser shows it (it prints it after the login).
    wait_until(
        lambda: browser_log.exists() and "logged in" in browser_log.read_text().lower(),
        what="the browser showing the login result",
        timeout=30,
    )
    now = cli("now")
    assert now.returncode == 0 and now.stdout.strip() != ""
