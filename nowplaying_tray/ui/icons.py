"""Icons: tray states, the app icon, popup control glyphs and the placeholder cover.

Everything is drawn from the SVGs in ``nowplaying_tray/resources/icons``, package data
read through ``importlib.resources`` (a checkout, an installed wheel and the PyInstaller
bundle alike). SVGs are rendered to
pixmaps here (QtSvg ships with PySide6-Essentials), so the svg image-format
plugin is not needed at run time and each size is crisp. When the resources
cannot be found (a broken install), a QPainter drawing is
used instead: the app may look plainer, but it never shows a blank icon.
"""

from __future__ import annotations

import enum
import functools
import importlib.resources
import logging
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from PySide6.QtCore import QByteArray, QPointF, QRectF
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QIcon,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
)
from PySide6.QtSvg import QSvgRenderer

logger = logging.getLogger(__name__)

# This module draws the first tray icon, and the first touch of PySide6's ``Qt``
# namespace costs ~20 ms of start-up. So: no Qt.GlobalColor.transparent, and no
# QImage.fill, whose overload resolution builds that namespace; QPixmap.fill does not.
_TRANSPARENT = QColor(0, 0, 0, 0)


def _blank(width: int, height: int) -> QPixmap:
    pixmap = QPixmap(width, height)
    pixmap.fill(_TRANSPARENT)
    return pixmap


TRAY_SIZES = (16, 22, 24, 32, 48, 64, 128)
APP_SIZES = (16, 22, 24, 32, 48, 64, 128, 256)
# Control glyphs are rendered at 1x, 2x and 3x so HiDPI screens get real pixels.
_GLYPH_SCALES = (1, 2, 3)

GLYPH_NAMES = (
    "previous",
    "play",
    "pause",
    "next",
    "heart",
    "heart-filled",
    "open-external",
    "speaker",
    "warning",
    "menu",
)


class TrayIconState(enum.Enum):
    """Which tray icon to show."""

    SETUP = "setup"
    IDLE = "idle"
    PLAYING = "playing"
    PAUSED = "paused"
    ERROR = "error"


def resource_dir() -> Path:
    """The package's ``resources`` folder (icons and the desktop entry).

    Returns it even when it does not exist; callers treat missing files as "draw the
    fallback".
    """
    package = importlib.resources.files("nowplaying_tray") / "resources"
    if isinstance(package, Path) and (package / "icons").is_dir():
        return package
    # A PyInstaller bundle whose importer hands out no real folder: its copy on disk.
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle and (Path(bundle) / "nowplaying_tray" / "resources" / "icons").is_dir():
        return Path(bundle) / "nowplaying_tray" / "resources"
    return Path(str(package))


def icon_path(name: str) -> Path:
    return resource_dir() / "icons" / f"{name}.svg"


@functools.lru_cache(maxsize=64)
def _svg_source(name: str) -> str | None:
    path = icon_path(name)
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        logger.warning("Icon %s unavailable (%s); drawing a built-in one", path, exc)
        return None


def _render_svg(source: str, size: int) -> QPixmap | None:
    renderer = QSvgRenderer(QByteArray(source.encode("utf-8")))
    if not renderer.isValid():
        logger.warning("Could not read an icon SVG; drawing a built-in one")
        return None
    pixmap = _blank(size, size)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return pixmap


def _pixmap(name: str, size: int, fallback: Callable[[QPainter, int], None]) -> QPixmap:
    source = _svg_source(name)
    rendered = _render_svg(source, size) if source is not None else None
    return rendered if rendered is not None else _painted(size, fallback)


def _painted(size: int, draw: Callable[[QPainter, int], None]) -> QPixmap:
    pixmap = _blank(size, size)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(_TRANSPARENT, 0))  # shapes are filled, never outlined
    draw(painter, size)
    painter.end()
    return pixmap


def _icon_from(pixmaps: Iterable[QPixmap], mode: QIcon.Mode = QIcon.Mode.Normal) -> QIcon:
    icon = QIcon()
    for pixmap in pixmaps:
        icon.addPixmap(pixmap, mode)
    return icon


# -- public API ---------------------------------------------------------------------


@functools.cache
def tray_icon(state: TrayIconState) -> QIcon:
    fallback = functools.partial(_draw_tray_fallback, state)
    return _icon_from(_pixmap(f"tray-{state.value}", size, fallback) for size in TRAY_SIZES)


@functools.cache
def app_icon() -> QIcon:
    fallback = functools.partial(_draw_tray_fallback, TrayIconState.PLAYING)
    return _icon_from(_pixmap("nowplaying-tray", size, fallback) for size in APP_SIZES)


def glyph(name: str, color: QColor | None = None, size: int = 24) -> QIcon:
    """A control glyph in ``color`` (default: the palette's text colour)."""
    return _glyph(name, _color_key(color), size)


def stateful_glyph(
    name: str,
    normal: QColor,
    *,
    active: QColor | None = None,
    disabled: QColor | None = None,
    size: int = 24,
) -> QIcon:
    """A glyph with its own colours for hover (``Active``) and ``Disabled`` modes.

    Qt's automatic disabled look is a grey wash that reads poorly on a dark card,
    so the popup names its own colours.
    """
    icon = QIcon()
    modes = (
        (QIcon.Mode.Normal, normal),
        (QIcon.Mode.Active, active or normal),
        (QIcon.Mode.Disabled, disabled or normal),
    )
    for mode, color in modes:
        for pixmap in _glyph_pixmaps(name, _color_key(color), size):
            icon.addPixmap(pixmap, mode)
    return icon


@functools.lru_cache(maxsize=32)
def placeholder_art(size: int) -> QPixmap:
    """The cover shown for local files, ads, and while the real cover loads."""
    return _pixmap("placeholder-art", max(1, size), _draw_placeholder_fallback)


# -- glyph helpers ------------------------------------------------------------------


def _color_key(color: QColor | None) -> str:
    if color is None:
        color = QGuiApplication.palette().windowText().color()
    return color.name(QColor.NameFormat.HexArgb)


@functools.lru_cache(maxsize=128)
def _glyph(name: str, color_key: str, size: int) -> QIcon:
    return _icon_from(_glyph_pixmaps(name, color_key, size))


@functools.lru_cache(maxsize=256)
def _glyph_pixmaps(name: str, color_key: str, size: int) -> tuple[QPixmap, ...]:
    color = QColor(color_key)
    source = _svg_source(name)
    pixmaps = []
    for scale in _GLYPH_SCALES:
        pixels = max(1, size * scale)
        pixmap = None
        if source is not None:
            # The SVGs draw in currentColor; alpha is applied separately below
            # because "#rrggbbaa" is not understood by every SVG renderer.
            pixmap = _render_svg(source.replace("currentColor", color.name()), pixels)
        if pixmap is None:
            pixmap = _painted(pixels, functools.partial(_draw_glyph_fallback, name, color))
        if color.alpha() < 255:
            pixmap = _with_opacity(pixmap, color.alphaF())
        pixmaps.append(pixmap)
    return tuple(pixmaps)


def _with_opacity(pixmap: QPixmap, opacity: float) -> QPixmap:
    faded = _blank(pixmap.width(), pixmap.height())
    painter = QPainter(faded)
    painter.setOpacity(opacity)
    painter.drawPixmap(0, 0, pixmap)
    painter.end()
    return faded


# -- QPainter fallbacks -------------------------------------------------------------

_TRAY_FALLBACK_COLORS = {
    TrayIconState.SETUP: ("#6E6E6E", "#3D8BFD"),
    TrayIconState.IDLE: ("#6E6E6E", None),
    TrayIconState.PLAYING: ("#1DB954", None),
    TrayIconState.PAUSED: ("#5F8A6E", None),
    TrayIconState.ERROR: ("#6E6E6E", "#F0642E"),
}


def _note_path(center: QPointF, scale: float) -> QPainterPath:
    """A beamed pair of eighth notes in a 64-unit box, scaled and centred."""

    def at(x: float, y: float) -> QPointF:
        return QPointF(center.x() + (x - 35) * scale, center.y() + (y - 31) * scale)

    path = QPainterPath()
    beam = [at(25, 22.5), at(45.5, 17), at(45.5, 23.6), at(25, 29)]
    path.moveTo(beam[0])
    for point in beam[1:]:
        path.lineTo(point)
    path.closeSubpath()
    for left in (25.0, 40.9):
        top = 22.5 if left == 25.0 else 17.0
        path.addRect(QRectF(at(left, top), at(left + 4.6, top + 21)))
        head = at(left - 2.4, top + 21.5)
        path.addEllipse(head, 7 * scale, 5.4 * scale)
    return path.simplified()


def _draw_tray_fallback(state: TrayIconState, painter: QPainter, size: int) -> None:
    disc, badge = _TRAY_FALLBACK_COLORS[state]
    scale = size / 64
    painter.setBrush(QColor(disc))
    painter.drawEllipse(QRectF(3 * scale, 3 * scale, 58 * scale, 58 * scale))
    ink = QColor("#111111") if state is TrayIconState.PLAYING else QColor("#EDEDED")
    painter.setBrush(ink)
    if state is TrayIconState.PAUSED:
        painter.drawRoundedRect(QRectF(20 * scale, 18 * scale, 8.5 * scale, 28 * scale), 2, 2)
        painter.drawRoundedRect(QRectF(35.5 * scale, 18 * scale, 8.5 * scale, 28 * scale), 2, 2)
    else:
        painter.drawPath(_note_path(QPointF(32 * scale, 32 * scale), scale))
    if badge is not None:
        painter.setBrush(QColor("#121212"))
        painter.drawEllipse(QPointF(47 * scale, 47 * scale), 16.5 * scale, 16.5 * scale)
        painter.setBrush(QColor(badge))
        painter.drawEllipse(QPointF(47 * scale, 47 * scale), 14 * scale, 14 * scale)


def _draw_placeholder_fallback(painter: QPainter, size: int) -> None:
    painter.fillRect(QRectF(0, 0, size, size), QColor("#2C2C2C"))
    painter.setBrush(QColor("#7A7A7A"))
    scale = size / 64 * 0.7
    painter.drawPath(_note_path(QPointF(size / 2, size / 2), scale))


def _draw_glyph_fallback(name: str, color: QColor, painter: QPainter, size: int) -> None:
    painter.setBrush(color)
    s = size / 24

    def polygon(*points: tuple[float, float]) -> None:
        path = QPainterPath()
        path.moveTo(points[0][0] * s, points[0][1] * s)
        for x, y in points[1:]:
            path.lineTo(x * s, y * s)
        path.closeSubpath()
        painter.drawPath(path)

    if name == "play":
        polygon((8, 5), (20, 12), (8, 19))
    elif name == "pause":
        painter.drawRect(QRectF(6 * s, 5 * s, 4 * s, 14 * s))
        painter.drawRect(QRectF(14 * s, 5 * s, 4 * s, 14 * s))
    elif name == "previous":
        painter.drawRect(QRectF(4.5 * s, 5 * s, 2.6 * s, 14 * s))
        polygon((18.5, 5), (8, 12), (18.5, 19))
    elif name == "next":
        painter.drawRect(QRectF(16.9 * s, 5 * s, 2.6 * s, 14 * s))
        polygon((5.5, 5), (16, 12), (5.5, 19))
    elif name in ("heart", "heart-filled"):
        polygon((12, 20), (3.5, 10), (7.5, 4.5), (12, 7), (16.5, 4.5), (20.5, 10))
    else:
        painter.drawEllipse(QPointF(12 * s, 12 * s), 5 * s, 5 * s)
