"""The Web API as a source: the poller's playback and errors, polling only while needed."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject

from nowplaying_tray.core.errors import NowPlayingError
from nowplaying_tray.core.model import Playback
from nowplaying_tray.core.playback_choice import SourceKind
from nowplaying_tray.services.playback.source import PlaybackSource
from nowplaying_tray.services.poller import Poller

logger = logging.getLogger(__name__)

STANDBY = "a local player plays"


class WebApiSource(PlaybackSource):
    """Every device of the account, read by polling within the daily request budget."""

    kind = SourceKind.WEB_API

    def __init__(self, poller: Poller, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._poller = poller
        # Until the hub has looked at the free sources, the first poll waits.
        poller.suspend("looking for a local player")

    @property
    def playback(self) -> Playback | None:
        # What was read before a standby is stale: nothing until the next answer.
        return None if self._poller.suspended else self._poller.playback

    @property
    def error(self) -> NowPlayingError | None:
        return self._poller.error

    def on_poller_changed(self, *_: object) -> None:
        """Connected to the poller's ``playback_changed`` and ``error_changed``."""
        self.changed.emit()

    def set_needed(self, needed: bool) -> None:
        if needed != self._poller.suspended:
            return  # no change: the hub says it on every change of every source
        if not needed:
            self._poller.suspend(STANDBY)
            self.changed.emit()
            return
        self._poller.resume()
        if not self._poller.running:  # stopped for want of a login meanwhile: look once more
            self._poller.start()
