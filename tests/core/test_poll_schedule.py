"""The bookkeeping between polls, with plain numbers for the clock."""

from __future__ import annotations

import random

from nowplaying_tray.core.budget import BudgetView
from nowplaying_tray.core.errors import Offline, RateLimited
from nowplaying_tray.core.model import Playback, PlaybackState
from nowplaying_tray.core.policy import PollConfig
from nowplaying_tray.core.poll_schedule import MAX_BETWEEN_READS, PollSchedule

CONFIG = PollConfig()


def schedule() -> PollSchedule:
    return PollSchedule(CONFIG, random.Random(1))


def playing(read_at: float = 0.0, title: str = "t") -> Playback:
    return Playback(
        state=PlaybackState.PLAYING,
        read_at=read_at,
        title=title,
        uri=f"spotify:track:{title}",
        progress_ms=0,
        duration_ms=600_000,
    )


def between(read_at: float) -> Playback:
    return Playback(state=PlaybackState.PLAYING, read_at=read_at, between_items=True)


def paused(read_at: float = 0.0) -> Playback:
    return Playback(state=PlaybackState.PAUSED, read_at=read_at, title="t")


def test_before_any_read_the_first_poll_is_immediate() -> None:
    decision = schedule().next(0.0)
    assert (decision.delay_s, decision.reason) == (0.0, "first poll")


def test_a_read_is_shown_and_paced_as_playing() -> None:
    plan = schedule()
    shown = plan.read(playing(), 0.0)
    assert shown == playing() and plan.playback == shown
    assert plan.next(0.0).delay_s == CONFIG.playing_interval_s


def test_between_items_the_last_item_is_carried_and_looked_at_again_soon() -> None:
    plan = schedule()
    plan.read(playing(title="a"), 0.0)
    shown = plan.read(between(1.0), 1.0)
    assert shown.title == "a" and not shown.between_items
    decision = plan.next(1.0)
    assert (decision.delay_s, decision.reason) == (CONFIG.between_items_s, "between items")
    plan.read(between(2.0), 2.0)
    assert plan.next(2.0).reason != "between items"  # only the first such read hurries


def test_the_carry_ends_after_a_few_reads_without_an_item() -> None:
    plan = schedule()
    plan.read(playing(title="a"), 0.0)
    for n in range(MAX_BETWEEN_READS):
        assert plan.read(between(n + 1.0), n + 1.0).title == "a"
    assert plan.read(between(10.0), 10.0).between_items


def test_quiet_since_is_when_playback_stopped_playing() -> None:
    plan = schedule()
    plan.read(paused(), 100.0)
    plan.read(paused(), 200.0)
    assert plan.quiet_since == 100.0
    late = plan.next(100.0 + CONFIG.quiet_after_s)
    assert (late.delay_s, late.reason) == (CONFIG.quiet_interval_s, "paused, quiet")
    plan.told(playing(), 900.0)  # another source says it plays again
    assert plan.quiet_since is None


def test_failures_count_up_and_clear_on_a_read() -> None:
    plan = schedule()
    plan.failed(Offline("no network"))
    plan.failed(Offline("no network"))
    assert plan.failures == 2 and isinstance(plan.error, Offline)
    assert plan.next(0.0).reason == "backing off"
    plan.read(playing(), 5.0)
    assert (plan.failures, plan.error) == (0, None)


def test_a_restart_forgets_the_failures_but_not_the_error() -> None:
    plan = schedule()
    plan.failed(RateLimited(30.0))
    plan.restart()
    assert plan.failures == 0 and isinstance(plan.error, RateLimited)


def test_reset_forgets_the_playback_and_holds_the_given_error() -> None:
    plan = schedule()
    plan.read(playing(), 0.0)
    plan.failed(Offline("no network"))
    plan.reset(None)
    assert (plan.playback, plan.error, plan.failures) == (None, None, 0)


def test_the_popup_and_a_control_are_part_of_the_input() -> None:
    plan = schedule()
    plan.read(paused(), 0.0)
    plan.popup_visible = True
    assert plan.next(1.0).reason == "popup open"
    plan.popup_visible = False
    plan.last_interaction = 1.0
    assert plan.next(2.0).reason == "after a control"
    assert plan.next(1.0 + CONFIG.interactive_s).reason == "paused"


def test_the_budget_is_passed_to_the_policy() -> None:
    plan = schedule()
    plan.read(playing(), 0.0)
    spent = BudgetView(limit=100, spent=100, window_s=86_400.0, frees_in_s=4200.0)
    decision = plan.next(0.0, spent)
    assert (decision.delay_s, decision.reason) == (4200.0, "budget spent")
