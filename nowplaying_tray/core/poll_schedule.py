"""What the poller remembers between polls, and the next delay it leads to.

``core.policy.next_poll`` is a pure function of one ``PollInput``. This is the
bookkeeping that fills that input from one poll to the next: the last playback
(carried over while Spotify is briefly between two items), the last error and how
many polls in a row failed, since when nothing has played, and whether someone is
looking. Plain code with no clock or timer of its own: the caller passes ``now``,
so the app's ``Poller`` and the polling benchmark run the very same bookkeeping.
"""

from __future__ import annotations

import random

from nowplaying_tray.core.budget import BudgetView
from nowplaying_tray.core.errors import NowPlayingError
from nowplaying_tray.core.model import Playback, PlaybackState, keep_last_item
from nowplaying_tray.core.policy import PollConfig, PollDecision, PollInput, next_poll

# Reads with no item while playing that still show the last item; past them, Spotify is
# not between items but playing something it does not describe.
MAX_BETWEEN_READS = 3


class PollSchedule:
    """The state between polls; ``next`` asks the policy for the next delay."""

    def __init__(self, config: PollConfig | None = None, rng: random.Random | None = None):
        self.config = config or PollConfig()
        self._rng = rng or random.Random()
        self.popup_visible = False
        self.last_interaction: float | None = None  # when a control was last used
        self._playback: Playback | None = None
        self._error: NowPlayingError | None = None
        self._failures = 0  # consecutive failed polls
        self._between_reads = 0  # consecutive reads between two items
        self._quiet_since: float | None = None  # when playback last stopped playing

    @property
    def playback(self) -> Playback | None:
        return self._playback

    @property
    def error(self) -> NowPlayingError | None:
        return self._error

    @property
    def failures(self) -> int:
        return self._failures

    @property
    def quiet_since(self) -> float | None:
        return self._quiet_since

    def read(self, read: Playback, now: float) -> Playback:
        """A poll answered ``read``; returns what to show (the last item, between items)."""
        self._between_reads = self._between_reads + 1 if read.between_items else 0
        carry = 0 < self._between_reads <= MAX_BETWEEN_READS
        self.told(keep_last_item(self._playback, read) if carry else read, now)
        assert self._playback is not None
        return self._playback

    def told(self, playback: Playback, now: float) -> None:
        """``playback`` is what plays now (read by a poll)."""
        self._error, self._failures = None, 0
        if playback.state is PlaybackState.PLAYING:
            self._quiet_since = None
        elif self._quiet_since is None:
            self._quiet_since = now
        self._playback = playback

    def failed(self, error: NowPlayingError) -> None:
        """A poll failed with ``error``."""
        self._failures += 1
        self._error = error

    def restart(self) -> None:
        """Polling starts (again): earlier failures no longer count for the backoff."""
        self._failures = 0

    def reset(self, error: NowPlayingError | None) -> None:
        """Forget the last playback; ``error`` is what holds now (e.g. after logging out)."""
        self._playback, self._error, self._failures = None, error, 0

    def next(
        self, now: float, budget: BudgetView | None = None, day_left_s: float | None = None
    ) -> PollDecision:
        """The delay before the next poll, from what is known at ``now``; ``day_left_s``:
        what is left of the listening day the budget is planned over."""
        return next_poll(self.poll_input(now, budget, day_left_s), self.config, self._rng)

    def poll_input(
        self, now: float, budget: BudgetView | None = None, day_left_s: float | None = None
    ) -> PollInput:
        return PollInput(
            playback=self._playback,
            error=self._error,
            now=now,
            failures=self._failures,
            quiet_since=self._quiet_since,
            popup_visible=self.popup_visible,
            between_items=self._between_reads == 1 and self._error is None,
            last_interaction=self.last_interaction,
            budget=budget,
            day_left_s=day_left_s,
        )
