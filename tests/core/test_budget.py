"""The rolling 24 h request count: counting, the window, and the file across restarts."""

from __future__ import annotations

import json
from pathlib import Path

from nowplaying_tray.core.budget import DAY_S, RequestBudget, budget_file
from tests.support.clock import FakeClock

START = 1_800_000_000.0  # a wall-clock time: the budget file keeps its readings


def test_requests_count_for_a_day_then_leave_the_window() -> None:
    clock = FakeClock(START)
    budget = RequestBudget(limit=10, clock=clock)
    budget.record()
    clock.now += 3600
    budget.record(2)
    view = budget.view()
    assert (view.spent, view.remaining, view.limit) == (3, 7, 10)
    assert view.frees_in_s == DAY_S - 3600
    clock.now += DAY_S - 3600 + 1  # the first request is a day old
    assert budget.view().spent == 2
    clock.now += 3600
    assert budget.view().spent == 0 and budget.view().frees_in_s is None


def test_the_count_survives_a_restart(tmp_path: Path) -> None:
    clock = FakeClock(START)
    path = budget_file(tmp_path / "state")
    first = RequestBudget(limit=100, path=path, clock=clock)
    for _ in range(5):
        first.record()
        clock.now += 1
    first.save()
    again = RequestBudget(limit=100, path=path, clock=clock)
    again.load()
    assert again.view().spent == 5


def test_saving_merges_what_another_process_counted(tmp_path: Path) -> None:
    clock = FakeClock(START)
    path = budget_file(tmp_path)
    tray = RequestBudget(path=path, clock=clock, save_every_s=10_000)
    tray.load()
    tray.record()  # the first record saves at once
    clock.now += 1
    tray.record()  # not yet saved
    cli = RequestBudget(path=path, clock=clock)
    cli.load()
    clock.now += 1
    cli.record()  # "now" from the command line: saved at once
    tray.save()
    assert tray.view().spent == 3
    assert len(json.loads(path.read_text())["requests"]) == 3


def test_records_are_saved_now_and_then_not_on_every_request(tmp_path: Path) -> None:
    clock = FakeClock(START)
    path = budget_file(tmp_path)
    budget = RequestBudget(path=path, clock=clock, save_every_s=60)
    budget.record()
    budget.record()
    assert len(json.loads(path.read_text())["requests"]) == 1
    clock.now += 61
    budget.record()
    assert len(json.loads(path.read_text())["requests"]) == 3


def test_a_broken_file_starts_the_count_again(tmp_path: Path) -> None:
    path = budget_file(tmp_path)
    path.write_text("{not json")
    budget = RequestBudget(path=path, clock=FakeClock(START))
    budget.load()
    assert budget.view().spent == 0
    budget.record()
    assert json.loads(path.read_text())["requests"]


def test_the_view_speaks_json() -> None:
    budget = RequestBudget(limit=50, clock=FakeClock(START))
    budget.record()
    data = budget.view().to_json()
    assert data == {
        "daily_budget": 50,
        "spent_24h": 1,
        "remaining": 49,
        "window_s": DAY_S,
        "frees_in_s": DAY_S,
    }
