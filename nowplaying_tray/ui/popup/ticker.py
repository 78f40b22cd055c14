"""The card's progress ticker: moves the progress line once a second, only while the
card is visible and the item plays, and never past the item's end."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from nowplaying_tray.ui.popup.state import CardState

TICK_MS = 1000
TICKER_NAME = "popupProgressTimer"


class ProgressTicker(QObject):
    """Calls ``tick`` every ``TICK_MS`` while ``follow`` says it is wanted."""

    def __init__(
        self,
        state: CardState,
        clock: Callable[[], float],
        tick: Callable[[], None],
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self._state = state
        self._clock = clock
        self._tick = tick
        self._timer = QTimer(self)
        self._timer.setObjectName(TICKER_NAME)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._on_timeout)

    def follow(self, visible: bool) -> None:
        """Run while the card is ``visible`` and its item plays with a known position."""
        playback = self._state.playback
        wanted = (
            visible
            and playback is not None
            and playback.is_playing
            and playback.progress_ms is not None
        )
        if wanted and not self._timer.isActive():
            self._timer.start()
        elif not wanted and self._timer.isActive():
            self._timer.stop()

    def stop(self) -> None:
        self._timer.stop()  # a hidden card costs no CPU

    def _on_timeout(self) -> None:
        self._tick()
        playback = self._state.playback
        if playback is not None and playback.duration_ms is not None:
            progress = playback.progress_at(self._clock())
            if progress is not None and progress >= playback.duration_ms:
                # Nothing left to move until the next poll brings the next item.
                self._timer.stop()
