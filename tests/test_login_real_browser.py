"""A new user's login, in a real browser: headless Chromium clicks Agree on the consent page."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from nowplaying_tray.simulator import DEMO_CLIENT_ID, SpotifySimulator
from tests.desktop_support import require_tools, wait_until
from tests.support.browser import REPO_ROOT
from tests.support.chromium import chromium_command

pytestmark = pytest.mark.browser


def test_cli_login_in_chromium_then_now(tmp_path: Path, sim: SpotifySimulator) -> None:
    require_tools("chromium")
    sim.auto_approve = False  # the person reads the consent page and clicks Agree
    shot = tmp_path / "consent.png"
    env = dict(os.environ)
    env.update(
        {
            "SPOTIPY_CLIENT_ID": DEMO_CLIENT_ID,
            "NOWPLAYING_ACCOUNTS_URL": sim.accounts_url,
            "NOWPLAYING_API_URL": sim.api_url,
            "PYTHON_KEYRING_BACKEND": "tests.support.file_keyring.JsonFileKeyring",
            "NOWPLAYING_TEST_KEYRING_FILE": str(tmp_path / "keyring.json"),
            "BROWSER": chromium_command(tmp_path, "agree", shot),
            "PYTHONPATH": str(REPO_ROOT),
        }
    )

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "nowplaying_tray", *args],
            env=env,
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=90,
        )

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
