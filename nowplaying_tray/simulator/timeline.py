"""Clock-driven playback: the queue, position and device of the simulated listener.

Nothing ticks in the background. The position is stored as an anchor (progress at a
clock reading) and every read catches the timeline up with the injected clock, so a
fake clock in tests moves playback forward deterministically.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)

# Like the Spotify clients: "previous" past this point restarts the current item.
PREVIOUS_RESTART_THRESHOLD_MS = 3000


@dataclass(frozen=True)
class PlaybackState:
    """A consistent snapshot of the player, taken under its lock."""

    entry: dict[str, Any] | None  # None when idle
    index: int
    progress_ms: int
    is_playing: bool
    idle: bool
    private_session: bool
    repeat: bool  # the queue loops (``repeat_state`` context or track)
    repeat_state: str  # "off", "context" or "track", as the Web API says
    shuffle: bool
    device: dict[str, Any]
    context: dict[str, Any] | None  # the playlist or album playing from, if any
    changed_at: float  # clock reading of the last state change (Spotify's ``timestamp``)


def default_device() -> dict[str, Any]:
    """A device object with the shape of tests/fixtures/spotify/device.json."""
    return {
        "id": "3f1c5a9e0b7d4e2a8c6f1b3d5e7a9c0b2d4f6e8a",
        "is_active": True,
        "is_private_session": False,
        "is_restricted": False,
        "name": "Living Room Speaker",
        "type": "Speaker",
        "volume_percent": 70,
        "supports_volume": True,
    }


class Player:
    """The simulated playback state; every public method is thread-safe (one lock)."""

    def __init__(
        self,
        items: list[dict[str, Any]],
        *,
        clock: Callable[[], float],
        repeat: bool = True,
        context: dict[str, Any] | None = None,
    ) -> None:
        self._lock = threading.RLock()
        self._clock = clock
        self._repeat_state = "context" if repeat else "off"
        self._shuffle = False  # a flag only: the queue keeps its order
        self._context = context
        self._queue: list[dict[str, Any]] = list(items)
        self._index = 0
        self._anchor_ms = 0.0  # progress at _anchor_time
        self._anchor_time = clock()
        self._changed_at = self._anchor_time
        self._playing = bool(self._queue)
        self._idle = not self._queue
        self._private = False
        self.device: dict[str, Any] = default_device()
        self.device["is_active"] = not self._idle

    # -- internal helpers (call with the lock held) -------------------------------------

    def _now(self) -> float:
        return self._clock()

    def _progress_at(self, now: float) -> float:
        if not self._playing or self._idle:
            return self._anchor_ms
        # Rounded to the microsecond: clock readings near 1.8e9 s carry float noise that
        # would otherwise make "advance by exactly the duration" land a hair short.
        return self._anchor_ms + round(max(0.0, now - self._anchor_time) * 1000.0, 3)

    def _set_position(self, index: int, progress_ms: float, now: float) -> None:
        self._index = index
        self._anchor_ms = progress_ms
        self._anchor_time = now

    def _changed(self, now: float) -> None:
        self._changed_at = now

    def _go_idle(self, now: float) -> None:
        self._changed(now)
        self._idle = True
        self._playing = False
        self.device["is_active"] = False
        self._set_position(0 if not self._queue else self._index, 0.0, now)

    def _activate(self) -> None:
        self._idle = False
        self.device["is_active"] = True

    def _catch_up(self) -> float:
        """Apply natural ends up to now: roll over, loop or go idle. Returns now."""
        now = self._now()
        if self._idle or not self._playing or not self._queue:
            return now
        progress = self._progress_at(now)
        index = self._index
        rolled = False
        while progress >= self._queue[index]["duration_ms"]:
            rolled = True
            if self._repeat_state == "track":  # the same item again, as often as it fits
                progress %= self._queue[index]["duration_ms"]
                break
            progress -= self._queue[index]["duration_ms"]
            if index + 1 < len(self._queue):
                index += 1
            elif self._repeat_state == "context":
                index = 0
                # A long jump of the clock could span many loops; skip whole ones at once.
                total = sum(entry["duration_ms"] for entry in self._queue)
                progress %= total
            else:
                logger.debug("end of queue reached without repeat; going idle")
                self._index = 0
                self._go_idle(now)
                return now
        if rolled:  # the current item started when the previous one ended
            self._changed(now - progress / 1000.0)
        self._set_position(index, progress, now)
        return now

    def _duration(self) -> int:
        return int(self._queue[self._index]["duration_ms"])

    # -- reads ---------------------------------------------------------------------------

    def current(self) -> dict[str, Any] | None:
        """The current queue entry, or None when idle."""
        with self._lock:
            self._catch_up()
            return None if self._idle else self._queue[self._index]

    def progress_ms(self) -> int:
        with self._lock:
            now = self._catch_up()
            return 0 if self._idle else int(self._progress_at(now))

    @property
    def is_playing(self) -> bool:
        with self._lock:
            self._catch_up()
            return self._playing and not self._idle

    @property
    def is_idle(self) -> bool:
        with self._lock:
            self._catch_up()
            return self._idle

    @property
    def index(self) -> int:
        with self._lock:
            self._catch_up()
            return self._index

    @property
    def queue(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._queue)

    @property
    def repeat(self) -> bool:
        with self._lock:
            return self._repeat_state != "off"

    @repeat.setter
    def repeat(self, on: bool) -> None:
        self.set_repeat_state("context" if on else "off")

    def set_repeat_state(self, state: str) -> None:
        """``off``, ``context`` (the queue loops) or ``track`` (the item loops)."""
        if state not in ("off", "context", "track"):
            raise ValueError(f"repeat state {state!r}")
        with self._lock:
            self._catch_up()
            self._repeat_state = state

    def set_shuffle(self, on: bool) -> None:
        with self._lock:
            self._shuffle = bool(on)

    @property
    def private_session(self) -> bool:
        with self._lock:
            return self._private

    def state(self) -> PlaybackState:
        with self._lock:
            now = self._catch_up()
            return PlaybackState(
                entry=None if self._idle else self._queue[self._index],
                index=self._index,
                progress_ms=0 if self._idle else int(self._progress_at(now)),
                is_playing=self._playing and not self._idle,
                idle=self._idle,
                private_session=self._private,
                repeat=self._repeat_state != "off",
                repeat_state=self._repeat_state,
                shuffle=self._shuffle,
                device=dict(self.device),
                context=dict(self._context) if self._context else None,
                changed_at=self._changed_at,
            )

    # -- controls, as if done from another device ---------------------------------------

    def skip_next(self) -> None:
        """Next item (starts playing); past the end: loop if repeat, else idle. No-op if idle."""
        with self._lock:
            now = self._catch_up()
            if self._idle:
                return
            if self._index + 1 < len(self._queue):
                self._set_position(self._index + 1, 0.0, now)
            elif self._repeat_state != "off":
                self._set_position(0, 0.0, now)
            else:
                self._index = 0
                self._go_idle(now)
                return
            self._playing = True
            self._changed(now)

    def skip_previous(self) -> None:
        """Restart the item if past 3 s, else go to the previous one. No-op if idle."""
        with self._lock:
            now = self._catch_up()
            if self._idle:
                return
            if self._progress_at(now) > PREVIOUS_RESTART_THRESHOLD_MS:
                target = self._index
            elif self._index > 0:
                target = self._index - 1
            elif self._repeat_state != "off":
                target = len(self._queue) - 1
            else:
                target = 0
            self._set_position(target, 0.0, now)
            self._playing = True
            self._changed(now)

    def pause(self) -> None:
        with self._lock:
            now = self._catch_up()
            if self._idle:
                return
            self._set_position(self._index, self._progress_at(now), now)
            self._playing = False
            self._changed(now)

    def resume(self) -> None:
        """Play from the current position; from idle this reactivates the device."""
        with self._lock:
            now = self._catch_up()
            if not self._queue:
                return
            self._activate()
            self._set_position(self._index, self._progress_at(now), now)
            self._playing = True
            self._changed(now)

    def seek(self, ms: int) -> None:
        """Jump within the current item (clamped to its length). No-op if idle."""
        with self._lock:
            now = self._catch_up()
            if self._idle:
                return
            target = min(max(0, int(ms)), self._duration())
            self._set_position(self._index, float(target), now)
            self._changed(now)
            self._catch_up()  # seeking to the very end rolls over, as in Spotify

    def set_volume(self, percent: int) -> None:
        """The device's volume, as a volume control would set it (0-100)."""
        with self._lock:
            self._catch_up()
            self.device["volume_percent"] = min(max(0, int(percent)), 100)

    def set_idle(self) -> None:
        """Nothing playing and no active device (the Web API then answers 204 / 404)."""
        with self._lock:
            now = self._catch_up()
            self._go_idle(now)

    def set_private_session(self, on: bool) -> None:
        """While on, the GET player endpoints answer 204 as for a private session."""
        with self._lock:
            self._catch_up()
            self._private = bool(on)
            self.device["is_private_session"] = self._private

    def set_queue(
        self,
        items: list[dict[str, Any]],
        start_index: int = 0,
        playing: bool = True,
        context: dict[str, Any] | None = None,
    ) -> None:
        """Play ``items``; ``context`` is the playlist or album they come from, if any."""
        with self._lock:
            now = self._now()
            if items and not 0 <= start_index < len(items):
                raise IndexError(f"start_index {start_index} out of range")
            self._queue = list(items)
            self._context = context
            if not self._queue:
                self._index = 0
                self._go_idle(now)
                return
            self._activate()
            self._set_position(start_index, 0.0, now)
            self._playing = bool(playing)
            self._changed(now)

    def play_index(self, index: int) -> None:
        with self._lock:
            now = self._now()
            if not 0 <= index < len(self._queue):
                raise IndexError(f"index {index} out of range")
            self._activate()
            self._set_position(index, 0.0, now)
            self._playing = True
            self._changed(now)
