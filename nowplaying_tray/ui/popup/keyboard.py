"""The card by keyboard: the arrow keys on the progress line, and the focus ring that
widgets which paint themselves draw (the style sheet draws the buttons' own)."""

from __future__ import annotations

import logging

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPen

from nowplaying_tray.ui import style

logger = logging.getLogger(__name__)

SEEK_STEP_MS = 5_000  # one press of Left or Right


def seek_key_target(key: int, position_ms: int, duration_ms: int) -> int | None:
    """Where a key press on the progress line seeks to; None for keys it does not use."""
    steps = {
        Qt.Key.Key_Left: position_ms - SEEK_STEP_MS,
        Qt.Key.Key_Right: position_ms + SEEK_STEP_MS,
        Qt.Key.Key_Home: 0,
        Qt.Key.Key_End: duration_ms,
    }
    target = steps.get(Qt.Key(key))
    return None if target is None else max(0, min(target, duration_ms))


def draw_focus_ring(painter: QPainter, rect: QRectF) -> None:
    """A thin rounded outline just inside ``rect``, in the scheme's focus colour."""
    painter.setPen(QPen(style.FOCUS, 1))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    ring = rect.adjusted(0.5, 0.5, -0.5, -0.5)
    radius = min(ring.height(), ring.width()) / 2
    painter.drawRoundedRect(ring, radius, radius)


__all__ = ["SEEK_STEP_MS", "draw_focus_ring", "seek_key_target"]
