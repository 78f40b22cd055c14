"""The setup window's pieces: numbered steps, boxed notes and a spinner."""

from __future__ import annotations

import logging

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QHideEvent, QPainter, QPaintEvent, QPen, QPixmap, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from nowplaying_tray.ui import dialog_style, icons

logger = logging.getLogger(__name__)


def _badge_pixmap(tone: str, size: int, ratio: float) -> QPixmap:
    """The round icon of a banner: a check mark for "ok", an "i" otherwise."""
    pixmap = QPixmap(round(size * ratio), round(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    color = {"ok": QColor("#1ED760"), "warning": dialog_style.WARNING}.get(
        tone, dialog_style.TEXT_SECONDARY
    )
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    painter.drawEllipse(QRectF(0, 0, size, size))
    ink = QPen(QColor("#121212"), size * 0.13)
    ink.setCapStyle(Qt.PenCapStyle.RoundCap)
    ink.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(ink)
    if tone == "ok":
        tick = [(0.28, 0.52), (0.44, 0.67), (0.72, 0.36)]
        painter.drawPolyline([QPointF(size * x, size * y) for x, y in tick])
    else:
        painter.drawPoint(QPointF(size * 0.5, size * 0.3))
        painter.drawLine(QPointF(size * 0.5, size * 0.47), QPointF(size * 0.5, size * 0.72))
    painter.end()
    return pixmap


class Banner(QFrame):
    """A boxed note with an icon, a bold title and plain text; its tone sets the colours."""

    ICON_SIZE = 16

    def __init__(
        self, name: str, title: str = "", text: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setProperty("banner", True)  # the style sheet's hook, whatever the name
        self._tone = ""
        self._icon = QLabel(self)
        self._icon.setFixedSize(self.ICON_SIZE, self.ICON_SIZE + 1)
        self._title = dialog_style.text_label(title, "bannerTitle", self)
        self._text = dialog_style.text_label(text, "bannerText", self)
        self._text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._column = QVBoxLayout()
        self._column.setSpacing(4)
        self._column.addWidget(self._title)
        self._column.addWidget(self._text)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.setSpacing(10)
        layout.addWidget(self._icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(self._column, 1)
        self.set_tone("info")

    def add_widget(self, widget: QWidget) -> None:
        self._column.addSpacing(2)
        self._column.addWidget(widget, 0, Qt.AlignmentFlag.AlignLeft)

    def set_content(self, title: str, text: str) -> None:
        self._title.setText(title)
        self._title.setVisible(bool(title))
        self._text.setText(text)
        self.setAccessibleName(title)
        self.setAccessibleDescription(text)

    def title(self) -> str:
        return self._title.text()

    def text(self) -> str:
        return self._text.text()

    def tone(self) -> str:
        return self._tone

    def set_tone(self, tone: str) -> None:
        self._tone = tone
        dialog_style.set_tone(self, tone)
        size = self.ICON_SIZE
        if tone in ("warning", "error"):
            color = dialog_style.WARNING if tone == "warning" else dialog_style.ERROR
            pixmap = icons.glyph("warning", color, size).pixmap(
                QSize(size, size), self.devicePixelRatioF()
            )
        else:
            pixmap = _badge_pixmap(tone, size, self.devicePixelRatioF())
        self._icon.setPixmap(pixmap)


class Spinner(QWidget):
    """A small turning arc; its timer only runs while it is visible."""

    STEP_DEGREES = 12
    INTERVAL_MS = 33

    def __init__(self, size: int = 18, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("spinner")
        self.setFixedSize(size, size)
        self.setAccessibleName("Working")
        self._angle = 0
        self._timer = QTimer(self)
        self._timer.setInterval(self.INTERVAL_MS)
        self._timer.timeout.connect(self._advance)

    def is_spinning(self) -> bool:
        return self._timer.isActive()

    def _advance(self) -> None:
        self._angle = (self._angle + self.STEP_DEGREES) % 360
        self.update()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self._timer.start()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        super().hideEvent(event)
        self._timer.stop()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        width = 2.2
        box = QRectF(self.rect()).adjusted(width, width, -width, -width)
        painter.setPen(QPen(QColor(255, 255, 255, 36), width))
        painter.drawEllipse(box)
        pen = QPen(dialog_style.ACCENT, width)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        # Qt angles are in 1/16 degree, counter-clockwise; negate to turn clockwise.
        painter.drawArc(box, -self._angle * 16, 100 * 16)
        painter.end()


class Step(QWidget):
    """One numbered step: a round number, a title, a short text and its own controls."""

    def __init__(
        self, number: int, title: str, text: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        badge = QLabel(str(number), self)
        badge.setObjectName("stepNumber")
        badge.setTextFormat(Qt.TextFormat.PlainText)
        badge.setFixedSize(26, 26)
        badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._column = QVBoxLayout()
        self._column.setContentsMargins(0, 3, 0, 0)
        self._column.setSpacing(6)
        self._column.addWidget(dialog_style.text_label(title, "stepTitle", self))
        if text:
            self._column.addWidget(dialog_style.text_label(text, "body", self))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(14)
        layout.addWidget(badge, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(self._column, 1)

    def add_widget(self, widget: QWidget, align_left: bool = False) -> None:
        if align_left:
            self._column.addWidget(widget, 0, Qt.AlignmentFlag.AlignLeft)
        else:
            self._column.addWidget(widget)

    def add_row(self, *widgets: QWidget, stretch_first: bool = True) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(8)
        for index, widget in enumerate(widgets):
            row.addWidget(widget, 1 if stretch_first and index == 0 else 0)
        if not stretch_first:
            row.addStretch(1)
        self._column.addSpacing(2)
        self._column.addLayout(row)
        return row


def button_row(parent: QWidget, *widgets: QWidget) -> QWidget:
    """A row of ``widgets``; a label in it takes the spare width."""
    row = QWidget(parent)
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 4, 0, 0)
    layout.setSpacing(10)
    for widget in widgets:
        layout.addWidget(widget, 1 if isinstance(widget, QLabel) else 0)
    return row


def same_width(widget: QAbstractButton, texts: tuple[str, ...]) -> None:
    """Fix ``widget`` at the width of its widest text, so it does not jump when the
    text changes."""
    widget.ensurePolished()
    original = widget.text()
    width = 0
    for text in texts:
        widget.setText(text)
        width = max(width, widget.sizeHint().width())
    widget.setText(original)
    widget.setMinimumWidth(width)
    widget.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)


__all__ = ["Banner", "Spinner", "Step", "button_row", "same_width"]
