"""The layout of a settings page: titled cards of rows, and a wrapping flow of chips.

Looks come from ``dialog_style``; these pieces only arrange widgets.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QHBoxLayout,
    QLayout,
    QLayoutItem,
    QVBoxLayout,
    QWidget,
)

from nowplaying_tray.ui import dialog_style

logger = logging.getLogger(__name__)


class FlowLayout(QLayout):
    """Lays items out left to right, wrapping to a new line when the width runs out."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._gap = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802
        return self.minimumSize()

    def minimumSize(self) -> QSize:  # noqa: N802
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _arrange(self, rect: QRect, move: bool) -> int:
        lines: list[list[QLayoutItem]] = [[]]
        x = rect.x()
        for item in self._items:
            width = item.sizeHint().width()
            if x + width > rect.right() + 1 and lines[-1]:
                lines.append([])
                x = rect.x()
            lines[-1].append(item)
            x += width + self._gap
        y = rect.y()
        for line in lines:
            height = max((item.sizeHint().height() for item in line), default=0)
            x = rect.x()
            for item in line:
                hint = item.sizeHint()
                if move:  # centred on the line, so a label sits level with the chips
                    item.setGeometry(QRect(QPoint(x, y + (height - hint.height()) // 2), hint))
                x += hint.width() + self._gap
            y += height + self._gap
        return max(0, y - self._gap - rect.y())


class SettingRow(QWidget):
    """A title and a short explanation on the left, an optional control on the right,
    and optional full-width widgets below."""

    def __init__(
        self,
        title: str,
        text: str = "",
        control: QWidget | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._title = dialog_style.text_label(title, "rowTitle", self)
        words = QVBoxLayout()
        words.setSpacing(3)
        words.addWidget(self._title)
        if text:
            words.addWidget(dialog_style.text_label(text, "rowText", self))
        top = QHBoxLayout()
        top.setSpacing(16)
        top.addLayout(words, 1)
        if control is not None:
            top.addWidget(control, 0, Qt.AlignmentFlag.AlignVCenter)
            if isinstance(control, QAbstractButton) and not control.text():
                self._title.setBuddy(control)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(16, 13, 16, 13)
        self._layout.setSpacing(10)
        self._layout.addLayout(top)

    def add_below(self, widget: QWidget) -> None:
        self._layout.addWidget(widget)

    def indent(self, pixels: int) -> None:
        margins = self._layout.contentsMargins()
        margins.setLeft(margins.left() + pixels)
        self._layout.setContentsMargins(margins)


def section(title: str, rows: Sequence[QWidget], parent: QWidget, note: str = "") -> QWidget:
    """A titled card of rows with thin lines between them."""
    box = QWidget(parent)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(8)
    heading = dialog_style.text_label(title.upper(), "sectionTitle", box)
    heading.setContentsMargins(4, 0, 0, 0)
    layout.addWidget(heading)
    if note:
        text = dialog_style.text_label(note, "rowText", box)
        text.setContentsMargins(4, 0, 4, 2)
        layout.addWidget(text)
    frame = dialog_style.card(box)
    inner = QVBoxLayout(frame)
    inner.setContentsMargins(0, 2, 0, 2)
    inner.setSpacing(0)
    for index, row in enumerate(rows):
        if index:
            inner.addWidget(dialog_style.divider(frame))
        inner.addWidget(row)
    layout.addWidget(frame)
    return box


__all__ = ["FlowLayout", "SettingRow", "section"]
