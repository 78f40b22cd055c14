"""Where the popup card opens: next to the tray icon, away from the panel, on screen.

Pure geometry on plain rectangles, so every panel position can be tested without
a screen. An XEmbed tray (trayer, older panels) tells Qt where the icon is; a
StatusNotifierItem host (KDE, xfce4-panel, GNOME's AppIndicator) never does, and
there the pointer at the moment of the click stands in for the icon. Only the last
functions ask Qt which screens there are (and, on X11 with more than one monitor, the
window manager for the work area Qt leaves out).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtGui import QGuiApplication

from nowplaying_tray.ui.popup.x11_desktop import desktop_work_area

logger = logging.getLogger(__name__)

SCREEN_MARGIN = 12  # from the screen edge when there is no tray geometry
ANCHOR_GAP = 8  # between the tray icon (or its panel) and the card
POINTER_ICON = 24  # the icon size assumed around the pointer when only the click is known


def pointer_anchor(pointer: QPoint, screen: QRect, available: QRect) -> QRect:
    """A stand-in for the icon's rectangle from where the click was.

    When the click lies on a panel (outside the available area) the whole panel
    strip at the pointer is the anchor, so the card clears the panel; otherwise
    (a window manager that reserves no space) an icon-sized square around it.
    """
    x, y = pointer.x(), pointer.y()
    if y < available.top():
        return QRect(x, screen.top(), 1, available.top() - screen.top())
    if y > available.bottom():
        return QRect(x, available.bottom() + 1, 1, screen.bottom() - available.bottom())
    if x < available.left():
        return QRect(screen.left(), y, available.left() - screen.left(), 1)
    if x > available.right():
        return QRect(available.right() + 1, y, screen.right() - available.right(), 1)
    half = POINTER_ICON // 2
    box = QRect(x - half, y - half, POINTER_ICON, POINTER_ICON)
    # Near a corner, a horizontal panel is far more likely than a vertical one:
    # reach the box out to that edge so it wins.
    if y - screen.top() <= 2 * POINTER_ICON:
        box.setTop(screen.top())
    elif screen.bottom() - y <= 2 * POINTER_ICON:
        box.setBottom(screen.bottom())
    return box.intersected(screen)


def popup_position(
    size: QSize,
    anchor: QRect | None,
    screen: QRect,
    available: QRect,
    pointer: QPoint | None = None,
) -> QPoint:
    """Top-left corner for a card of ``size`` next to ``anchor`` (the tray icon).

    The card opens away from the screen edge nearest to the anchor (that is where
    the panel is) and is then kept inside ``available`` (the screen minus panels).
    Without an anchor, ``pointer`` (where the icon was clicked) stands in for it;
    with neither, the card goes to the bottom-right corner of ``available``.
    """
    if anchor is None and pointer is not None:
        anchor = pointer_anchor(pointer, screen, available)
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


def logical_available(screen: QRect, available: QRect, ratio: float) -> QRect:
    """``available`` (a screen's work area) in logical pixels throughout.

    Qt on X11 with a scale factor gives the work area's offset from the screen's corner
    in device pixels while its size is logical: under a 33 px panel on a 1280x800
    screen at 2x, (0, 33, 640, 384) on a screen of (0, 0, 640, 400). Such an area
    sticks out of its screen; its offset is scaled down to match the rest.
    """
    if ratio <= 1 or screen.contains(available):
        return available
    offset = available.topLeft() - screen.topLeft()
    corner = screen.topLeft() + QPoint(round(offset.x() / ratio), round(offset.y() / ratio))
    return QRect(corner, available.size()).intersected(screen)


def work_area_on(screen: QRect, desktop: QRect | None, ratio: float) -> QRect | None:
    """The part of the desktop's work area (device pixels, for all monitors at once) on
    ``screen`` (logical, its corner kept in device pixels as Qt does)."""
    if desktop is None:
        return None
    native = QRect(
        screen.x(), screen.y(), round(screen.width() * ratio), round(screen.height() * ratio)
    )
    part = desktop.intersected(native)
    if part.isEmpty():
        return None
    offset = part.topLeft() - screen.topLeft()
    corner = screen.topLeft() + QPoint(round(offset.x() / ratio), round(offset.y() / ratio))
    size = QSize(round(part.width() / ratio), round(part.height() / ratio))
    return QRect(corner, size).intersected(screen)


def card_position(size: QSize, anchor: QRect | None, pointer: QPoint | None) -> QPoint | None:
    """``popup_position`` on the screen of the icon (or the click), if there is one."""
    spot = anchor.center() if anchor is not None else pointer
    screen = QGuiApplication.screenAt(spot) if spot is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    if screen is None:
        return None
    geometry, ratio = screen.geometry(), screen.devicePixelRatio()
    available = logical_available(geometry, screen.availableGeometry(), ratio)
    if available == geometry and len(QGuiApplication.screens()) > 1:
        available = work_area_on(geometry, desktop_work_area(), ratio) or available
    logger.debug(
        "Card of %s at anchor %s / pointer %s on %s (available %s, ratio %s)",
        size,
        anchor,
        pointer,
        geometry,
        available,
        screen.devicePixelRatio(),
    )
    return popup_position(size, anchor, geometry, available, pointer)


def window_position(frame: QSize, kept: QPoint | None) -> QPoint | None:
    """The standalone window's frame position: ``kept`` (from last time) if the whole
    window fits on a screen there, else centred on the primary screen."""
    if kept is not None:
        wanted = QRect(kept, frame)
        screen = QGuiApplication.screenAt(wanted.center())
        if screen is not None and screen.availableGeometry().contains(wanted):
            return kept
    screen = QGuiApplication.primaryScreen()
    if screen is None:
        return None
    return screen.availableGeometry().center() - QPoint(frame.width() // 2, frame.height() // 2)


__all__ = [
    "ANCHOR_GAP",
    "POINTER_ICON",
    "SCREEN_MARGIN",
    "card_position",
    "logical_available",
    "pointer_anchor",
    "popup_position",
    "window_position",
    "work_area_on",
]
