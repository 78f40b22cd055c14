"""Running the command line in its own process against the simulator, as a person would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from nowplaying_tray.simulator import DEMO_CLIENT_ID, SpotifySimulator
from tests.support.browser import REPO_ROOT


def cli_environment(sim: SpotifySimulator, keyring_file: Path, browser: str) -> dict[str, str]:
    """The environment of a CLI process: the simulator's addresses, a file keyring
    (tests only, chosen by name), and ``browser`` as the ``BROWSER`` command."""
    return dict(os.environ) | {
        "SPOTIPY_CLIENT_ID": DEMO_CLIENT_ID,
        "NOWPLAYING_ACCOUNTS_URL": sim.accounts_url,
        "NOWPLAYING_API_URL": sim.api_url,
        "NOWPLAYING_LYRICS_URL": sim.base_url,
        "PYTHON_KEYRING_BACKEND": "tests.support.file_keyring.JsonFileKeyring",
        "NOWPLAYING_TEST_KEYRING_FILE": str(keyring_file),
        "BROWSER": browser,
        "PYTHONPATH": str(REPO_ROOT),
    }


def run_cli(
    env: dict[str, str], *args: str, timeout: float = 30
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nowplaying_tray", *args],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
