"""Where the popup card opens: next to the tray icon, away from the panel, on screen.

Pure geometry on plain rectangles, so every panel position can be tested without
a screen.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QPoint, QRect, QSize

logger = logging.getLogger(__name__)

SCREEN_MARGIN = 12  # from the screen edge when there is no tray geometry
ANCHOR_GAP = 8  # between the tray icon (or its panel) and the card


def popup_position(size: QSize, anchor: QRect | None, screen: QRect, available: QRect) -> QPoint:
    """Top-left corner for a card of ``size`` next to ``anchor`` (the tray icon).

    The card opens away from the screen edge nearest to the anchor (that is where
    the panel is) and is then kept inside ``available`` (the screen minus panels).
    Without an anchor it goes to the bottom-right corner of ``available``.
    """
    width, height = size.width(), size.height()
    if anchor is None:
        x = available.x() + available.width() - width - SCREEN_MARGIN
        y = available.y() + available.height() - height - SCREEN_MARGIN
    else:
        center = anchor.center()
        distances = {
            "top": anchor.top() - screen.top(),
            "bottom": screen.bottom() - anchor.bottom(),
            "left": anchor.left() - screen.left(),
            "right": screen.right() - anchor.right(),
        }
        edge = min(distances, key=lambda name: distances[name])
        x = center.x() - width // 2
        y = center.y() - height // 2
        if edge == "bottom":
            y = anchor.top() - ANCHOR_GAP - height
        elif edge == "top":
            y = anchor.bottom() + 1 + ANCHOR_GAP
        elif edge == "left":
            x = anchor.right() + 1 + ANCHOR_GAP
        else:
            x = anchor.left() - ANCHOR_GAP - width
    return QPoint(
        _clamp(x, available.x(), available.width(), width),
        _clamp(y, available.y(), available.height(), height),
    )


def _clamp(start: int, lower: int, span: int, length: int) -> int:
    # Keep a gap from the edge when there is room for it; never leave the area.
    gap = ANCHOR_GAP if span >= length + 2 * ANCHOR_GAP else 0
    upper = lower + span - length - gap
    return max(lower + gap, min(start, upper)) if upper >= lower + gap else lower


__all__ = ["ANCHOR_GAP", "SCREEN_MARGIN", "popup_position"]
