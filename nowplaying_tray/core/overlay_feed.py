"""What the stream overlay serves, as plain values: no Qt and no sockets here.

``OverlayFeed`` holds the current playback, lyric line and cover file, and the last
events; the GUI thread writes it, the overlay's server threads read it. Each change
worth showing (a new item, play/pause, a seek, a lyric line, the cover arriving)
becomes one Server-Sent Event carrying the whole ``now --json`` object, so a page
that missed some events still shows the right thing from the last one.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

from nowplaying_tray.core.local_art import image_type
from nowplaying_tray.core.model import Playback, PlaybackState
from nowplaying_tray.core.now_json import now_json
from nowplaying_tray.core.text import json_text

# A progress this far from where the last read predicts it is a seek, not drift.
SEEK_TOLERANCE_MS = 1500
EVENTS_KEPT = 64  # a stream further behind than this gets the latest event only
MAX_ART_BYTES = 5_000_000  # as the art cache: covers are a few hundred kB

ITEM, STATE, SEEK, LYRIC, ART, NOW = "item", "state", "seek", "lyric", "art", "now"


def change_of(previous: Playback | None, current: Playback) -> str | None:
    """Which change ``current`` brings after ``previous``; None for a read that only
    confirms what the page already extrapolates."""
    if previous is None or previous.item_key != current.item_key:
        return ITEM
    if previous.state is not current.state:
        return STATE
    expected = previous.progress_at(current.read_at)
    if current.progress_ms is not None and (
        expected is None or abs(current.progress_ms - expected) > SEEK_TOLERANCE_MS
    ):
        return SEEK
    return None


def host_allowed(host: str | None, port: int) -> bool:
    """Only our own address: a page on another site that rebinds its name to 127.0.0.1
    still sends its own name as ``Host``."""
    if host is None:
        return False
    return host.strip().lower() in (f"127.0.0.1:{port}", f"localhost:{port}")


def read_image(path: Path) -> tuple[bytes, str] | None:
    """The image at ``path`` and its type, if it is a bounded image file (by its first
    bytes: never any other local file). Blocking."""
    try:
        with path.open("rb") as file:
            data = file.read(MAX_ART_BYTES + 1)
    except OSError:
        return None
    kind = image_type(data[:16])
    if kind is None or len(data) > MAX_ART_BYTES:
        return None
    return data, kind


class OverlayFeed:
    """The overlay's state and events; written on the GUI thread, read from any."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._changed = threading.Condition()
        self._playback = Playback.idle(clock())
        self._source = "web_api"
        self._lyric: str | None = None
        self._art: Path | None = None
        self._art_version = 0
        self._events: deque[tuple[int, bytes]] = deque(maxlen=EVENTS_KEPT)
        self._sequence = 0

    # written by the overlay (GUI thread) --------------------------------------------

    def show(self, playback: Playback, source: str) -> None:
        with self._changed:
            change = change_of(self._playback, playback)
            self._playback, self._source = playback, source
            if change == ITEM:
                self._lyric = None  # the last item's line is no line of this one
            if change is not None:
                self._publish(change)

    def show_lyric(self, line: str | None) -> None:
        with self._changed:
            if line != self._lyric:
                self._lyric = line
                self._publish(LYRIC)

    def show_art(self, path: Path | None) -> None:
        with self._changed:
            if path != self._art:
                self._art = path
                self._art_version += 1
                self._publish(ART)

    def wake(self) -> None:
        """Let every waiting stream look again (the server is closing)."""
        with self._changed:
            self._changed.notify_all()

    # read by the server (its threads) ------------------------------------------------

    def now(self) -> dict[str, Any]:
        """The ``now --json`` fields at this moment."""
        with self._changed:
            playback, source = self._playback, self._source
        return now_json(playback, source, self._clock(), local_paths=False)

    def art(self) -> Path | None:
        with self._changed:
            return self._art

    def latest(self) -> tuple[int, bytes]:
        """The sequence number reached and the whole state as an event, for a new stream."""
        with self._changed:
            return self._sequence, self._event(NOW)

    def wait(self, after: int, timeout: float, stop: Callable[[], bool]) -> list[tuple[int, bytes]]:
        """The events after ``after``, waiting up to ``timeout`` seconds for one."""
        with self._changed:
            self._changed.wait_for(lambda: self._sequence > after or stop(), timeout)
            if self._sequence <= after:
                return []
            events = [event for event in self._events if event[0] > after]
            if not events or events[0][0] != after + 1:  # fell behind: the latest says all
                return [(self._sequence, self._event(NOW))]
            return events

    # inside the lock ------------------------------------------------------------------

    def _publish(self, change: str) -> None:
        self._sequence += 1
        self._events.append((self._sequence, self._event(change)))
        self._changed.notify_all()

    def _event(self, change: str) -> bytes:
        data = now_json(self._playback, self._source, self._clock(), local_paths=False)
        data["change"] = change
        data["lyric"] = self._lyric
        idle = self._playback.state is PlaybackState.IDLE
        data["art"] = None if self._art is None or idle else f"/art?v={self._art_version}"
        return f"data: {json_text(data)}\n\n".encode()
