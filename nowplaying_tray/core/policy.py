"""When to ask Spotify next: the adaptive polling schedule, as a pure function.

Given the last playback, the last error and what the person is doing, it
returns the next delay. No clock or timer lives here, so every case can be
tested with plain numbers.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from nowplaying_tray.core.errors import (
    AuthRequired,
    KeyringUnavailable,
    MissingClientId,
    NotAllowListed,
    NowPlayingError,
    RateLimited,
)
from nowplaying_tray.core.model import Playback, PlaybackState


@dataclass(frozen=True)
class PollConfig:
    playing_interval_s: float = 5.0  # to catch skips made on another device
    paused_interval_s: float = 15.0
    idle_interval_s: float = 30.0
    quiet_after_s: float = 600.0  # paused or idle this long counts as a quiet spell
    quiet_interval_s: float = 60.0
    end_margin_s: float = 0.3  # poll just after the predicted end of the item
    min_delay_s: float = 0.5
    backoff_start_s: float = 5.0
    backoff_max_s: float = 300.0
    backoff_jitter: float = 0.2  # +-20 %
    rate_limit_jitter_s: float = 2.0  # added after Retry-After, so clients do not stampede
    # "Retry-After: 0" would mean asking again at once, straight after a refusal.
    zero_retry_after_s: float = 3.0
    between_items_s: float = 1.0  # Spotify reported no item while playing: look again soon


@dataclass(frozen=True)
class PollInput:
    playback: Playback | None
    error: NowPlayingError | None
    now: float  # the same monotonic clock as ``Playback.read_at``
    failures: int = 0  # consecutive failed polls, this one included
    quiet_since: float | None = None  # when playback last stopped playing
    popup_visible: bool = False
    between_items: bool = False  # the last read was the first one between two items


@dataclass(frozen=True)
class PollDecision:
    delay_s: float | None  # None: stop polling until something outside changes
    reason: str


def next_poll(state: PollInput, config: PollConfig, rng: random.Random) -> PollDecision:
    """The delay before the next poll, and a short reason for the log."""
    if state.error is not None:
        return _after_error(state, config, rng)
    playback = state.playback
    if playback is None:
        return PollDecision(0.0, "first poll")
    if state.between_items:
        return PollDecision(config.between_items_s, "between items")
    if playback.state is PlaybackState.PLAYING:
        return _while_playing(playback, state.now, config)
    base = (
        config.paused_interval_s
        if playback.state is PlaybackState.PAUSED
        else config.idle_interval_s
    )
    if state.popup_visible:
        # Someone is looking: keep it fresh, as when playing.
        return PollDecision(min(base, config.playing_interval_s), "popup open")
    quiet_for = state.now - state.quiet_since if state.quiet_since is not None else 0.0
    if quiet_for >= config.quiet_after_s:
        return PollDecision(max(base, config.quiet_interval_s), f"{playback.state.value}, quiet")
    return PollDecision(base, playback.state.value)


def _while_playing(playback: Playback, now: float, config: PollConfig) -> PollDecision:
    remaining = playback.remaining_s(now)
    if remaining is not None and remaining + config.end_margin_s < config.playing_interval_s:
        delay = max(config.min_delay_s, remaining + config.end_margin_s)
        return PollDecision(delay, "item ends")
    return PollDecision(config.playing_interval_s, "playing")


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
    """How long a 429 holds every poll back: its Retry-After, and never zero."""
    return error.retry_after if error.retry_after > 0 else config.zero_retry_after_s


def backoff_delay(failures: int, config: PollConfig, rng: random.Random) -> float:
    """Exponential backoff from ``backoff_start_s`` to ``backoff_max_s``, with jitter."""
    exponent = max(0, failures - 1)
    base = min(config.backoff_max_s, config.backoff_start_s * (2.0 ** min(exponent, 16)))
    jitter = 1 + rng.uniform(-config.backoff_jitter, config.backoff_jitter)
    return min(config.backoff_max_s, max(config.backoff_start_s, base * jitter))
