"""The simulator as the demo runs it: no test harness (faults, quota, request log, remote
control), yet the login, the Web API and the covers all work."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest
import requests

from nowplaying_tray.simulator import SpotifySimulator
from nowplaying_tray.simulator.harness import MODULES as HARNESS_MODULES
from nowplaying_tray.simulator.simulator import harness_included
from tests.support.clock import FakeClock

from .conftest import login


@pytest.fixture
def bare(clock: FakeClock) -> Iterator[SpotifySimulator]:
    with SpotifySimulator(clock=clock, harness=False) as simulator:
        yield simulator


def test_login_playback_and_covers_work(bare: SpotifySimulator, http: requests.Session) -> None:
    token = login(bare, http)["access_token"]
    answer = http.get(f"{bare.api_url}/me/player", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200
    cover = answer.json()["item"]["album"]["images"][0]["url"]
    image = http.get(bare.base_url + cover if cover.startswith("/") else cover)
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")


def test_no_remote_control_and_no_faults(bare: SpotifySimulator, http: requests.Session) -> None:
    assert http.get(f"{bare.base_url}/_sim/state").status_code == 404
    control = http.post(f"{bare.base_url}/_sim/control", json={"action": "pause"})
    assert control.status_code == 404
    with pytest.raises(RuntimeError, match="without its test harness"):
        bare.fail_next("server_error")


def test_the_demo_imports_no_harness_module() -> None:
    code = (
        "import sys\n"
        "from nowplaying_tray.demo import Demo\n"
        "demo = Demo()\n"
        "demo.stop()\n"
        f"print([name for name in {list(HARNESS_MODULES)!r} if name in sys.modules])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_source_checkout_has_the_harness() -> None:
    assert harness_included()
