"""The playback hub: the one owner of what is playing.

Every source reports to it (``PlaybackSource.changed``); it picks the one to show
by the rule in ``core.playback_choice`` and tells the views, which listen to the
hub only: tray, menu, card, notifications, our MPRIS player, the now-playing file,
recently played, the console. While a local player plays, the costly Web API
source is told it is not needed, so it stops asking.

When a local player shown has nothing any more (between two files, or it quit
and the Web API takes over), its last item stays for a short grace period:
another answer usually comes within it, and the screen flickers neither to
"nothing playing" nor to another device's track. The Web
API's own "nothing playing" is a read like any other, shown at once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Signal

from nowplaying_tray.core.errors import NowPlayingError
from nowplaying_tray.core.model import Playback, PlaybackState
from nowplaying_tray.core.playback_choice import Candidate, SourceKind, choose_source
from nowplaying_tray.services.playback.source import PlaybackSource
from nowplaying_tray.services.timers import single_shot_timer

logger = logging.getLogger(__name__)

GRACE_MS = 400


class PlaybackHub(QObject):
    """What is playing, the error that keeps it from being known, and which source says so."""

    playback_changed = Signal(Playback)
    """What is playing now (an idle Playback when nothing is)."""
    error_changed = Signal(NowPlayingError)
    """Why playback cannot be known, or None once it can."""
    source_changed = Signal(str)
    """The source now shown, a ``SourceKind`` value, or "" for none."""

    def __init__(
        self,
        sources: Sequence[PlaybackSource],
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._sources = tuple(sources)
        self._clock = clock
        self._playback: Playback | None = None
        self._error: NowPlayingError | None = None
        self._source: SourceKind | None = None
        self._started = False
        self._grace = single_shot_timer(self, "nothing-playing-grace", GRACE_MS, self._settle)

    # what the views read ------------------------------------------------------------

    @property
    def playback(self) -> Playback | None:
        return self._playback

    @property
    def error(self) -> NowPlayingError | None:
        return self._error

    @property
    def source(self) -> SourceKind | None:
        return self._source

    # lifecycle --------------------------------------------------------------------------

    def start(self) -> None:
        self._started = True
        for source in self._sources:
            source.start()
        self.on_source_changed()

    # sources report here ----------------------------------------------------------------

    def on_source_changed(self) -> None:
        """Connected to every source's ``changed``."""
        if not self._started:
            return
        candidates = [Candidate(s.kind, s.playback) for s in self._sources]
        chosen = choose_source(candidates)
        self._want_costly(chosen)
        if self._local_gone(chosen):
            # A local player between two files (VLC says Stopped for a moment), or
            # leaving: its next item, or the other source, usually comes within the
            # grace period. Until then the last item stays: no "nothing playing", and
            # not the phone's track for a moment between two of the player's items.
            if not self._grace.isActive():
                self._grace.start()
            return
        self._grace.stop()
        self._apply(chosen)

    # internals --------------------------------------------------------------------------

    def _want_costly(self, chosen: Candidate | None) -> None:
        local_playing = chosen is not None and (
            chosen.kind is SourceKind.LOCAL
            and chosen.playback is not None
            and chosen.playback.state is PlaybackState.PLAYING
        )
        settled = all(s.settled for s in self._sources if s.kind is SourceKind.LOCAL)
        for source in self._sources:
            if source.kind is SourceKind.WEB_API:
                source.set_needed(settled and not local_playing)

    def _costly_error(self) -> NowPlayingError | None:
        for source in self._sources:
            if source.kind is SourceKind.WEB_API and source.error is not None:
                return source.error
        return None

    def _idle_kind(self) -> SourceKind | None:
        """The Web API, once it has answered "nothing playing"; else no source."""
        return SourceKind.WEB_API if self._nothing() is not None else None

    def _nothing(self) -> Playback | None:
        """The Web API's idle read (it carries when it was read), if it has one."""
        for source in self._sources:
            if source.kind is SourceKind.WEB_API and source.playback is not None:
                return source.playback
        return None

    def _local_gone(self, chosen: Candidate | None) -> bool:
        """The local item shown has no player any more (and none other took over)."""
        return (
            self._source is SourceKind.LOCAL
            and self._playback is not None
            and self._playback.state is not PlaybackState.IDLE
            and (chosen is None or chosen.kind is not SourceKind.LOCAL)
            and all(s.playback is None for s in self._sources if s.kind is SourceKind.LOCAL)
        )

    def _apply(self, chosen: Candidate | None) -> None:
        if chosen is None:
            self._show_error(self._costly_error())
            self._show(self._nothing(), self._idle_kind())
            return
        self._show_error(None if chosen.kind is SourceKind.LOCAL else self._costly_error())
        self._show(chosen.playback, chosen.kind)

    def _settle(self) -> None:
        """The grace period is over and the local player has not come back: show what
        the other sources have, or that nothing plays."""
        self._apply(choose_source([Candidate(s.kind, s.playback) for s in self._sources]))

    def _show_error(self, error: NowPlayingError | None) -> None:
        if error is self._error:
            return
        self._error = error
        self.error_changed.emit(error)

    def _show(self, playback: Playback | None, kind: SourceKind | None) -> None:
        if playback is None and self._playback is None:
            return  # nothing was known yet, and still nothing is: no idle "read" to show
        if playback is None:
            assert self._playback is not None
            playback = Playback.idle(self._playback.read_at)
        if kind is not self._source:
            self._source = kind
            logger.info("Playback source: %s", kind.value if kind else "none")
            self.source_changed.emit(kind.value if kind else "")
        if playback == self._playback:
            return
        self._playback = playback
        self.playback_changed.emit(playback)
