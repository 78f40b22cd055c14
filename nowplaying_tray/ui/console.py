"""The headless view: what the tray would show, as plain lines on the terminal.

With no display there is no tray icon, tooltip or window to look at. So each
track change is one line on stdout (``Now playing: Title — Artist``), and each
problem, each change of it and its end are one line on stderr. The app wires
the session's signals to it; it only prints.
"""

from __future__ import annotations

import logging
import sys
from typing import TextIO

from PySide6.QtCore import QObject

from nowplaying_tray.core.errors import MissingClientId, NowPlayingError
from nowplaying_tray.core.model import Playback, PlaybackState
from nowplaying_tray.core.text import NOTHING_PLAYING, one_line

logger = logging.getLogger(__name__)

PROBLEM_CLEARED = "Spotify answers again."
# Headless the setup window cannot be seen; say what it is waiting for and the other way.
SETUP_WAITING = "A setup window is waiting for it, but cannot be seen without a display."


class ConsoleView(QObject):
    """Connect ``show_playback`` and ``show_error`` to the session's signals."""

    def __init__(
        self, out: TextIO | None = None, err: TextIO | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._out = out
        self._err = err
        self._last_item: object = None
        self._last_problem: str | None = None

    def show_playback(self, playback: Playback) -> None:
        idle = playback.state is PlaybackState.IDLE or not playback.title
        # The same item with other words (a title the player corrected) is a new line.
        key = None if idle else (playback.item_key, playback.text_key)
        if key == self._last_item:
            return
        self._last_item = key
        line = NOTHING_PLAYING if idle else f"Now playing: {one_line(playback)}"
        print(line, file=self._out or sys.stdout, flush=True)

    def show_error(self, error: NowPlayingError | None) -> None:
        """One line when a problem starts, when it becomes another, and when it ends."""
        if error is None:
            line = PROBLEM_CLEARED if self._last_problem is not None else None
            self._last_problem = None
        else:
            line = problem_line(error)
            if line == self._last_problem:
                return
            self._last_problem = line
        if line is not None:
            print(line, file=self._err or sys.stderr, flush=True)


def problem_line(error: NowPlayingError) -> str:
    text = " ".join(error.message.split())  # one line, whatever the message holds
    # "Not logged in: Not logged in to Spotify." says it twice: the title only when it adds.
    line = text if text.lower().startswith(error.title.lower()) else f"{error.title}: {text}"
    if isinstance(error, MissingClientId):
        return f"{line} {SETUP_WAITING}"
    return line
