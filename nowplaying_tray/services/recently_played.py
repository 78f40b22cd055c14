"""Recently played, kept current from ``Poller.playback_changed`` (either source).

The file is read on the worker when the app starts and written there after each
change; what is seen before the read is done goes in front of what was read.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from nowplaying_tray.core.errors import NowPlayingError
from nowplaying_tray.core.model import Playback
from nowplaying_tray.core.recent_list import (
    RecentItem,
    RecentList,
    load_recent,
    merged,
    save_recent,
)
from nowplaying_tray.services.worker import TaskRunner

logger = logging.getLogger(__name__)


class RecentlyPlayed(QObject):
    """Signals: ``changed`` when the list changed."""

    changed = Signal()

    def __init__(self, runner: TaskRunner, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._path = path
        self._list = RecentList()
        self._loaded = False  # no write before the read: it would drop the earlier list

    @property
    def items(self) -> tuple[RecentItem, ...]:
        return self._list.items

    def menu_entries(self) -> tuple[tuple[str, str], ...]:
        """(text, link) for the tray menu, newest first."""
        return tuple((item.label, item.url) for item in self._list.items)

    def start(self) -> None:
        self._runner.submit(lambda: load_recent(self._path), self._on_loaded, self._on_load_failed)

    def observe(self, playback: Playback) -> None:
        if self._list.observe(playback):
            self.changed.emit()
            if self._loaded:
                self._save()

    def save_now(self) -> None:
        """On the worker, as the app quits (a queued save could be dropped)."""
        if self._loaded:
            save_recent(self._path, self._list.items)

    def _on_loaded(self, stored: object) -> None:
        seen = self._list.items
        self._list = RecentList(merged(seen, stored if isinstance(stored, tuple) else ()))
        self._loaded = True
        if self._list.items:
            self.changed.emit()
        if seen:
            self._save()

    def _on_load_failed(self, error: NowPlayingError) -> None:
        logger.info("Recently played not read: %s", error.message)
        self._loaded = True

    def _save(self) -> None:
        items, path = self._list.items, self._path
        self._runner.submit(lambda: save_recent(path, items))


__all__ = ["RecentlyPlayed"]
