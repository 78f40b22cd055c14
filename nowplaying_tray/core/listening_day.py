"""How long the person's listening day is: what the request budget is planned over.

A day starts with the first play after a long quiet spell (the night) and lasts, by
expectation, as long as the last days' did: the median span from first to last play
of the last days, kept in the state directory, or 16 hours until there are any. The
schedule (``core.policy``) spreads what is left of the budget over what is left of
that day. Wall clock: the days must mean something across restarts.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from nowplaying_tray.core.atomic import write_text_atomic
from nowplaying_tray.core.state_file import BadStateValue, finite_number, read_state

logger = logging.getLogger(__name__)

FILE_NAME = "listening_days.json"
DEFAULT_DAY_S = 16 * 3600.0
NIGHT_GAP_S = 5 * 3600.0  # nothing played this long: the next play starts a new day
MIN_DAY_S = 3600.0  # shorter days (a few songs) say little about the next one
MAX_DAY_S = 24 * 3600.0
KEPT_DAYS = 8  # today and the last seven
MAX_FILE_BYTES = 4096


class ListeningDay:
    """The days' spans of playing, and what is left of today's. Thread-safe: noted on the
    GUI thread, saved on the worker."""

    def __init__(
        self,
        path: Path | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = path
        self._clock = clock
        self._lock = threading.Lock()
        self._days: list[list[float]] = []  # [first play, last play], oldest first

    def note_playing(self) -> None:
        """Something plays now."""
        now = self._clock()
        with self._lock:
            if not self._days or now - self._days[-1][1] >= NIGHT_GAP_S:
                self._days.append([now, now])
                del self._days[:-KEPT_DAYS]
            else:
                self._days[-1][1] = now

    def expected_s(self, default_s: float = DEFAULT_DAY_S) -> float:
        """How long a listening day lasts: the median of the last days', or ``default_s``."""
        with self._lock:
            return self._expected_locked(default_s)

    def _expected_locked(self, default_s: float) -> float:
        spans = [last - first for first, last in self._days[:-1] if last - first >= MIN_DAY_S]
        return min(MAX_DAY_S, _median(spans)) if spans else default_s

    def left_s(self, default_s: float = DEFAULT_DAY_S) -> float:
        """What is left of today's listening day (a whole day when none has begun);
        ``default_s``: a day's length until one is learned."""
        now = self._clock()
        with self._lock:
            expected = self._expected_locked(default_s)
            if not self._days or now - self._days[-1][1] >= NIGHT_GAP_S:
                return expected
            return max(0.0, self._days[-1][0] + expected - now)

    # the file -------------------------------------------------------------------------

    def load(self) -> None:
        """Read the last days (file I/O: not on the GUI thread); a broken file is ignored."""
        if self.path is None:
            return
        latest = self._clock() + MAX_DAY_S  # a wall-clock time, at most a day ahead

        def parse(raw: Any) -> list[list[float]]:
            pairs = raw.get("days") if isinstance(raw, dict) else None
            if not isinstance(pairs, list):
                raise BadStateValue("no list of days")
            days = []
            for first, last in pairs:
                first_s = finite_number(first, 0.0, latest)
                last_s = finite_number(last, first_s, latest)
                if last_s - first_s <= MAX_DAY_S:
                    days.append([first_s, last_s])
            return days

        days = read_state(self.path, parse, MAX_FILE_BYTES)
        if days is None:
            return
        with self._lock:
            merged = sorted(days + self._days)
            self._days = merged[-KEPT_DAYS:]

    def save(self) -> None:
        if self.path is None:
            return
        with self._lock:
            data = {"version": 1, "days": [[round(a, 1), round(b, 1)] for a, b in self._days]}
        try:
            write_text_atomic(self.path, json.dumps(data) + "\n")
        except OSError as exc:
            logger.warning("Could not save the listening days to %s: %s", self.path, exc)


def listening_day_file(state_dir: Path) -> Path:
    return state_dir / FILE_NAME


def _median(values: list[float]) -> float:
    # Not statistics.median: that module costs 4 ms of every start for two lines.
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
