"""Track changes as plain lines on stdout, for a run without a display (the headless demo).

Headless there is no tray to look at, so what the tooltip would say is printed
instead: one line each time another item starts, and when playback stops.
"""

from __future__ import annotations

import logging
import sys
from typing import TextIO

from PySide6.QtCore import QObject

from nowplaying_tray.core.model import Playback, PlaybackState
from nowplaying_tray.core.text import NOTHING_PLAYING, one_line

logger = logging.getLogger(__name__)


class ConsoleReport(QObject):
    """Connect ``show`` to the poller's ``playback_changed``."""

    def __init__(self, out: TextIO | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._out = out
        self._last: object = None

    def show(self, playback: Playback) -> None:
        idle = playback.state is PlaybackState.IDLE or not playback.title
        key = None if idle else playback.item_key
        if key == self._last:
            return
        self._last = key
        line = NOTHING_PLAYING if idle else f"Now playing: {one_line(playback)}"
        print(line, file=self._out or sys.stdout, flush=True)
