"""Spotify's rate limit: one window for the whole app.

After a 429, no call of any kind (poll, library check, control, refresh) goes
out before the window ends. The gateway opens it from the answer; the poller
reads it to hold its schedule back.

Spotify's window covers every process of the app, so it is kept in a small file in
the state directory (beside the request count): written when a 429 opens it, read
before each request (on the worker, never on the GUI thread). A ``now`` run then
waits as the tray does, and the tray as a ``now`` run was told to.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from nowplaying_tray.core.atomic import write_text_atomic
from nowplaying_tray.core.errors import RateLimited
from nowplaying_tray.core.limits import MAX_WAIT_S
from nowplaying_tray.core.state_file import BadStateValue, finite_number, read_state

logger = logging.getLogger(__name__)

FILE_NAME = "rate_limit.json"
MAX_FILE_BYTES = 4096


class RateLimitWindow:
    """The time before which Spotify said not to ask again."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        path: Path | None = None,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self._clock = clock
        self.path = path  # shared with the app's other processes; None: this one only
        self._wall_clock = wall_clock
        self._since: float | None = None  # when the last 429 arrived (a clock reading)
        self._retry_after = 0.0  # what it said, in seconds
        self._quota_exceeded = False

    def limit(self, error: RateLimited) -> None:
        """A 429 arrived now: nothing before its ``Retry-After``."""
        self._since = self._clock()
        self._retry_after = min(max(0.0, error.retry_after), MAX_WAIT_S)
        self._quota_exceeded = error.quota_exceeded
        self._save()

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
        """Raise ``RateLimited`` while the window is open (here or in another process)."""
        self.load()
        wait = self.remaining_s()
        if wait > 0:
            raise RateLimited(wait, quota_exceeded=self._quota_exceeded)

    # the shared file -------------------------------------------------------------------

    def load(self) -> None:
        """Adopt a later window another process saved. File I/O: not on the GUI thread."""
        if self.path is None:
            return
        wall_now = self._wall_clock()

        def parse(raw: Any) -> tuple[float, bool]:
            if not isinstance(raw, dict):
                raise BadStateValue("not an object")
            # A window ends at most a day from now (MAX_WAIT_S); later is not ours.
            until = finite_number(raw.get("until"), 0.0, wall_now + MAX_WAIT_S + 60)
            return until, raw.get("quota_exceeded") is True

        read = read_state(self.path, parse, MAX_FILE_BYTES)
        if read is None:
            return
        until, quota = read
        wait = min(until - wall_now, MAX_WAIT_S)
        if wait > self.remaining_s():
            self._since, self._retry_after, self._quota_exceeded = self._clock(), wait, quota

    def _save(self) -> None:
        if self.path is None:
            return
        until = self._wall_clock() + self._retry_after
        data = {"version": 1, "until": round(until, 3), "quota_exceeded": self._quota_exceeded}
        try:
            write_text_atomic(self.path, json.dumps(data) + "\n")
        except OSError as exc:
            logger.warning("Could not save the rate limit to %s: %s", self.path, exc)


def rate_limit_file(state_dir: Path) -> Path:
    return state_dir / FILE_NAME
