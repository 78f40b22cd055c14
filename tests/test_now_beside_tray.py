"""``now`` beside a running tray app asks the tray, not Spotify; without one it keeps to
the same request count and the same rate-limit window, kept in the state directory."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from nowplaying_tray.app import TrayApp
from nowplaying_tray.core.budget import RequestBudget, budget_file
from nowplaying_tray.core.memory_keyring import MemoryKeyring
from nowplaying_tray.core.paths import AppPaths
from nowplaying_tray.core.settings import Settings
from nowplaying_tray.services.single_instance import SingleInstance
from nowplaying_tray.simulator import SpotifySimulator, make_track
from tests.app.conftest import dispose, make_app
from tests.support.browser import REPO_ROOT

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the Unix instance socket")

TIME = re.compile(r"\b\d\d:\d\d\b")


@pytest.fixture
def instance(app_paths: AppPaths) -> Iterator[SingleInstance]:
    instance = SingleInstance(app_paths.cache_dir)
    assert instance.acquire()
    yield instance
    instance.release()


@pytest.fixture
def tray(
    qtbot: QtBot,
    logged_in: Settings,
    app_paths: AppPaths,
    memory_keyring: MemoryKeyring,
    sim: SpotifySimulator,
    instance: SingleInstance,
) -> Iterator[TrayApp]:
    """A tray app that listens on the instance socket, showing a playing item, its own
    polling stopped so that every request the simulator sees comes from ``now``."""
    sim.player.set_queue([make_track("Heard by the tray", ["Artist"], "Album", 600_000)])
    app = make_app(logged_in, app_paths, memory_keyring)
    instance.listen()
    instance.state_answer = app.state_answer
    with qtbot.waitSignal(app.hub.playback_changed, timeout=5000):
        app.start()
    app.poller.stop()
    yield app
    dispose(app)


def run_now(qtbot: QtBot, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """``now`` in its own process, while this one's event loop answers it."""
    process = subprocess.Popen(
        [sys.executable, "-m", "nowplaying_tray", "now", *args],
        env=env,
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        qtbot.waitUntil(lambda: process.poll() is not None, timeout=20_000)
    finally:
        if process.poll() is None:
            process.kill()
        stdout, stderr = process.communicate()
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def api_requests(sim: SpotifySimulator) -> int:
    return sum(1 for request in sim.requests if request.path.startswith("/v1/"))


def test_now_beside_the_tray_sends_nothing(
    qtbot: QtBot, tray: TrayApp, sim: SpotifySimulator, cli_env: dict[str, str]
) -> None:
    before = api_requests(sim)
    for _ in range(3):
        result = run_now(qtbot, cli_env)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "Heard by the tray — Artist"
    shape = json.loads(run_now(qtbot, cli_env, "--json").stdout)
    assert shape["source"] == "web_api" and shape["title"] == "Heard by the tray"
    assert shape["progress_ms"] > 0 and shape["budget"]["daily_budget"] == 1000
    assert api_requests(sim) == before


def test_now_after_the_trays_quota_exceeded_waits_with_a_time(
    qtbot: QtBot,
    tray: TrayApp,
    instance: SingleInstance,
    sim: SpotifySimulator,
    cli_env: dict[str, str],
) -> None:
    sim.set_daily_quota(0, lockout_s=3 * 3600)  # counted from now: the next is refused
    tray.poller.start()  # the next poll meets QUOTA_EXCEEDED
    qtbot.waitUntil(lambda: tray.hub.error is not None, timeout=5000)
    before = len(sim.requests)

    beside = run_now(qtbot, cli_env)
    assert beside.returncode == 4 and TIME.search(beside.stderr), beside.stderr
    tray.poller.stop()
    instance.release()  # no tray to ask: the window is in the state directory
    alone = run_now(qtbot, cli_env)
    assert alone.returncode == 4 and TIME.search(alone.stderr), alone.stderr
    assert "quota" in alone.stderr
    assert len(sim.requests) == before


def test_a_spent_budget_is_kept_by_now(
    qtbot: QtBot,
    logged_in: Settings,
    app_paths: AppPaths,
    sim: SpotifySimulator,
    cli_env: dict[str, str],
) -> None:
    # The keyring file of the CLI holds the login the tests' keyring holds.
    login = subprocess.run(
        [sys.executable, "-m", "nowplaying_tray", "login"],
        env=cli_env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert login.returncode == 0, login.stderr
    app_paths.config_dir.mkdir(parents=True, exist_ok=True)
    (app_paths.config_dir / "settings.json").write_text('{"daily_request_budget": 50}')
    budget = RequestBudget(50, path=budget_file(app_paths.state_dir))
    budget.load()
    budget.record(50 - budget.view().spent)
    budget.save()
    before = len(sim.requests)
    result = run_now(qtbot, cli_env)
    assert result.returncode == 4, result.stderr
    assert "50 of 50" in result.stderr and TIME.search(result.stderr)
    assert len(sim.requests) == before
