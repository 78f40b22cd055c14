"""Spotify's rate limit: one window for the whole app.

After a 429, no call of any kind (poll, library check, control, refresh) goes
out before the window ends. The gateway opens it from the answer; the poller
reads it to hold its schedule back.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from nowplaying_tray.core.errors import RateLimited
from nowplaying_tray.core.limits import MAX_WAIT_S


class RateLimitWindow:
    """The time before which Spotify said not to ask again."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._since: float | None = None  # when the last 429 arrived (a clock reading)
        self._retry_after = 0.0  # what it said, in seconds
        self._quota_exceeded = False

    def limit(self, error: RateLimited) -> None:
        """A 429 arrived now: nothing before its ``Retry-After``."""
        self._since = self._clock()
        self._retry_after = min(max(0.0, error.retry_after), MAX_WAIT_S)
        self._quota_exceeded = error.quota_exceeded

    @property
    def quota_exceeded(self) -> bool:
        """The last 429 said the day's quota is spent (a long wait)."""
        return self._quota_exceeded

    def remaining_s(self, zero_hold_s: float = 0.0) -> float:
        """Seconds left. ``zero_hold_s``: the hold a ``Retry-After: 0`` stands for (the
        poller never takes it as "ask again at once"; a control may)."""
        if self._since is None:
            return 0.0
        hold = self._retry_after if self._retry_after > 0 else zero_hold_s
        return max(0.0, self._since + hold - self._clock())

    def check(self) -> None:
        """Raise ``RateLimited`` while the window is open."""
        wait = self.remaining_s()
        if wait > 0:
            raise RateLimited(wait, quota_exceeded=self._quota_exceeded)
