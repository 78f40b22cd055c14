"""Lyrics for what is playing: one lookup per item on a thread of its own, then in time.

``observe`` takes every playback (from whichever source answers). A new item is looked up
once, on the lyrics worker (never the GUI thread, never the Spotify worker), with at most
one lookup in flight: a newer item waits for it, an older one is dropped. Between
playbacks, one single-shot timer wakes at the next line's time, so nothing runs on a
timer while nothing is sung. A miss, an instrumental or an error is one log line.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from nowplaying_tray.core.errors import NowPlayingError
from nowplaying_tray.core.lyrics_query import LyricsQuery
from nowplaying_tray.core.model import Playback
from nowplaying_tray.core.settings import Settings
from nowplaying_tray.services.timers import precise
from nowplaying_tray.services.worker import TaskRunner

if TYPE_CHECKING:  # loaded with the lookup, on the lyrics worker (see lyrics_client_maker)
    from nowplaying_tray.core.lrc import Lyrics, LyricsNow
    from nowplaying_tray.core.lyrics_lookup import LyricsClient

logger = logging.getLogger(__name__)

LYRICS_WORKER_NAME = "lyrics-worker"
TIMER_NAME = "lyricsLineTimer"
_LATE_MS = 1  # wake just after a line's time, never just before it


class LyricsService(QObject):
    """The lyrics of the item playing, and the line being sung.

    Signals:
        lyrics_changed(LyricsNow | None): what the card shows; None when there are none.
        line_changed(str | None): the line being sung changed (None: no words now).
    """

    lyrics_changed = Signal(object)
    line_changed = Signal(object)

    def __init__(
        self,
        runner: TaskRunner,
        make_client: Callable[[Settings], LyricsClient],
        settings: Settings,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._make_client = make_client
        self._clock = clock
        self._settings = settings
        # Made on the lyrics worker at the first lookup: nothing of the lookup is loaded
        # before the first playback is shown.
        self._client: LyricsClient | None = None
        self._playback: Playback | None = None
        self._item_key: str | None = None  # the item whose lyrics are wanted
        self._lyrics: Lyrics | None = None  # the lyrics of that item, once known
        self._in_flight = False
        self._waiting: tuple[str, LyricsQuery] | None = None  # the next lookup to send
        self._current: LyricsNow | None = None
        self._line: tuple[int | None, str | None] = (None, None)
        self._timer = QTimer(self)
        self._timer.setObjectName(TIMER_NAME)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._sync)
        self.lookups = 0  # lookups sent to the worker (a cache hit counts)

    @property
    def current(self) -> LyricsNow | None:
        return self._current

    @property
    def lyrics(self) -> Lyrics | None:
        """The lyrics of the item playing, once looked up."""
        return self._lyrics

    @property
    def line(self) -> str | None:
        return self._line[1]

    @property
    def busy(self) -> bool:
        """A lookup is in flight."""
        return self._in_flight

    # -- inputs -------------------------------------------------------------------------

    def observe(self, playback: Playback) -> None:
        """A new read of what is playing: a new item is looked up, a seek re-synced."""
        self._playback = playback
        key = playback.item_key
        if key != self._item_key:
            self._item_key = key
            self._lyrics = None
            query = LyricsQuery.for_playback(playback)
            if key is not None and query is not None and self._settings.lyrics:
                self._look_up(key, query)
        self._sync()

    def seek(self, position_ms: int) -> None:
        """The person moved to ``position_ms``: the lines follow at once."""
        if self._playback is not None:
            self._playback = replace(self._playback, progress_ms=position_ms, read_at=self._clock())
            self._sync()

    def apply_settings(self, settings: Settings) -> None:
        old, self._settings = self._settings, settings
        if (settings.lyrics_url, settings.request_timeout_s) != (
            old.lyrics_url,
            old.request_timeout_s,
        ):
            self._client = None  # made again for the next lookup
        if settings.lyrics and not old.lyrics and self._playback is not None:
            self._item_key = None  # look the item up now
            self.observe(self._playback)
            return
        self._sync()

    def shutdown(self) -> None:
        self._timer.stop()
        self._runner.shutdown()

    # -- the lookup ---------------------------------------------------------------------

    def _look_up(self, key: str, query: LyricsQuery) -> None:
        if self._in_flight:
            self._waiting = (key, query)  # replaces an item that never got its turn
            return
        self._in_flight = True
        self.lookups += 1
        client, make, settings = self._client, self._make_client, self._settings

        def lookup() -> tuple[LyricsClient, Lyrics | None]:  # on the lyrics worker
            made = client or make(settings)
            return made, made.lookup(query)

        def found(answer: tuple[LyricsClient, Lyrics | None]) -> None:
            if self._client is None and settings is self._settings:
                self._client = answer[0]  # still the settings it was made for
            self._on_found(key, query, answer[1])

        self._runner.submit(
            lookup, on_result=found, on_error=lambda error: self._on_failed(key, query, error)
        )

    def _on_found(self, key: str, query: LyricsQuery, lyrics: Lyrics | None) -> None:
        if lyrics is None:
            logger.info("No lyrics for %s", query.describe())
        elif lyrics.instrumental:
            logger.info("%s is an instrumental", query.describe())
        self._done(key, lyrics)

    def _on_failed(self, key: str, query: LyricsQuery, error: NowPlayingError) -> None:
        logger.info("No lyrics for %s: %s", query.describe(), error.message)
        self._done(key, None)

    def _done(self, key: str, lyrics: Lyrics | None) -> None:
        self._in_flight = False
        if key == self._item_key:
            self._lyrics = lyrics
            self._sync()
        waiting, self._waiting = self._waiting, None
        if waiting is not None and waiting[0] == self._item_key and self._lyrics is None:
            self._look_up(*waiting)

    # -- in time ------------------------------------------------------------------------

    def _sync(self) -> None:
        """Publish what is sung now, and wake at the next line."""
        self._timer.stop()
        playback, lyrics = self._playback, self._lyrics
        if not self._settings.lyrics or playback is None or lyrics is None:
            self._publish(None)
            return
        from nowplaying_tray.core.lrc import lyrics_at, next_change_ms  # loaded by then

        position = playback.progress_at(self._clock())
        offset = self._settings.lyrics_offset_ms
        self._publish(lyrics_at(lyrics, position, offset))
        if not playback.is_playing or position is None or not lyrics.synced:
            return
        upcoming = next_change_ms(lyrics.lines, position + offset)
        if upcoming is not None:
            delay_ms = max(0, upcoming - (position + offset)) + _LATE_MS
            precise(self._timer).start(delay_ms)  # a line is due to the ms

    def _publish(self, now: LyricsNow | None) -> None:
        if now != self._current:
            self._current = now
            self.lyrics_changed.emit(now)
        line = (now.index, now.line) if now is not None else (None, None)
        if line != self._line:
            self._line = line
            self.line_changed.emit(line[1])


__all__ = ["LYRICS_WORKER_NAME", "TIMER_NAME", "LyricsService"]
