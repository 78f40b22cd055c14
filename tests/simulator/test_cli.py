"""``python -m nowplaying_tray.simulator`` runs in the foreground and stops cleanly."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tests.support.processes import Running, ignoring_sigint, running

from .conftest import authorize_params, make_pkce

ROOT = Path(__file__).resolve().parents[2]
LINE = re.compile(
    r"^Spotify simulator on (http://127\.0\.0\.1:(\d+)) "
    r"\(accounts: \1, api: \1/v1\)$"
)


SIMULATOR = [sys.executable, "-m", "nowplaying_tray.simulator"]


def environment() -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }


def base_url(simulator: Running) -> str:
    line = simulator.out.wait_for(lambda line: line.startswith("Spotify"), 20, "its address")
    match = LINE.match(line)
    assert match, line
    return match.group(1)


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_startup_line_and_clean_exit(stop_signal):
    with running([*SIMULATOR, "--port", "0"], environment()) as simulator:
        url = base_url(simulator)
        assert requests.get(f"{url}/_sim/state", timeout=5).json()["state"] == "playing"
        assert simulator.stop(stop_signal) == 0
    assert "Traceback" not in simulator.err.finish()


def test_ctrl_c_stops_it_even_when_started_with_sigint_ignored():
    # ``nohup … &`` (or any background job of a script) starts it with SIGINT ignored.
    with running(ignoring_sigint([*SIMULATOR, "--port", "0"]), environment()) as simulator:
        base_url(simulator)
        assert simulator.stop(signal.SIGINT) == 0


def test_a_port_in_use_is_named_with_the_program_and_a_hint():
    with running([*SIMULATOR, "--port", "0"], environment()) as first:
        port = int(base_url(first).rsplit(":", 1)[1])
        second = subprocess.run(
            [sys.executable, "-m", "nowplaying_tray", "simulator", "--port", str(port)],
            env=environment(),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert first.stop() == 0
    assert second.returncode == 1
    assert second.stderr.strip() == (
        f"nowplaying-tray simulator: cannot listen on 127.0.0.1:{port}: Address already in "
        "use. Choose another --port, or --port 0 for any free one."
    )


def test_client_id_and_auto_approve_flags():
    command = [*SIMULATOR, "--port", "0", "--auto-approve", "--client-id", "e" * 32]
    with running(command, environment()) as simulator:
        response = requests.get(
            f"{base_url(simulator)}/authorize",
            params=authorize_params(make_pkce(), client_id="e" * 32),
            allow_redirects=False,
            timeout=5,
        )
        assert response.status_code == 302
        assert simulator.stop() == 0
