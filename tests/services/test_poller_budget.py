"""The poller with the daily request budget, and suspended while something else answers."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from nowplaying_tray.core.budget import RequestBudget
from nowplaying_tray.core.gateway import SpotifyGateway
from nowplaying_tray.core.policy import PollConfig
from nowplaying_tray.core.settings import Settings
from nowplaying_tray.core.spotify_access import build_access
from nowplaying_tray.services.poller import Poller
from nowplaying_tray.services.worker import TaskRunner
from nowplaying_tray.simulator import SpotifySimulator

PLAYER = "/v1/me/player"


@pytest.fixture
def budget() -> RequestBudget:
    return RequestBudget(limit=1000)


@pytest.fixture
def gateway(logged_in: Settings, budget: RequestBudget) -> SpotifyGateway:
    return build_access(logged_in, budget=budget).gateway


def make_poller(runner: TaskRunner, gateway: SpotifyGateway, budget: RequestBudget) -> Poller:
    fast = PollConfig(
        playing_interval_s=0.05,
        paused_interval_s=0.05,
        idle_interval_s=0.05,
        budget_horizon_s=1.0,
        budget_min_day_left_s=1.0,
        budget_interactive_horizon_s=1.0,
    )
    return Poller(
        runner,
        gateway.current_playback,
        gateway.rate_limit,
        fast,
        budget=budget.view,
        parent=runner,
    )


def test_every_poll_is_counted(
    qtbot: QtBot, runner: TaskRunner, gateway: SpotifyGateway, budget: RequestBudget,
    sim: SpotifySimulator,
) -> None:  # fmt: skip
    poller = make_poller(runner, gateway, budget)
    sim.clear_log()
    poller.start()
    qtbot.waitUntil(lambda: sim.count(PLAYER) >= 3, timeout=5000)
    poller.stop()
    qtbot.waitUntil(lambda: runner.pending == 0)
    assert budget.view().spent == sim.count()


def test_a_spent_budget_holds_even_poll_now(
    qtbot: QtBot, runner: TaskRunner, gateway: SpotifyGateway, budget: RequestBudget,
    sim: SpotifySimulator,
) -> None:  # fmt: skip
    poller = make_poller(runner, gateway, budget)
    budget.set_limit(budget.view().spent + 1)  # one request left today
    with qtbot.waitSignal(poller.playback_changed):
        poller.start()
    qtbot.waitUntil(lambda: poller.last_reason == "budget spent", timeout=5000)
    sent = sim.count(PLAYER)
    assert poller.retry_in_s() is not None and poller.retry_in_s() > 3600  # type: ignore[operator]
    poller.poll_now("popup opened")
    poller.note_interaction()
    with qtbot.assertNotEmitted(poller.playback_changed, wait=600):
        pass
    assert sim.count(PLAYER) == sent and budget.view().remaining == 0


def test_suspended_polling_sends_nothing_until_resumed(
    qtbot: QtBot, runner: TaskRunner, gateway: SpotifyGateway, budget: RequestBudget,
    sim: SpotifySimulator,
) -> None:  # fmt: skip
    poller = make_poller(runner, gateway, budget)
    with qtbot.waitSignal(poller.playback_changed):
        poller.start()
    poller.suspend("a local player answers")
    qtbot.waitUntil(lambda: runner.pending == 0)
    sent = sim.count(PLAYER)
    poller.poll_now("popup opened")
    with qtbot.assertNotEmitted(poller.playback_changed, wait=600):
        pass
    assert poller.suspended and poller.next_poll_at is None and sim.count(PLAYER) == sent
    with qtbot.waitSignal(poller.playback_changed, timeout=3000):
        poller.resume()
    assert not poller.suspended and sim.count(PLAYER) > sent
