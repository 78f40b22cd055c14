"""The daily request budget: how many requests went to Spotify in the last 24 hours.

Spotify refuses an app for hours once a daily quota is spent (``QUOTA_EXCEEDED``),
and that quota is shared by every client of the same developer account. So the
app counts every request it sends (polls, controls, token refreshes, ``now``
from the command line) in a rolling window, and the schedule in ``policy``
spends what is left where it matters.

The count is kept across restarts in the state directory. Saving merges with
what is on disk, so a ``now`` run beside the tray app is counted by both. The
clock is the wall clock (a monotonic reading means nothing after a restart).
Thread-safe: requests are recorded on the worker, the schedule reads on the GUI
thread.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from array import array
from bisect import bisect_right, insort
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nowplaying_tray.core.atomic import write_text_atomic
from nowplaying_tray.core.state_file import BadStateValue, finite_number, read_state

logger = logging.getLogger(__name__)

DAY_S = 24 * 3600.0
DEFAULT_DAILY_BUDGET = 1000
FILE_NAME = "request_budget.json"
SAVE_EVERY_S = 60.0  # a crash loses at most a minute of counts, and the disk stays quiet


@dataclass(frozen=True)
class BudgetView:
    """A snapshot of the budget, for the schedule and for people."""

    limit: int
    spent: int  # requests in the last window
    window_s: float = DAY_S
    frees_in_s: float | None = None  # until the oldest counted request leaves the window
    # Seconds until each counted request leaves the window, soonest first: what the
    # rolling window gives back over the rest of the day.
    leaving_s: tuple[float, ...] = ()

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.spent)

    def frees_within(self, seconds: float) -> int:
        """How many counted requests leave the window within ``seconds`` from now."""
        return bisect_right(self.leaving_s, seconds)

    @property
    def fraction_spent(self) -> float:
        return min(1.0, self.spent / self.limit) if self.limit > 0 else 1.0

    def to_json(self) -> dict[str, Any]:
        return {
            "daily_budget": self.limit,
            "spent_24h": self.spent,
            "remaining": self.remaining,
            "window_s": self.window_s,
            "frees_in_s": None if self.frees_in_s is None else round(self.frees_in_s, 1),
        }


class RequestBudget:
    """A rolling count of requests, optionally kept in a file."""

    def __init__(
        self,
        limit: int = DEFAULT_DAILY_BUDGET,
        path: Path | None = None,
        clock: Callable[[], float] = time.time,
        window_s: float = DAY_S,
        save_every_s: float = SAVE_EVERY_S,
    ) -> None:
        self._lock = threading.Lock()
        self._limit = max(1, int(limit))
        self.path = path
        self._clock = clock
        self.window_s = window_s
        self._save_every_s = save_every_s
        # Sorted request times, 8 bytes each: a day of them stays small.
        self._times = array("d")
        self._saved_at: float | None = None
        self._dirty = False

    @property
    def limit(self) -> int:
        return self._limit

    def set_limit(self, limit: int) -> None:
        with self._lock:
            self._limit = max(1, int(limit))

    def record(self, count: int = 1) -> None:
        """Count ``count`` requests sent now; saves to the file now and then."""
        now = round(self._clock(), 3)
        with self._lock:
            for _ in range(count):
                insort(self._times, now)
            self._dirty = True
            due = self._saved_at is None or now - self._saved_at >= self._save_every_s
        if due and self.path is not None:
            self.save()

    def view(self) -> BudgetView:
        now = self._clock()
        with self._lock:
            self._trim(now)
            oldest = self._times[0] if self._times else None
            leave = self.window_s - now
            return BudgetView(
                limit=self._limit,
                spent=len(self._times),
                window_s=self.window_s,
                frees_in_s=None if oldest is None else max(0.0, oldest + self.window_s - now),
                leaving_s=tuple(max(0.0, t + leave) for t in self._times),
            )

    def spent_since(self, start: float) -> int:
        with self._lock:
            return len(self._times) - bisect_right(self._times, start)

    # the file ------------------------------------------------------------------

    def load(self) -> None:
        """Read the file (if any); a broken one is ignored: counting starts again."""
        times = self._read()
        with self._lock:
            self._times = _union(self._times, times)
            self._trim(self._clock())

    def save(self) -> None:
        """Merge with the file and write it atomically. Call it off the GUI thread."""
        if self.path is None:
            return
        on_disk = self._read()
        now = self._clock()
        with self._lock:
            # What another process (``now``) counted is on disk and not here yet.
            self._times = _union(self._times, on_disk)
            self._trim(now)
            data = {"version": 1, "window_s": self.window_s, "requests": list(self._times)}
            self._saved_at, self._dirty = now, False
        try:
            write_text_atomic(self.path, json.dumps(data, separators=(",", ":")) + "\n")
        except OSError as exc:
            logger.warning("Could not save the request count to %s: %s", self.path, exc)

    def save_if_changed(self) -> None:
        with self._lock:
            dirty = self._dirty
        if dirty:
            self.save()

    def _read(self) -> list[float]:
        """The request times on disk; a file with anything else in it is set aside."""
        if self.path is None:
            return []
        # A time is a wall-clock second, at most a window ahead (a clock set back).
        latest = self._clock() + self.window_s

        def parse(raw: Any) -> list[float]:
            stamps = raw.get("requests") if isinstance(raw, dict) else None
            if not isinstance(stamps, list):
                raise BadStateValue("no request list")
            return sorted(finite_number(stamp, 0.0, latest) for stamp in stamps)

        return read_state(self.path, parse) or []

    def _trim(self, now: float) -> None:
        cut = bisect_right(self._times, now - self.window_s)
        if cut:
            del self._times[:cut]


def _union(ours: array[float], theirs: list[float]) -> array[float]:
    """Both sorted; a time in both is one request (ours, saved earlier, read back)."""
    merged = array("d")
    i = j = 0
    while i < len(ours) and j < len(theirs):
        if ours[i] == theirs[j]:
            merged.append(ours[i])
            i, j = i + 1, j + 1
        elif ours[i] < theirs[j]:
            merged.append(ours[i])
            i += 1
        else:
            merged.append(theirs[j])
            j += 1
    merged.extend(ours[i:])
    merged.extend(theirs[j:])
    return merged


def budget_file(state_dir: Path) -> Path:
    return state_dir / FILE_NAME
