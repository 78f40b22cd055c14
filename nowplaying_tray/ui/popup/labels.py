"""The popup card's text lines: elided to fit, the title on up to two lines, each in
its own writing direction. Spotify's text is always shown as plain text.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QResizeEvent, QTextLayout
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from nowplaying_tray.ui.popup.content import first_strong_is_rtl, plain_tooltip

logger = logging.getLogger(__name__)


class ElidedLabel(QLabel):
    """A one-line plain-text label that elides to its width and tooltips the rest."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setTextFormat(Qt.TextFormat.PlainText)
        # The layout decides the width; the text adapts (not the other way round).
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self._full = ""

    def full_text(self) -> str:
        return self._full

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.setAccessibleName(text)
        self._elide()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._elide()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, self.width())
        if shown != self.text():
            self.setText(shown)
        self.setToolTip(plain_tooltip(self._full) if shown != self._full else "")


class TwoLineLabel(ElidedLabel):
    """The title: wraps onto a second line, and elides only what does not fit in two.

    Signals: ``lines_changed()`` when it goes from one line to two or back (the card's
    height follows).
    """

    lines_changed = Signal()
    """The text now takes a different number of lines."""
    MAX_LINES = 2

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(name, parent)
        self._lines = 1

    def line_count(self) -> int:
        return self._lines

    def _elide(self) -> None:
        shown = self._fit(self._full, max(1, self.width()))
        lines = shown.count("\n") + 1
        if shown != self.text():
            self.setText(shown)
        self.setToolTip(plain_tooltip(self._full) if shown.replace("\n", " ") != self._full else "")
        if lines != self._lines:
            self._lines = lines
            self.updateGeometry()
            self.lines_changed.emit()

    def _fit(self, text: str, width: int) -> str:
        metrics = self.fontMetrics()
        if metrics.horizontalAdvance(text) <= width:
            return text
        layout = QTextLayout(text, self.font())
        layout.beginLayout()
        starts: list[int] = []
        while len(starts) < self.MAX_LINES:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            starts.append(line.textStart())
        layout.endLayout()
        if len(starts) < 2:
            return metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
        first = text[: starts[1]].rstrip()
        rest = metrics.elidedText(text[starts[1] :].strip(), Qt.TextElideMode.ElideRight, width)
        return f"{first}\n{rest}"


def set_text_direction(label: QLabel, text: str) -> None:
    """Lay ``text`` out in its own direction (an Arabic title in an English desktop),
    while the card keeps its place: the label stays where the layout put it."""
    rtl = first_strong_is_rtl(text)
    label.setLayoutDirection(
        Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
    )
    label.setAlignment(Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignLeft)


__all__ = ["ElidedLabel", "TwoLineLabel", "set_text_direction"]
