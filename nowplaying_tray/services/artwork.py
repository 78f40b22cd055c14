"""Album art for the popup and notifications: fetched on the worker, cached twice.

Files are cached on disk (``core.art_cache``); decoded images are kept in a
small in-memory LRU so reopening the popup costs nothing.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QImage

from nowplaying_tray.core.errors import NowPlayingError
from nowplaying_tray.services.worker import TaskRunner

logger = logging.getLogger(__name__)


class ArtworkLoader(QObject):
    """Signals:
    loaded(str url, QImage image, str path): the art is ready (path: a file on disk).
    failed(str url): it could not be had; show the placeholder.
    """

    loaded = Signal(str, QImage, str)
    failed = Signal(str)

    def __init__(
        self,
        runner: TaskRunner,
        fetch: Callable[[str], Path],
        memory_items: int = 3,  # the current cover, and the last two (a skip back)
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._fetch = fetch
        self._memory: OrderedDict[str, tuple[QImage, str]] = OrderedDict()
        self._memory_items = memory_items
        self._pending: set[str] = set()

    def cached(self, url: str) -> tuple[QImage, str] | None:
        return self._memory.get(url)

    def request(self, url: str) -> None:
        hit = self._memory.get(url)
        if hit is not None:
            self._memory.move_to_end(url)
            # Deliver asynchronously like a fetch, so callers have one code path.
            QTimer.singleShot(0, self, lambda: self.loaded.emit(url, *hit))
            return
        if url in self._pending:
            return
        self._pending.add(url)
        self._runner.submit(
            lambda: self._fetch(url),
            lambda path: self._on_fetched(url, path),
            lambda error: self._on_failed(url, error),
        )

    def _on_fetched(self, url: str, path: Path) -> None:
        self._pending.discard(url)
        image = QImage(str(path))
        if image.isNull():
            logger.info("Album art could not be decoded")
            self.failed.emit(url)
            return
        self._memory[url] = (image, str(path))
        while len(self._memory) > self._memory_items:
            self._memory.popitem(last=False)
        self.loaded.emit(url, image, str(path))

    def _on_failed(self, url: str, error: NowPlayingError) -> None:
        self._pending.discard(url)
        logger.info("Album art unavailable: %s", error.message)
        self.failed.emit(url)
