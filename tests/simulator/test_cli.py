"""``python -m nowplaying_tray.simulator`` runs in the foreground and stops cleanly."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import requests

from .conftest import authorize_params, make_pkce

ROOT = Path(__file__).resolve().parents[2]
LINE = re.compile(
    r"^Spotify simulator on (http://127\.0\.0\.1:(\d+)) "
    r"\(accounts: \1, api: \1/v1\)$"
)


def start(*args: str) -> tuple[subprocess.Popen, str]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "nowplaying_tray.simulator", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.append(process.stdout.readline()))
    reader.start()
    reader.join(timeout=20)
    if not lines:
        process.kill()
        pytest.fail("the simulator printed nothing")
    return process, lines[0].rstrip("\n")


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_startup_line_and_clean_exit(stop_signal):
    process, line = start("--port", "0")
    try:
        match = LINE.match(line)
        assert match, line
        base_url = match.group(1)
        assert requests.get(f"{base_url}/_sim/state", timeout=5).json()["state"] == "playing"
    finally:
        process.send_signal(stop_signal)
        _, stderr = process.communicate(timeout=20)
    assert process.returncode == 0
    assert "Traceback" not in stderr


def test_client_id_and_auto_approve_flags():
    process, line = start("--port", "0", "--auto-approve", "--client-id", "e" * 32)
    try:
        base_url = LINE.match(line).group(1)
        response = requests.get(
            f"{base_url}/authorize",
            params=authorize_params(make_pkce(), client_id="e" * 32),
            allow_redirects=False,
            timeout=5,
        )
        assert response.status_code == 302
    finally:
        process.terminate()
        process.communicate(timeout=20)
    assert process.returncode == 0
