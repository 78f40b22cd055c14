"""Editors for one setting each: a switch, a number box and a segmented choice.

Every editor shows a value with ``set_value`` (silently) and reports a value the
person chose as ``committed``; the window maps them to ``Settings`` fields. The
text editors, which also check what is typed, are in ``text_fields``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, Protocol

from PySide6.QtCore import (
    QEasingCurve,
    QPoint,
    QPointF,
    QRectF,
    QSize,
    Qt,
    QVariantAnimation,
    Signal,
    SignalInstance,
)
from PySide6.QtGui import QColor, QFocusEvent, QPainter, QPaintEvent, QPen, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QButtonGroup,
    QHBoxLayout,
    QSizePolicy,
    QSpinBox,
    QStyle,
    QStyleOptionSpinBox,
    QWidget,
)

from nowplaying_tray.ui import dialog_style

logger = logging.getLogger(__name__)

SPIN_WIDTH = 108


class Editor(Protocol):
    """Shows one setting and reports a new, valid value as ``committed``."""

    @property
    def committed(self) -> SignalInstance: ...

    def set_value(self, value: Any) -> None:
        """Show ``value`` without reporting it."""

    def input_widget(self) -> QWidget: ...


class ToggleSwitch(QAbstractButton):
    """An on/off switch (a checkable button) drawn as a pill with a sliding knob."""

    committed = Signal(bool)
    """The person flipped the switch: its new state."""
    TRACK = QSize(36, 20)

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCheckable(True)
        self.setAccessibleName(name)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self._keyboard_focus = False
        self._position = 0.0  # 0 = off, 1 = on; animated in between
        self._slide = QVariantAnimation(self)
        self._slide.setDuration(120)
        self._slide.setEasingCurve(QEasingCurve.Type.OutCubic)
        self._slide.valueChanged.connect(self._move_knob)
        self.toggled.connect(self._on_toggled)
        # ``clicked`` comes from the person (mouse, Space, or click()); setChecked is silent.
        self.clicked.connect(lambda checked: self.committed.emit(bool(checked)))

    def set_value(self, value: Any) -> None:
        self.setChecked(bool(value))

    def input_widget(self) -> QWidget:
        return self

    def sizeHint(self) -> QSize:  # noqa: N802
        return self.TRACK + QSize(4, 4)  # room for the focus ring

    def hitButton(self, pos: QPoint) -> bool:  # noqa: N802
        return self.rect().contains(pos)

    def _on_toggled(self, checked: bool) -> None:
        target = 1.0 if checked else 0.0
        if self.isVisible():
            self._slide.stop()
            self._slide.setStartValue(self._position)
            self._slide.setEndValue(target)
            self._slide.start()
        else:
            self._move_knob(target)

    def _move_knob(self, value: object) -> None:
        self._position = float(value)  # type: ignore[arg-type]
        self.update()

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        # Ring only for keyboard focus: a click shows its result already.
        self._keyboard_focus = event.reason() in (
            Qt.FocusReason.TabFocusReason,
            Qt.FocusReason.BacktabFocusReason,
            Qt.FocusReason.ShortcutFocusReason,
        )
        super().focusInEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if not self.isEnabled():
            painter.setOpacity(0.35)
        track = QRectF(0, 0, self.TRACK.width(), self.TRACK.height())
        track.moveCenter(QRectF(self.rect()).center())
        radius = track.height() / 2
        off = QColor("#6A6A6A" if self.underMouse() and self.isEnabled() else "#535353")
        on = QColor("#1ED760" if self.underMouse() and self.isEnabled() else "#1DB954")
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(_mix(off, on, self._position))
        painter.drawRoundedRect(track, radius, radius)
        knob = track.height() - 6
        x = track.left() + 3 + (track.width() - 6 - knob) * self._position
        painter.setBrush(QColor("#FFFFFF"))
        painter.drawEllipse(QRectF(x, track.top() + 3, knob, knob))
        if self.hasFocus() and self._keyboard_focus:
            painter.setPen(QPen(QColor(255, 255, 255, 170), 1.5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            ring = track.adjusted(-1.5, -1.5, 1.5, 1.5)
            painter.drawRoundedRect(ring, radius + 1.5, radius + 1.5)
        painter.end()


def _mix(a: QColor, b: QColor, amount: float) -> QColor:
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * amount,
        a.greenF() + (b.greenF() - a.greenF()) * amount,
        a.blueF() + (b.blueF() - a.blueF()) * amount,
    )


class NumberBox(QSpinBox):
    """A whole-number box that reports a value once it is entered, not per keystroke."""

    committed = Signal(int)
    """The person chose a number (typed, stepped or scrolled)."""

    def __init__(
        self, name: str, limits: tuple[int, int], suffix: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setRange(*limits)
        self.setSuffix(suffix)
        self.setAccessibleName(name)
        # Typing "30" must not apply 3 first: report on Enter, focus loss or arrows.
        self.setKeyboardTracking(False)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setFixedWidth(SPIN_WIDTH)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._showing = False
        self.valueChanged.connect(self._on_value_changed)

    def set_value(self, value: Any) -> None:
        self._showing = True
        try:
            self.setValue(round(float(value)))
        finally:
            self._showing = False

    def input_widget(self) -> QWidget:
        return self

    def _on_value_changed(self, value: int) -> None:
        if not self._showing:
            self.committed.emit(value)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        # Scrolling the page over an unfocused box must scroll the page, not change
        # the port; the scroll area gets the ignored event.
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        option = QStyleOptionSpinBox()
        self.initStyleOption(option)
        steps = self.stepEnabled()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for control, flag, pointing_up in (
            (QStyle.SubControl.SC_SpinBoxUp, QAbstractSpinBox.StepEnabledFlag.StepUpEnabled, True),
            (
                QStyle.SubControl.SC_SpinBoxDown,
                QAbstractSpinBox.StepEnabledFlag.StepDownEnabled,
                False,
            ),
        ):
            rect = self.style().subControlRect(
                QStyle.ComplexControl.CC_SpinBox, option, control, self
            )
            live = self.isEnabled() and bool(steps & flag)
            _draw_chevron(painter, QRectF(rect), pointing_up, "#B3B3B3" if live else "#4A4A4A")
        painter.end()


def _draw_chevron(painter: QPainter, rect: QRectF, pointing_up: bool, color: str) -> None:
    pen = QPen(QColor(color), 1.6)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    center = rect.center()
    half, rise = 3.5, 2.0 if pointing_up else -2.0
    painter.drawPolyline(
        [
            QPointF(center.x() - half, center.y() + rise / 2),
            QPointF(center.x(), center.y() - rise / 2),
            QPointF(center.x() + half, center.y() + rise / 2),
        ]
    )


class SegmentedChoice(QWidget):
    """Two or more side-by-side buttons, exactly one of them on."""

    committed = Signal(object)  # values of any type: the caller's choices
    """The person picked an option: its value."""

    def __init__(
        self, name: str, options: Sequence[tuple[object, str]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self._values = [value for value, _ in options]
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        for index, (_, label) in enumerate(options):
            segment = dialog_style.button(label, "segment", self)
            segment.setCheckable(True)
            segment.setAccessibleName(f"{name}: {label}")
            edge = "first" if index == 0 else "last" if index == len(options) - 1 else ""
            segment.setProperty("edge", edge)
            self._group.addButton(segment, index)
            layout.addWidget(segment)
        # idClicked is the person's choice; setChecked from set_value is silent.
        self._group.idClicked.connect(lambda index: self.committed.emit(self._values[index]))

    def set_value(self, value: Any) -> None:
        if value in self._values:
            self._group.button(self._values.index(value)).setChecked(True)

    def value(self) -> object:
        return self._values[max(0, self._group.checkedId())]

    def button_for(self, value: object) -> QAbstractButton:
        return self._group.button(self._values.index(value))

    def input_widget(self) -> QWidget:
        return self


__all__ = ["SPIN_WIDTH", "Editor", "NumberBox", "SegmentedChoice", "ToggleSwitch"]
