"""The poller: asks Spotify what is playing, on the adaptive schedule.

A timer-and-worker shell: it owns one single-shot timer and submits each read to
the worker. What it remembers between polls, and the next delay that follows from
it and from what is left of the daily request budget, is ``core.poll_schedule``'s
plain bookkeeping around the pure policy (``core.policy.next_poll``). ``poll_now``
requests (popup opened, a control used, network back) are merged by a short
debounce and never break a rate limit or a spent budget. ``suspend``/``resume``
turn polling off while something else answers (a local player that reports what
it plays).
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from nowplaying_tray.core.budget import BudgetView
from nowplaying_tray.core.errors import AuthRequired, MissingClientId, NowPlayingError, RateLimited
from nowplaying_tray.core.limits import MAX_WAIT_S
from nowplaying_tray.core.listening_day import ListeningDay
from nowplaying_tray.core.model import Playback
from nowplaying_tray.core.policy import PollConfig
from nowplaying_tray.core.poll_schedule import PollSchedule
from nowplaying_tray.core.rate_limit import RateLimitWindow
from nowplaying_tray.services.timers import precise, single_shot_timer
from nowplaying_tray.services.worker import TaskRunner

logger = logging.getLogger(__name__)

DEBOUNCE_MS = 250


class Poller(QObject):
    """Polls playback on the worker and reports it.

    Signals:
        playback_changed(Playback): after every successful poll.
        error_changed(NowPlayingError): the current error, or None once it clears.
        stopped(): polling stopped because a login is needed.
    """

    playback_changed = Signal(Playback)
    """What is playing, after every successful read."""
    error_changed = Signal(NowPlayingError)
    """The current error, or None once it clears."""
    stopped = Signal()
    """Polling stopped: a login or a client ID is needed."""

    def __init__(
        self,
        runner: TaskRunner,
        read_playback: Callable[[], Playback],
        rate_limit: RateLimitWindow,
        config: PollConfig | None = None,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
        budget: Callable[[], BudgetView] | None = None,
        day: ListeningDay | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._read_playback = read_playback
        self._clock = clock
        self._budget = budget
        self._day = day  # the listening day the budget is planned over
        self._schedule = PollSchedule(config, rng)
        self._suspended: str | None = None  # why polling is off, while it is
        self.last_reason = ""  # the policy's reason for the next poll, for people and tests
        self._in_flight = False
        self._again_after_flight = False
        self._running = False
        # Spotify's Retry-After: the gateway's window, which it opens on any 429.
        self._rate_limit = rate_limit
        self.next_poll_at: float | None = None
        self._timer = single_shot_timer(self, "poll-timer", 0, self._poll)  # precise: see below
        self._debounce = single_shot_timer(
            self, "poll-now-debounce", DEBOUNCE_MS, self._poll_now_due
        )

    # public -----------------------------------------------------------------------

    @property
    def config(self) -> PollConfig:
        return self._schedule.config

    def reconfigure(self, config: PollConfig) -> None:
        """A new schedule (e.g. the playing interval changed), from the next poll on."""
        self._schedule.config = config

    @property
    def playback(self) -> Playback | None:
        return self._schedule.playback

    @property
    def error(self) -> NowPlayingError | None:
        return self._schedule.error

    @property
    def running(self) -> bool:
        return self._running

    def retry_in_s(self) -> float | None:
        """Seconds until the next poll, for "retrying in N s" messages."""
        if self.next_poll_at is None:
            return None
        return max(0.0, self.next_poll_at - self._clock())

    @property
    def suspended(self) -> bool:
        return self._suspended is not None

    def suspend(self, reason: str) -> None:
        """No polls until ``resume``: something else tells what is playing now."""
        if self._suspended is None:
            logger.info("Polling suspended: %s", reason)
        self._suspended = reason
        self._timer.stop()
        self._debounce.stop()
        self.next_poll_at = None

    def resume(self) -> None:
        """Polling on again, starting with a poll now (rate limit and budget honoured)."""
        if self._suspended is None:
            return
        logger.info("Polling resumed after: %s", self._suspended)
        self._suspended = None
        if self._running:
            # At once, not debounced: the other source has just gone (or was never there,
            # at start-up), and the switch should show within a second.
            self._poll_now_due()

    def note_interaction(self) -> None:
        """A control was used: poll now, and briefly as if the popup were open."""
        self._schedule.last_interaction = self._clock()
        self.poll_now("after a control")

    def start(self) -> None:
        self._running = True
        self._schedule.restart()
        self._arm_timer(0.0)

    def stop(self) -> None:
        self._running = False
        self._timer.stop()
        self._debounce.stop()
        self.next_poll_at = None

    def reset(self, error: NowPlayingError | None) -> None:
        """Stop, forget the last playback and show ``error`` (e.g. after logging out)."""
        self.stop()
        self._schedule.reset(error)
        self.error_changed.emit(error)

    def poll_now(self, reason: str = "") -> None:
        """Poll soon (debounced); a rate limit and a spent budget are still honoured."""
        if not self._running or self._suspended is not None:
            return
        logger.debug("Poll requested: %s", reason)
        self._debounce.start()

    def set_popup_visible(self, visible: bool) -> None:
        self._schedule.popup_visible = visible
        if visible:
            self.poll_now("popup opened")

    # internals --------------------------------------------------------------------

    def _poll_now_due(self) -> None:
        wait = self._held_s()
        if wait > 0:
            logger.debug("Poll now deferred by the rate limit for %.0f s", wait)
            if not self._in_flight and not isinstance(self.error, RateLimited):
                # Another call (a control, a library check) met the 429: say so now, as
                # the poll would have heard from the gateway, without asking.
                quota = self._rate_limit.quota_exceeded
                self._on_error(RateLimited(wait, quota_exceeded=quota))
            return
        budget = self._current_budget()
        if budget is not None and budget.remaining <= 0:
            logger.debug("Poll now deferred: the daily request budget is spent")
            if not self._timer.isActive() and not self._in_flight:
                self._plan_next()  # never a full stop: the next poll as requests free up
            return
        self._arm_timer(0.0)

    def _arm_timer(self, delay_s: float) -> None:
        if not self._running or self._suspended is not None:
            return
        delay_s = max(delay_s, self._held_s(), 0.0)
        delay_s = min(delay_s, MAX_WAIT_S)  # QTimer holds at most ~24.8 days
        self.next_poll_at = self._clock() + delay_s
        delay_ms = int(delay_s * 1000)
        if delay_ms:  # end-of-track timing matters; the first poll's 0 ms needs no precision
            precise(self._timer)
        self._timer.start(delay_ms)

    def _poll(self) -> None:
        if not self._running or self._suspended is not None:
            return
        if self._in_flight:
            self._again_after_flight = True
            return
        self._in_flight = True
        self.next_poll_at = None
        self._runner.submit(self._read_playback, self._on_playback, self._on_error)

    def _on_playback(self, read: Playback) -> None:
        self._in_flight = False
        if self._suspended is not None:
            return  # an answer that was on its way: the other source knows better now
        had_error = self.error is not None
        playback = self._schedule.read(read, self._clock())
        if self._day is not None and playback.is_playing:
            self._day.note_playing()
        if had_error:
            self.error_changed.emit(None)
        self.playback_changed.emit(playback)
        self._plan_next()

    def _on_error(self, error: NowPlayingError) -> None:
        self._in_flight = False
        if self._suspended is not None:
            return
        self._schedule.failed(error)
        if isinstance(error, AuthRequired | MissingClientId):
            self._running = False
            self._timer.stop()
            self.next_poll_at = None
            self.error_changed.emit(error)
            self.stopped.emit()
            return
        try:
            self._plan_next()
        finally:
            self.error_changed.emit(error)  # the status must never freeze on a bad wait

    def _plan_next(self) -> None:
        if self._again_after_flight:
            self._again_after_flight = False
            self._arm_timer(0.0)
            return
        horizon = self.config.budget_horizon_s  # a day's length until one is learned
        day_left = self._day.left_s(horizon) if self._day is not None else None
        decision = self._schedule.next(self._clock(), self._current_budget(), day_left)
        self.last_reason = decision.reason
        logger.debug("Next poll in %s s (%s)", decision.delay_s, decision.reason)
        if decision.delay_s is None:
            self.stop()
        else:
            self._arm_timer(decision.delay_s)

    def _current_budget(self) -> BudgetView | None:
        return self._budget() if self._budget is not None else None

    def _held_s(self) -> float:
        """Seconds before Spotify may be asked again (never 0 right after a 429)."""
        return self._rate_limit.remaining_s(zero_hold_s=self.config.zero_retry_after_s)
