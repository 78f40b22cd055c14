"""Every case of the polling schedule, with plain numbers for the clock."""

from __future__ import annotations

import random

import pytest

from nowplaying_tray.core.budget import BudgetView
from nowplaying_tray.core.errors import (
    ApiUnavailable,
    AuthRequired,
    MissingClientId,
    NotAllowListed,
    Offline,
    RateLimited,
)
from nowplaying_tray.core.model import Playback, PlaybackState
from nowplaying_tray.core.policy import PollConfig, PollInput, backoff_delay, next_poll

CONFIG = PollConfig()


def playing(progress_ms: int, duration_ms: int, read_at: float = 0.0) -> Playback:
    return Playback(
        state=PlaybackState.PLAYING,
        read_at=read_at,
        title="t",
        uri="spotify:track:1",
        progress_ms=progress_ms,
        duration_ms=duration_ms,
    )


def paused() -> Playback:
    return Playback(state=PlaybackState.PAUSED, read_at=0.0, title="t", progress_ms=0)


def decide(**kwargs: object) -> float | None:
    fields: dict[str, object] = {"playback": None, "error": None, "now": 0.0} | kwargs
    return next_poll(PollInput(**fields), CONFIG, random.Random(1)).delay_s  # type: ignore[arg-type]


def test_first_poll_is_immediate() -> None:
    assert decide() == 0.0


def test_playing_far_from_the_end_uses_the_interval() -> None:
    assert decide(playback=playing(0, 200_000)) == CONFIG.playing_interval_s


def test_playing_near_the_end_polls_just_after_it() -> None:
    delay = decide(playback=playing(197_000, 200_000))
    assert delay == pytest.approx(3.0 + CONFIG.end_margin_s)


def test_end_prediction_uses_time_since_the_read() -> None:
    delay = decide(playback=playing(190_000, 200_000, read_at=0.0), now=8.0)
    assert delay == pytest.approx(2.0 + CONFIG.end_margin_s)


def test_past_the_predicted_end_does_not_spin() -> None:
    delay = decide(playback=playing(200_000, 200_000), now=30.0)
    assert delay is not None and delay >= CONFIG.min_delay_s


def test_custom_interval_while_playing() -> None:
    config = PollConfig(playing_interval_s=10)
    state = PollInput(playback=playing(0, 200_000), error=None, now=0.0)
    assert next_poll(state, config, random.Random()).delay_s == 10


def test_paused_and_idle() -> None:
    assert decide(playback=paused()) == 15
    assert decide(playback=Playback.idle(0.0)) == 30


def test_long_quiet_spells_back_off() -> None:
    assert decide(playback=paused(), now=700.0, quiet_since=0.0) == 180
    assert decide(playback=Playback.idle(0.0), now=700.0, quiet_since=0.0) == 180
    assert decide(playback=Playback.idle(0.0), now=100.0, quiet_since=0.0) == 30
    assert decide(playback=Playback.idle(0.0), now=4000.0, quiet_since=0.0) == 600


def test_open_popup_keeps_a_paused_display_fresh() -> None:
    assert decide(playback=paused(), popup_visible=True) == CONFIG.playing_interval_s


@pytest.mark.parametrize("error", [Offline(), ApiUnavailable()])
def test_failures_back_off_exponentially_with_jitter(error: Exception) -> None:
    delays = [decide(error=error, failures=n) for n in range(1, 12)]
    assert all(d is not None for d in delays)
    assert 4.0 <= delays[0] <= 6.0  # type: ignore[operator]
    assert 8.0 <= delays[1] <= 12.0  # type: ignore[operator]
    assert delays[-1] == CONFIG.backoff_max_s or 240 <= delays[-1] <= 300  # type: ignore[operator]
    assert max(delays) <= CONFIG.backoff_max_s  # type: ignore[type-var]


def test_backoff_jitter_spreads_clients() -> None:
    rng = random.Random(7)
    assert len({round(backoff_delay(3, CONFIG, rng), 3) for _ in range(10)}) > 5


def test_rate_limit_waits_for_retry_after_plus_jitter() -> None:
    delay = decide(error=RateLimited(42), failures=1)
    assert delay is not None and 42 <= delay <= 42 + CONFIG.rate_limit_jitter_s


@pytest.mark.parametrize("error", [AuthRequired(), MissingClientId()])
def test_login_needed_stops_polling(error: Exception) -> None:
    assert decide(error=error, failures=1) is None


def test_problems_the_person_must_fix_are_checked_rarely() -> None:
    assert decide(error=NotAllowListed(), failures=1) == CONFIG.backoff_max_s


def test_retry_after_zero_still_holds_for_a_few_seconds() -> None:
    delay = decide(error=RateLimited(0), failures=1)
    assert delay is not None
    assert (
        CONFIG.zero_retry_after_s <= delay <= CONFIG.zero_retry_after_s + CONFIG.rate_limit_jitter_s
    )
    assert CONFIG.zero_retry_after_s >= 2


def test_between_items_looks_again_soon() -> None:
    playing = Playback(state=PlaybackState.PLAYING, read_at=0.0, title="T", duration_ms=300_000)
    assert decide(playback=playing, between_items=True) == CONFIG.between_items_s
    assert decide(playback=playing) == CONFIG.playing_interval_s


# -- the daily request budget ------------------------------------------------------------


def budget(spent: int, limit: int = 1000, frees_in_s: float | None = 3600.0) -> BudgetView:
    return BudgetView(limit=limit, spent=spent, frees_in_s=frees_in_s)


def test_a_generous_budget_changes_nothing() -> None:
    roomy = budget(0, limit=1_000_000)
    assert decide(playback=playing(0, 200_000), budget=roomy) == CONFIG.playing_interval_s
    assert decide(playback=paused(), budget=roomy) == 15
    assert decide(playback=Playback.idle(0.0), budget=roomy) == 30


def test_intervals_stretch_as_the_budget_runs_down() -> None:
    delays = [decide(playback=playing(0, 3_600_000), budget=budget(n)) for n in (0, 500, 800)]
    assert delays == sorted(delays) and len(set(delays)) == 3
    # Over a whole listening day: what is left above the reserve, less one request per
    # expected item end, spread evenly; with no more than the item ends, only those.
    day = CONFIG.budget_horizon_s
    assert delays[0] == pytest.approx(day / (900 - day / CONFIG.typical_item_s))
    assert delays[2] == CONFIG.reserve_poll_s


def test_the_budget_is_planned_over_what_is_left_of_the_day() -> None:
    view = budget(200)
    whole = decide(playback=playing(0, 3_600_000), budget=view)
    evening = decide(playback=playing(0, 3_600_000), budget=view, day_left_s=2 * 3600.0)
    assert whole is not None and evening is not None and evening < whole
    # Requests that leave the rolling window before the day ends are planned with.
    leaving = BudgetView(1000, 800, frees_in_s=60.0, leaving_s=tuple(60.0 * n for n in range(800)))
    assert decide(playback=playing(0, 3_600_000), budget=leaving) < CONFIG.reserve_poll_s  # type: ignore[operator]


def test_a_spent_budget_spends_each_freed_request_on_the_next_item_end() -> None:
    spent = budget(1000, frees_in_s=30.0)
    state = PollInput(playback=playing(100_000, 200_000), error=None, now=0.0, budget=spent)
    decision = next_poll(state, CONFIG, random.Random(1))
    assert decision.delay_s == pytest.approx(100.0 + CONFIG.end_margin_s)
    assert decision.reason == "budget spent"


def test_a_track_end_is_still_polled_on_a_thin_budget() -> None:
    delay = decide(playback=playing(190_000, 200_000), budget=budget(850))
    assert delay == pytest.approx(10.0 + CONFIG.end_margin_s)


def test_paused_and_idle_stretch_further_than_playing() -> None:
    view = budget(500)
    play = decide(playback=playing(0, 3_600_000), budget=view)
    pause = decide(playback=paused(), budget=view)
    idle = decide(playback=Playback.idle(0.0), budget=view)
    assert play is not None and pause is not None and idle is not None
    assert play < pause < idle


def test_the_popup_and_a_control_draw_on_the_reserve() -> None:
    thin = budget(950)  # below the 10 % reserve: background polling is slow
    background = decide(playback=playing(0, 3_600_000), budget=thin)
    popup = decide(playback=playing(0, 3_600_000), budget=thin, popup_visible=True)
    control = decide(playback=paused(), budget=thin, now=10.0, last_interaction=0.0)
    later = decide(playback=paused(), budget=thin, now=100.0, last_interaction=0.0)
    assert background is not None and popup is not None and control is not None
    assert popup < background and control < background
    assert later is not None and later > control


def test_a_spent_budget_waits_until_a_request_leaves_the_window() -> None:
    spent = budget(1000, frees_in_s=1234.0)
    for kwargs in ({}, {"popup_visible": True}, {"last_interaction": 0.0}):
        state = PollInput(playback=playing(0, 200_000), error=None, now=1.0, budget=spent, **kwargs)
        decision = next_poll(state, CONFIG, random.Random(1))
        assert decision.delay_s == 1234.0 and decision.reason == "budget spent"
