"""The popup card's own painted pieces: the cover, the progress line, the volume
and the inline message. Each shows what it is given; the card decides what that is.
(Its text lines are in ``popup_labels``.)
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from nowplaying_tray.ui import icons, style
from nowplaying_tray.ui.popup.keyboard import draw_focus_ring, seek_key_target

logger = logging.getLogger(__name__)


class CoverView(QWidget):
    """The cover, centre-cropped to a square with rounded corners."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cover")
        self.setFixedSize(style.ART_SIZE, style.ART_SIZE)
        self.setAccessibleName("Cover art")
        self._source: QPixmap | None = None
        self._rounded: QPixmap | None = None

    def set_pixmap(self, pixmap: QPixmap | None) -> None:
        self._source = pixmap if pixmap is not None and not pixmap.isNull() else None
        self._rounded = None
        self.update()

    def has_cover(self) -> bool:
        return self._source is not None

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        ratio = self.devicePixelRatioF()
        if self._rounded is None or self._rounded.devicePixelRatio() != ratio:
            # Scaled once per cover (and screen), not on every repaint.
            self._rounded = self._render(ratio)
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self._rounded)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(255, 255, 255, 18), 1))  # lifts dark covers off the card
        painter.setBrush(Qt.BrushStyle.NoBrush)
        edge = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.drawRoundedRect(edge, style.ART_RADIUS, style.ART_RADIUS)
        painter.end()

    def _render(self, ratio: float) -> QPixmap:
        pixels = round(style.ART_SIZE * ratio)
        source = self._source if self._source is not None else icons.placeholder_art(pixels)
        scaled = source.scaled(
            pixels,
            pixels,
            Qt.AspectRatioMode.KeepAspectRatioByExpanding,
            Qt.TransformationMode.SmoothTransformation,
        )
        crop = QRect(
            (scaled.width() - pixels) // 2, (scaled.height() - pixels) // 2, pixels, pixels
        )
        image = QImage(pixels, pixels, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        # A brush-filled rounded rect gives antialiased corners (a clip path does not).
        painter.setBrush(QBrush(scaled.copy(crop)))
        radius = style.ART_RADIUS * ratio
        painter.drawRoundedRect(QRectF(0, 0, pixels, pixels), radius, radius)
        painter.end()
        rounded = QPixmap.fromImage(image)
        rounded.setDevicePixelRatio(ratio)
        return rounded


class ProgressLine(QWidget):
    """A thin rounded progress line: green on grey. Drag or click it to seek.

    Signals: ``dragged(int)`` while the pointer moves (the position it points at, ms),
    ``seek_requested(int)`` once, when the button is released: one drag, one seek.
    """

    dragged = Signal(int)
    """The position in ms under the pointer, while dragging."""
    seek_requested = Signal(int)
    """The position in ms to seek to, once per drag or click."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("progress")
        self.setAccessibleName("Playback position")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(12)
        # Reached with Tab; the arrow keys seek (see ``keyPressEvent``).
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self._value = 0
        self._maximum = 0
        self._seekable = False
        self._drag: int | None = None  # where a drag points, while one is under way

    def value(self) -> int:
        return self._drag if self._drag is not None else self._value

    def maximum(self) -> int:
        return self._maximum

    def dragging(self) -> bool:
        return self._drag is not None

    def set_progress(self, value: int, maximum: int) -> None:
        value = max(0, min(value, maximum)) if maximum > 0 else 0
        if (value, maximum) != (self._value, self._maximum):
            self._value, self._maximum = value, max(0, maximum)
            self.update()

    def set_seekable(self, seekable: bool) -> None:
        self._seekable = seekable
        self.setCursor(
            Qt.CursorShape.PointingHandCursor if seekable else Qt.CursorShape.ArrowCursor
        )
        if not seekable:
            self._drag = None
            self.update()

    def position_at(self, x: float) -> int:
        """The position (ms) under ``x`` pixels from the left edge."""
        if self._maximum <= 0 or self.width() <= 0:
            return 0
        fraction = min(max(x / self.width(), 0.0), 1.0)
        return round(fraction * self._maximum)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if not self._seekable or self._maximum <= 0:
            super().mousePressEvent(event)
            return
        self._drag_to(event.position().x())
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._drag is None:
            super().mouseMoveEvent(event)
            return
        self._drag_to(event.position().x())
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._drag is None:
            super().mouseReleaseEvent(event)
            return
        self._drag_to(event.position().x())
        target, self._drag = self._drag, None
        self._value = target
        self.update()
        self.seek_requested.emit(target)
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        target = seek_key_target(event.key(), self._value, self._maximum)
        if not self._seekable or self._maximum <= 0 or target is None:
            super().keyPressEvent(event)
            return
        self._value = target
        self.update()
        self.seek_requested.emit(target)
        event.accept()

    def _drag_to(self, x: float) -> None:
        position = self.position_at(x)
        if position != self._drag:
            self._drag = position
            self.update()
            self.dragged.emit(position)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        thickness = 6.0 if self._drag is not None else 4.0
        track = QRectF(0, (self.height() - thickness) / 2, self.width(), thickness)
        painter.setBrush(style.TRACK)
        painter.drawRoundedRect(track, thickness / 2, thickness / 2)
        value = self.value()
        if self._maximum > 0 and value > 0:
            filled = QRectF(track)
            filled.setWidth(max(thickness, track.width() * value / self._maximum))
            painter.setBrush(style.ACCENT)
            painter.drawRoundedRect(filled, thickness / 2, thickness / 2)
        if self.hasFocus():
            draw_focus_ring(painter, QRectF(self.rect()))
        painter.end()


class VolumeSlider(QSlider):
    """The device's volume, 0-100. ``valueChanged`` comes once at the end of a drag
    (no tracking) and once per wheel or key step; the controls merge those bursts."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setObjectName("volume")
        self.setAccessibleName("Volume")
        self.setRange(0, 100)
        self.setSingleStep(5)
        self.setPageStep(10)
        self.setTracking(False)
        self.setFixedWidth(72)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def show_value(self, percent: int) -> None:
        """Show ``percent`` without it counting as a change by the person."""
        if self.isSliderDown():
            return  # never pull the handle from under the pointer
        blocked = self.blockSignals(True)
        self.setValue(percent)
        self.setSliderPosition(percent)
        self.blockSignals(blocked)
        self.setToolTip(f"Volume {percent} %")

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)  # the style sheet has no focus look for a slider
        if self.hasFocus():
            painter = QPainter(self)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            draw_focus_ring(painter, QRectF(self.rect()))
            painter.end()


class MessageStrip(QFrame):
    """An inline warning inside the card (not a dialog)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("message")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 7, 10, 7)
        layout.setSpacing(8)
        badge = QLabel(self)
        badge.setObjectName("messageIcon")
        badge.setPixmap(icons.glyph("warning", style.WARNING, 14).pixmap(14, 14))
        badge.setFixedSize(14, 16)
        layout.addWidget(badge, 0, Qt.AlignmentFlag.AlignTop)
        self._text = QLabel(self)
        self._text.setObjectName("messageText")
        self._text.setTextFormat(Qt.TextFormat.PlainText)
        self._text.setWordWrap(True)
        layout.addWidget(self._text, 1)
        self.setAccessibleName("Message")

    def text(self) -> str:
        return self._text.text()

    def label(self) -> QLabel:
        return self._text

    def set_text(self, text: str) -> None:
        self._text.setText(text)
        self.setAccessibleDescription(text)


class CardFooter(QWidget):
    """The card's notes under the controls: a warning strip and a status line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._message = MessageStrip(self)
        self._status = QLabel(self)
        self._status.setObjectName("status")
        self._status.setTextFormat(Qt.TextFormat.PlainText)
        self._status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 10, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self._message)
        layout.addWidget(self._status)
        self._message.hide()
        self._status.hide()
        self.hide()

    def set_notes(self, message: str, status: str) -> None:
        self._message.set_text(message)
        self._message.setVisible(bool(message))
        self._status.setText(status)
        self._status.setVisible(bool(status))

    def refit(self) -> None:
        """Show only with something in it, with heights measured now."""
        self.setVisible(not (self._message.isHidden() and self._status.isHidden()))
        for widget in (self._message, self):
            if (layout := widget.layout()) is not None:
                layout.invalidate()
            widget.updateGeometry()


__all__ = [
    "CardFooter",
    "CoverView",
    "MessageStrip",
    "ProgressLine",
    "VolumeSlider",
]
