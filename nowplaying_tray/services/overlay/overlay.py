"""StreamOverlay: the overlay's server, there only while ``overlay_port`` is set.

It is fed what every view is fed (the playback signal, connected by the app), a
lyric line through ``show_lyric``, and the cover's file through a lookup the app
passes in. The server and its threads exist from a port being set to it being
unset; ``http.server`` is imported then, not before.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

from nowplaying_tray.core.errors import NowPlayingError, OverlayPortUnavailable
from nowplaying_tray.core.model import Playback
from nowplaying_tray.core.overlay_feed import OverlayFeed
from nowplaying_tray.core.settings import Settings

if TYPE_CHECKING:
    from nowplaying_tray.services.overlay.server import OverlayHttpServer

logger = logging.getLogger(__name__)

COVER_SIZE = 300  # the size the popup and the now-playing file use: one download serves all


class StreamOverlay(QObject):
    """Signals:
    failed(NowPlayingError): the port could not be listened on.
    serving(int): the port now served, 0 once stopped.
    """

    failed = Signal(NowPlayingError)
    serving = Signal(int)

    def __init__(
        self,
        cover_file: Callable[[str], Path | None],
        source: Callable[[], str],
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._cover_file = cover_file  # None until the file is there (then art_ready)
        self._source = source
        self._feed = OverlayFeed(clock)
        self._server: OverlayHttpServer | None = None
        self._port = 0  # the setting; the server may have failed to take it
        self._cover_url: str | None = None
        # What to show once serving; while off nothing else is done (no cover download).
        self._playback: Playback | None = None
        self._lyric: str | None = None

    @property
    def url(self) -> str | None:
        """The page's address while it is served."""
        return self._server.url if self._server is not None else None

    @property
    def port(self) -> int:
        return self._server.port if self._server is not None else 0

    # settings -----------------------------------------------------------------------

    def apply_settings(self, settings: Settings) -> None:
        self.set_port(settings.overlay_port)

    def set_port(self, port: int) -> None:
        """Serve on ``port`` (0: stop serving); nothing happens if it is the same."""
        if port == self._port:
            return
        self.close()
        self._port = port
        if port == 0:
            return
        from nowplaying_tray.services.overlay.server import OverlayHttpServer

        try:
            server = OverlayHttpServer(port, self._feed)
        except OverlayPortUnavailable as error:
            logger.warning("%s", error.message)
            self.failed.emit(error)
            return
        server.start()
        self._server = server
        if self._playback is not None:
            self._show(self._playback)
        self._feed.show_lyric(self._lyric)
        self.serving.emit(server.port)

    def close(self) -> None:
        """Stop serving (its threads are joined); the feed is kept for a later start."""
        server, self._server, self._port = self._server, None, 0
        self._cover_url = None  # looked up again when it serves again
        if server is not None:
            server.close()
            self.serving.emit(0)

    # what it shows ------------------------------------------------------------------

    @Slot(Playback)
    def show_playback(self, playback: Playback) -> None:
        if self._playback is None or playback.item_key != self._playback.item_key:
            self._lyric = None  # the last item's line is no line of this one
        self._playback = playback
        if self._server is not None:
            self._show(playback)

    @Slot(object)
    def show_lyric(self, line: str | None) -> None:
        """The current lyric line, or None between lines and without lyrics."""
        self._lyric = line or None
        if self._server is not None:
            self._feed.show_lyric(self._lyric)

    @Slot(str, str)
    def art_ready(self, url: str, path: str) -> None:
        """A cover arrived on disk; shown if it is the current one."""
        if self._server is not None and url == self._cover_url:
            self._feed.show_art(Path(path))

    def _show(self, playback: Playback) -> None:
        self._feed.show(playback, self._source())
        url = playback.art_url(COVER_SIZE)
        if url != self._cover_url:
            self._cover_url = url
            self._feed.show_art(self._cover_file(url) if url is not None else None)
