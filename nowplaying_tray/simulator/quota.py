"""A daily quota on the Web API, as Spotify enforces it in 2026.

Apps report being refused with ``QUOTA_EXCEEDED`` after about 1,100 requests in
a day, and then for many hours (13.6 h in one report). Off by default; a test,
a benchmark or the demo turns it on with ``set_daily_quota``. Requests refused
by the quota do not count against it.
"""

from __future__ import annotations

import logging
import math
import threading
from collections import deque
from collections.abc import Callable
from typing import Any

from .http_types import Response, api_error

logger = logging.getLogger(__name__)

DAY_S = 24 * 3600
DEFAULT_LOCKOUT_S = 49_000  # about 13.6 h, as reported


class DailyQuota:
    def __init__(self, clock: Callable[[], float]) -> None:
        self._lock = threading.Lock()
        self._clock = clock
        self._limit: int | None = None
        self._window_s: float = DAY_S
        self._lockout_s: float = DEFAULT_LOCKOUT_S
        self._times: deque[float] = deque()
        self._locked_until = 0.0

    def configure(
        self,
        limit: int | None,
        window_s: float = DAY_S,
        lockout_s: float = DEFAULT_LOCKOUT_S,
    ) -> None:
        """``limit`` Web API requests per rolling ``window_s``; None turns the quota off."""
        if limit is not None and limit < 0:
            raise ValueError("limit must not be negative (or null for no quota)")
        if window_s <= 0 or lockout_s <= 0:
            raise ValueError("window_s and lockout_s must be positive")
        with self._lock:
            self._limit, self._window_s, self._lockout_s = limit, window_s, lockout_s
            self._times.clear()
            self._locked_until = 0.0

    def take(self) -> Response | None:
        """Count one Web API request; the refusal to send instead, once the quota is spent."""
        with self._lock:
            if self._limit is None:
                return None
            now = self._clock()
            while self._times and self._times[0] <= now - self._window_s:
                self._times.popleft()
            if now < self._locked_until or len(self._times) >= self._limit:
                if now >= self._locked_until:
                    self._locked_until = now + self._lockout_s
                    logger.info("daily quota of %d requests spent", self._limit)
                retry_after = max(1, math.ceil(self._locked_until - now))
                return api_error(
                    429,
                    "API rate limit exceeded",
                    reason="QUOTA_EXCEEDED",
                    headers={"Retry-After": str(retry_after)},
                )
            self._times.append(now)
            return None

    def state(self) -> dict[str, Any]:
        with self._lock:
            now = self._clock()
            used = sum(1 for t in self._times if t > now - self._window_s)
            return {
                "limit": self._limit,
                "used": used,
                "window_s": self._window_s,
                "locked_for_s": max(0.0, round(self._locked_until - now, 1)),
            }
