"""Keeps the now-playing file (for OBS and the like) in step with playback, off the GUI thread."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject

from nowplaying_tray.core.errors import NowPlayingError
from nowplaying_tray.core.model import Playback
from nowplaying_tray.core.nowplaying_file import NowPlayingFile, NowPlayingFileConfig
from nowplaying_tray.core.settings import Settings
from nowplaying_tray.services.artwork import ArtworkLoader
from nowplaying_tray.services.worker import TaskRunner

logger = logging.getLogger(__name__)

ART_SIZE = 300  # the size the popup uses too, so the cache serves both


class NowPlayingExport(QObject):
    """Writes each playback to the now-playing file, when it is on."""

    def __init__(
        self,
        runner: TaskRunner,
        artwork: ArtworkLoader,
        config: NowPlayingFileConfig,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._artwork = artwork
        self._clock = clock
        self._file = NowPlayingFile(config)  # touched only on the worker
        self._config = config
        self._playback: Playback | None = None
        self._lyric: str | None = None
        artwork.loaded.connect(self._on_art_loaded)

    def apply_settings(self, settings: Settings) -> None:
        """The file settings, from now on."""
        self.reconfigure(NowPlayingFileConfig.from_settings(settings))

    def reconfigure(self, config: NowPlayingFileConfig) -> None:
        self._config = config
        self._runner.submit(lambda: self._file.reconfigure(config), on_error=self._on_error)
        if self._playback is not None:
            self.update(self._playback)

    def update(self, playback: Playback) -> None:
        self._playback = playback
        if not self._config.enabled:
            return
        url = playback.art_url(ART_SIZE)
        art_path: Path | None = None
        if url is not None and self._config.art_path is not None:
            cached = self._artwork.cached_path(url)
            if cached is None:
                self._artwork.request(url)  # written again when it arrives
            else:
                art_path = Path(cached)
        now, lyric = self._clock(), self._lyric
        self._runner.submit(
            lambda: self._file.update(playback, now, art_path, lyric), on_error=self._on_error
        )

    def show_lyric(self, line: str | None) -> None:
        """The line being sung; the file is rewritten when its text names ``{lyric}``."""
        if line == self._lyric:
            return
        self._lyric = line
        if self._playback is not None and self._config.uses_lyric:
            self.update(self._playback)

    def _on_art_loaded(self, url: str, _path: str) -> None:
        playback = self._playback
        if playback is not None and playback.art_url(ART_SIZE) == url and self._config.enabled:
            self.update(playback)

    def _on_error(self, error: NowPlayingError) -> None:
        logger.warning("Could not write the now-playing file: %s", error.message)
