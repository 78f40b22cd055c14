"""The worker thread and the poller, driven against the simulator over HTTP."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from nowplaying_tray.core.errors import AuthRequired, NowPlayingError, RateLimited
from nowplaying_tray.core.gateway import SpotifyGateway
from nowplaying_tray.core.model import Playback, PlaybackState
from nowplaying_tray.core.policy import PollConfig
from nowplaying_tray.core.settings import Settings
from nowplaying_tray.core.spotify_access import build_access
from nowplaying_tray.services.poller import Poller
from nowplaying_tray.services.worker import TaskRunner, UnexpectedError
from nowplaying_tray.simulator import SpotifySimulator, make_track


@pytest.fixture
def poller(runner: TaskRunner, gateway: SpotifyGateway) -> Iterator[Poller]:
    poller = Poller(
        runner, gateway.current_playback, gateway.rate_limit, PollConfig(), parent=runner
    )
    yield poller
    poller.stop()


def test_jobs_run_off_the_gui_thread_and_report_back(qtbot: QtBot, runner: TaskRunner) -> None:
    results: list[str] = []
    with qtbot.waitSignal(runner.busy_changed, check_params_cb=lambda busy: not busy):
        runner.submit(lambda: threading.current_thread().name, results.append)
    assert results and results[0] != threading.main_thread().name


def test_named_errors_reach_the_error_callback(qtbot: QtBot, runner: TaskRunner) -> None:
    errors: list[NowPlayingError] = []

    def fail() -> None:
        raise RateLimited(3)

    runner.submit(fail, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], RateLimited)


def test_bugs_become_a_plain_error_not_a_crash(qtbot: QtBot, runner: TaskRunner) -> None:
    errors: list[NowPlayingError] = []
    runner.submit(lambda: 1 / 0, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], UnexpectedError)


def test_first_poll_reads_playback(qtbot: QtBot, poller: Poller, sim: SpotifySimulator) -> None:
    with qtbot.waitSignal(poller.playback_changed) as signal:
        poller.start()
    playback: Playback = signal.args[0]
    assert playback.state is PlaybackState.PLAYING
    assert poller.next_poll_at is not None


def test_gui_keeps_running_while_spotify_is_slow(
    qtbot: QtBot, poller: Poller, sim: SpotifySimulator
) -> None:
    sim.fail_next("slow", delay=3.0)
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)
    with qtbot.waitSignal(poller.playback_changed, timeout=10_000):
        poller.start()
        qtbot.waitUntil(lambda: len(ticks) >= 20, timeout=2000)  # the loop runs meanwhile
    timer.stop()


def test_skip_elsewhere_is_seen_after_poll_now(
    qtbot: QtBot, poller: Poller, sim: SpotifySimulator
) -> None:
    sim.player.set_queue(
        [make_track("One", ["A"], "X", 200_000), make_track("Two", ["B"], "Y", 200_000)]
    )
    with qtbot.waitSignal(poller.playback_changed):
        poller.start()
    sim.player.skip_next()
    with qtbot.waitSignal(poller.playback_changed) as signal:
        poller.poll_now("test")
    assert signal.args[0].title == "Two"


def test_poll_now_requests_are_merged(qtbot: QtBot, poller: Poller, sim: SpotifySimulator) -> None:
    with qtbot.waitSignal(poller.playback_changed):
        poller.start()
    sim.clear_log()
    with qtbot.waitSignal(poller.playback_changed):
        for _ in range(5):
            poller.poll_now("burst")
    with qtbot.assertNotEmitted(poller.playback_changed, wait=400):
        pass  # no second poll follows the merged one
    assert sim.count("/v1/me/player") == 1


def test_rate_limit_blocks_even_poll_now(
    qtbot: QtBot, runner: TaskRunner, poller: Poller, sim: SpotifySimulator
) -> None:
    sim.fail_next("rate_limit", retry_after=3600)
    with qtbot.waitSignal(poller.error_changed) as signal:
        poller.start()
    assert isinstance(signal.args[0], RateLimited)
    retry_in = poller.retry_in_s()
    assert retry_in is not None and retry_in >= 3600
    sim.clear_log()
    with qtbot.assertNotEmitted(runner.busy_changed, wait=500):
        poller.poll_now("someone opened the popup")
    assert sim.count() == 0


def test_recovers_after_a_server_error(
    qtbot: QtBot, runner: TaskRunner, gateway: SpotifyGateway, sim: SpotifySimulator
) -> None:
    poller = Poller(
        runner,
        gateway.current_playback,
        gateway.rate_limit,
        PollConfig(backoff_start_s=0.2),
        parent=runner,
    )
    sim.fail_next("server_error", status=502)
    errors: list[object] = []
    poller.error_changed.connect(errors.append)
    with qtbot.waitSignal(poller.playback_changed, timeout=5000):
        poller.start()
    assert errors[0] is not None and errors[-1] is None  # the error was shown, then cleared
    poller.stop()


def test_auth_required_stops_polling(
    qtbot: QtBot, runner: TaskRunner, settings: Settings, sim: SpotifySimulator
) -> None:
    gateway = build_access(settings).gateway
    poller = Poller(runner, gateway.current_playback, gateway.rate_limit, parent=runner)
    with qtbot.waitSignal(poller.stopped):
        poller.start()
    assert isinstance(poller.error, AuthRequired)
    assert not poller.running and poller.next_poll_at is None
