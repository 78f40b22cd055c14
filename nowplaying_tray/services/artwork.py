"""Album art for the popup and notifications: fetched on the worker, decoded on demand.

Files are cached on disk (``core.art_cache``). A notification needs only the file;
the card decodes it when it is shown, at the size it draws it, and keeps the last
few images in a small in-memory LRU so reopening the popup costs nothing. A
session that never opens the card never holds a decoded cover.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSize, QTimer, Signal
from PySide6.QtGui import QImage, QImageReader

from nowplaying_tray.core.errors import NowPlayingError
from nowplaying_tray.services.worker import TaskRunner

logger = logging.getLogger(__name__)

FILES_KEPT = 32  # urls whose file is known to be on disk and readable


class ArtworkLoader(QObject):
    """Signals:
    loaded(str url, str path): the art is on disk at ``path``, readable as an image.
    failed(str url): it could not be had; show the placeholder.
    """

    loaded = Signal(str, str)
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
        self._files: OrderedDict[str, str] = OrderedDict()
        self._images: OrderedDict[tuple[str, int], QImage] = OrderedDict()
        self._memory_items = memory_items
        self._pending: set[str] = set()

    def cached_path(self, url: str) -> str | None:
        return self._files.get(url)

    def image(self, url: str, pixels: int) -> QImage | None:
        """The art at ``url``, decoded to cover ``pixels`` x ``pixels``; None until fetched."""
        key = (url, pixels)
        hit = self._images.get(key)
        if hit is not None:
            self._images.move_to_end(key)
            return hit
        path = self._files.get(url)
        if path is None:
            return None
        reader = QImageReader(path)
        size = reader.size()
        if size.isValid() and min(size.width(), size.height()) > pixels:
            # Decoded small: a 640 px cover drawn at 96 px need not cost 1.6 MB.
            from PySide6.QtCore import Qt  # not at import: see services.timers.precise

            fill = Qt.AspectRatioMode.KeepAspectRatioByExpanding
            reader.setScaledSize(size.scaled(QSize(pixels, pixels), fill))
        image = reader.read()
        if image.isNull():
            logger.info("Album art could not be decoded: %s", reader.errorString())
            del self._files[url]  # gone from the disk cache, or damaged: fetch it again
            return None
        self._images[key] = image
        while len(self._images) > self._memory_items:
            self._images.popitem(last=False)
        return image

    def request(self, url: str) -> None:
        """Fetch the art at ``url`` unless its file is here; ``loaded`` or ``failed`` follows."""
        path = self._files.get(url)
        if path is not None and Path(path).exists():
            self._files.move_to_end(url)
            # Deliver asynchronously like a fetch, so callers have one code path.
            QTimer.singleShot(0, self, lambda: self.loaded.emit(url, path))
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
        if not QImageReader(str(path)).canRead():  # the header only: no pixels decoded
            logger.info("Album art could not be decoded")
            self.failed.emit(url)
            return
        self._files[url] = str(path)
        while len(self._files) > FILES_KEPT:
            self._files.popitem(last=False)
        self.loaded.emit(url, str(path))

    def _on_failed(self, url: str, error: NowPlayingError) -> None:
        self._pending.discard(url)
        logger.info("Album art unavailable: %s", error.message)
        self.failed.emit(url)
