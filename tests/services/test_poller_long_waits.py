"""Waits longer than a QTimer can hold: the status still comes out, the wait is capped."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from nowplaying_tray.core.errors import RateLimited
from nowplaying_tray.core.limits import MAX_WAIT_S
from nowplaying_tray.core.model import Playback
from nowplaying_tray.core.policy import PollConfig
from nowplaying_tray.core.rate_limit import RateLimitWindow
from nowplaying_tray.core.settings import Settings
from nowplaying_tray.core.spotify_access import build_access
from nowplaying_tray.services.poller import Poller
from nowplaying_tray.services.worker import TaskRunner
from nowplaying_tray.simulator import SpotifySimulator

JITTER_S = PollConfig().rate_limit_jitter_s


def test_a_retry_after_of_35_days_from_spotify(
    qtbot: QtBot, runner: TaskRunner, logged_in: Settings, sim: SpotifySimulator
) -> None:
    gateway = build_access(logged_in).gateway
    poller = Poller(
        runner, gateway.current_playback, gateway.rate_limit, PollConfig(), parent=runner
    )
    sim.fail_next("rate_limit", retry_after=3_000_000)
    try:
        with qtbot.waitSignal(poller.error_changed) as signal:
            poller.start()
        assert isinstance(signal.args[0], RateLimited)
        retry_in = poller.retry_in_s()
        assert retry_in is not None and MAX_WAIT_S - 5 <= retry_in <= MAX_WAIT_S + JITTER_S
    finally:
        poller.stop()


def test_a_wait_beyond_the_cap_from_any_source(qtbot: QtBot, runner: TaskRunner) -> None:
    def read() -> Playback:
        raise RateLimited(3_000_000)

    poller = Poller(runner, read, RateLimitWindow(), PollConfig(), parent=runner)
    try:
        with qtbot.waitSignal(poller.error_changed) as signal:
            poller.start()
        assert isinstance(signal.args[0], RateLimited)
        retry_in = poller.retry_in_s()
        assert retry_in is not None and retry_in <= MAX_WAIT_S + JITTER_S
    finally:
        poller.stop()
