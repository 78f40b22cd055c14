"""When to ask Spotify next: the adaptive polling schedule, as a pure function.

Given the last playback, the last error, what the person is doing and what is
left of the daily request budget, it returns the next delay. No clock or timer
lives here, so every case can be tested with plain numbers.

The budget is planned over the person's whole listening day (``day_left_s``: learned
from the last days, 16 hours until then): predicted item ends come first (one request
per item, so every natural change is seen), the rest is spread over what is left of the
day, together with the requests that leave the rolling 24-hour window by then; a
reserve serves the popup, Refresh and controls. It never stops while a login is stored:
with the budget spent, each request that leaves the window goes to the next item end.
Paused and idle polling stretch further than playing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from nowplaying_tray.core.budget import BudgetView
from nowplaying_tray.core.errors import (
    AuthRequired,
    KeyringUnavailable,
    MissingClientId,
    NotAllowListed,
    NowPlayingError,
    RateLimited,
)
from nowplaying_tray.core.limits import MAX_WAIT_S
from nowplaying_tray.core.model import Playback, PlaybackState


@dataclass(frozen=True)
class PollConfig:
    playing_interval_s: float = 5.0  # to catch skips made on another device
    paused_interval_s: float = 15.0
    idle_interval_s: float = 30.0
    quiet_after_s: float = 600.0  # paused or idle this long counts as a quiet spell
    quiet_interval_s: float = 180.0
    deep_quiet_after_s: float = 3600.0  # nothing for an hour: the person is away
    deep_quiet_interval_s: float = 600.0
    end_margin_s: float = 0.3  # poll just after the predicted end of the item
    min_delay_s: float = 0.5
    backoff_start_s: float = 5.0
    backoff_max_s: float = 300.0
    backoff_jitter: float = 0.2  # +-20 %
    rate_limit_jitter_s: float = 2.0  # added after Retry-After, so clients do not stampede
    # "Retry-After: 0" would mean asking again at once, straight after a refusal.
    zero_retry_after_s: float = 3.0
    between_items_s: float = 1.0  # Spotify reported no item while playing: look again soon
    interactive_s: float = 30.0  # after a control, poll as if the popup were open this long
    budget_horizon_s: float = 16 * 3600.0  # the listening day, when none was learned
    budget_min_day_left_s: float = 3600.0  # past the expected day's end: an hour at a time
    typical_item_s: float = 210.0  # 3.5 min: how many item ends the rest of the day holds
    reserve_poll_s: float = 1200.0  # on the reserve: item ends, and a look now and then
    budget_interactive_horizon_s: float = 1800.0  # the same for the popup, on the reserve
    budget_reserve: float = 0.1  # share of the budget kept for the popup and controls
    paused_pace_factor: float = 2.0  # paused and idle polls stretch further than playing
    idle_pace_factor: float = 4.0


@dataclass(frozen=True)
class PollInput:
    playback: Playback | None
    error: NowPlayingError | None
    now: float  # the same monotonic clock as ``Playback.read_at``
    failures: int = 0  # consecutive failed polls, this one included
    quiet_since: float | None = None  # when playback last stopped playing
    popup_visible: bool = False
    between_items: bool = False  # the last read was the first one between two items
    last_interaction: float | None = None  # when a control was last used (same clock)
    budget: BudgetView | None = None  # None: no budget (every request is free)
    day_left_s: float | None = None  # what is left of the listening day; None: a whole one


@dataclass(frozen=True)
class PollDecision:
    delay_s: float | None  # None: stop polling until something outside changes
    reason: str


def next_poll(state: PollInput, config: PollConfig, rng: random.Random) -> PollDecision:
    """The delay before the next poll, and a short reason for the log."""
    if state.error is not None:
        return _after_error(state, config, rng)
    budget = state.budget
    playback = state.playback
    if budget is not None and budget.remaining <= 0:
        # Our own count says the day's budget is spent: wait until a request frees up,
        # and spend it on the next item end (never a full stop while a login is stored).
        wait = budget.frees_in_s if budget.frees_in_s is not None else budget.window_s
        ends_in = playback.remaining_s(state.now) if playback is not None else None
        if playback is not None and playback.is_playing and ends_in is not None:
            wait = max(wait, ends_in + config.end_margin_s)
        return PollDecision(max(config.min_delay_s, wait), "budget spent")
    if playback is None:
        return PollDecision(0.0, "first poll")
    if state.between_items:
        return PollDecision(config.between_items_s, "between items")
    interactive = state.popup_visible or (
        state.last_interaction is not None
        and state.now - state.last_interaction < config.interactive_s
    )
    if interactive:
        # Someone is looking or just pressed a button: keep it fresh, on the reserve.
        pace = budget_pace(budget, config, interactive=True)
        interval = max(config.playing_interval_s, pace)
        reason = "popup open" if state.popup_visible else "after a control"
        if playback.state is PlaybackState.PLAYING:
            return _until_end_or(playback, state.now, interval, reason, config)
        return PollDecision(interval, reason)
    pace = budget_pace(budget, config, interactive=False, day_left_s=state.day_left_s)
    if playback.state is PlaybackState.PLAYING:
        interval = max(config.playing_interval_s, pace)
        return _until_end_or(playback, state.now, interval, _paced("playing", pace, config), config)
    paused = playback.state is PlaybackState.PAUSED
    base = config.paused_interval_s if paused else config.idle_interval_s
    factor = config.paused_pace_factor if paused else config.idle_pace_factor
    label = playback.state.value
    quiet_for = state.now - state.quiet_since if state.quiet_since is not None else 0.0
    if quiet_for >= config.deep_quiet_after_s:
        base, label = max(base, config.deep_quiet_interval_s), f"{label}, away"
    elif quiet_for >= config.quiet_after_s:
        base, label = max(base, config.quiet_interval_s), f"{label}, quiet"
    return PollDecision(max(base, factor * pace), _paced(label, factor * pace, config, base))


def budget_pace(
    budget: BudgetView | None,
    config: PollConfig,
    interactive: bool,
    day_left_s: float | None = None,
) -> float:
    """The shortest interval the budget allows now, in seconds (0: no limit).

    Background polls plan the rest of the listening day: what is left above the reserve,
    plus what leaves the rolling window by the day's end, less one request per expected
    item end (polled first, by ``_until_end_or``), spread evenly. The popup and controls
    may also spend the reserve, over a shorter horizon. Once the background share is
    gone, background polls keep to item ends and the pace requests leave the window.
    """
    if budget is None:
        return 0.0
    reserve = budget.limit * config.budget_reserve
    if interactive:
        return config.budget_interactive_horizon_s / max(1, budget.remaining)
    rest = max(
        config.budget_min_day_left_s,
        day_left_s if day_left_s is not None else config.budget_horizon_s,
    )
    above = budget.remaining - reserve
    if above < 1:
        frees = budget.frees_in_s if budget.frees_in_s is not None else rest
        return min(config.reserve_poll_s, max(frees, config.playing_interval_s))
    usable = above + budget.frees_within(rest) - rest / config.typical_item_s
    if usable < 1:
        return config.reserve_poll_s  # item ends only, and a look now and then
    return rest / usable


def _paced(label: str, pace: float, config: PollConfig, base: float | None = None) -> str:
    floor = config.playing_interval_s if base is None else base
    return f"{label}, budget" if pace > floor else label


def _until_end_or(
    playback: Playback, now: float, interval: float, reason: str, config: PollConfig
) -> PollDecision:
    """``interval``, or sooner if the item ends before then (a natural end is always seen)."""
    remaining = playback.remaining_s(now)
    if remaining is not None and remaining + config.end_margin_s < interval:
        delay = max(config.min_delay_s, remaining + config.end_margin_s)
        return PollDecision(delay, "item ends")
    return PollDecision(interval, reason)


def _after_error(state: PollInput, config: PollConfig, rng: random.Random) -> PollDecision:
    error = state.error
    if isinstance(error, AuthRequired | MissingClientId):
        return PollDecision(None, "login needed")
    if isinstance(error, RateLimited):
        return PollDecision(
            rate_limit_hold_s(error, config) + rng.uniform(0, config.rate_limit_jitter_s),
            "rate-limited",
        )
    if isinstance(error, NotAllowListed | KeyringUnavailable):
        # Needs the person to fix something; check again now and then.
        return PollDecision(config.backoff_max_s, "needs attention")
    # Offline, ApiUnavailable and anything unexpected: back off and try again.
    return PollDecision(backoff_delay(state.failures, config, rng), "backing off")


def rate_limit_hold_s(error: RateLimited, config: PollConfig) -> float:
    """How long a 429 holds every poll back: its Retry-After, never zero, at most a day."""
    if error.retry_after <= 0:
        return config.zero_retry_after_s
    return min(error.retry_after, MAX_WAIT_S)


def backoff_delay(failures: int, config: PollConfig, rng: random.Random) -> float:
    """Exponential backoff from ``backoff_start_s`` to ``backoff_max_s``, with jitter."""
    exponent = max(0, failures - 1)
    base = min(config.backoff_max_s, config.backoff_start_s * (2.0 ** min(exponent, 16)))
    jitter = 1 + rng.uniform(-config.backoff_jitter, config.backoff_jitter)
    return min(config.backoff_max_s, max(config.backoff_start_s, base * jitter))
