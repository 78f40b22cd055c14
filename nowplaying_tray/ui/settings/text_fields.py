"""Text editors for settings: a box that checks what is typed and applies it after a
pause, a file path box with Browse…, and a template box with clickable keys.

Like the other editors (``editors``), each shows a value with ``set_value`` and
reports a new, valid value as ``committed``.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDir, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from nowplaying_tray.core import text as templates
from nowplaying_tray.ui import dialog_style
from nowplaying_tray.ui.settings.form_layout import FlowLayout

logger = logging.getLogger(__name__)

DEBOUNCE_MS = 800


def template_problem(template: str) -> str | None:
    """Why ``template`` cannot be used, in words; None when it can (as for ``now --format``)."""
    problem = templates.template_problem(template)
    if problem is None:
        return None
    if problem.unknown_key is not None:
        return f"{problem.message} Use one of the keys above."
    return problem.message


class TemplateEdit(QPlainTextEdit):
    """A short multi-line text box with a QLineEdit-like ``editingFinished``."""

    editingFinished = Signal()  # noqa: N815 (named like QLineEdit's)
    """Focus left the box: the text is final."""

    def __init__(self, lines: int = 2, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setFont(dialog_style.mono_font())
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        metrics = self.fontMetrics()
        margin = self.document().documentMargin()
        # Lines of text + document margins + style-sheet padding and border.
        self.setFixedHeight(round(metrics.lineSpacing() * lines + 2 * margin + 14))

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:  # noqa: N802 (mirrors QLineEdit)
        self.setPlainText(text)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusOutEvent(event)
        self.editingFinished.emit()


class TextField(QWidget):
    """A text box with an inline hint. Reports the normalised text when it is valid,
    after editing finishes or a pause in typing, and only when it has changed."""

    committed = Signal(str)
    """The normalised text, once it is valid and has changed."""

    def __init__(
        self,
        edit: QLineEdit | TemplateEdit,
        problem: Callable[[str], str | None],
        normalise: Callable[[str], str] = str.strip,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._edit = edit
        self._problem = problem
        self._normalise = normalise
        self._shown = ""
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(DEBOUNCE_MS)
        self._pause.timeout.connect(self.flush)
        self._hint = dialog_style.text_label("", "hint", self)
        self._hint.hide()
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(6)
        self._row = QHBoxLayout()
        self._row.setSpacing(8)
        self._row.addWidget(edit, 1)
        self._layout.addLayout(self._row)
        self._layout.addWidget(self._hint)
        edit.textChanged.connect(self._on_edited)
        edit.editingFinished.connect(self.flush)

    def add_trailing(self, widget: QWidget) -> None:
        self._row.addWidget(widget, 0, Qt.AlignmentFlag.AlignTop)

    def add_below(self, widget: QWidget) -> None:
        self._layout.insertWidget(self._layout.indexOf(self._hint), widget)

    def set_value(self, value: Any) -> None:
        self._pause.stop()
        self._shown = str(value)
        self._edit.blockSignals(True)
        try:
            self._edit.setText(self._shown)
        finally:
            self._edit.blockSignals(False)
        self._show_problem(None)

    def input_widget(self) -> QWidget:
        return self._edit

    def enter(self, text: str) -> None:
        """Put ``text`` in the box as if typed, and apply it now."""
        self._edit.setText(text)
        self.flush()

    def flush(self) -> None:
        """Apply what is typed now instead of after the pause."""
        self._pause.stop()
        value = self._normalise(self._edit.text())
        if self._problem(value) is None and value != self._shown:
            self._shown = value
            self.committed.emit(value)

    def _on_edited(self) -> None:
        self._show_problem(self._problem(self._normalise(self._edit.text())))
        self._pause.start()

    def _show_problem(self, problem: str | None) -> None:
        self._hint.setText(problem or "")
        self._hint.setVisible(problem is not None)
        dialog_style.set_tone(self._hint, "error" if problem else "")
        dialog_style.set_tone(self._edit, "error" if problem else "")


class PathField(TextField):
    """A file path box with a Browse… button that asks where to save.

    Any path is accepted as typed; an empty one means "save nothing".
    """

    def __init__(self, caption: str, kinds: str, parent: QWidget | None = None) -> None:
        edit = QLineEdit(parent)
        edit.setPlaceholderText("Not saved")
        edit.setClearButtonEnabled(True)
        edit.setAccessibleName(caption)
        super().__init__(edit, lambda _: None, parent=parent)
        self._caption = caption
        self._kinds = kinds
        self._browse = dialog_style.button("Browse…", "small", parent)
        self._browse.setObjectName("browseButton")
        self._browse.clicked.connect(self._ask_for_path)
        self.add_trailing(self._browse)

    def _ask_for_path(self) -> None:
        start = self._edit.text().strip() or QDir.homePath()
        # The file is ours to overwrite on every track: asking "replace?" would mislead.
        path, _ = QFileDialog.getSaveFileName(
            self.window(),
            self._caption,
            start,
            f"{self._kinds};;All files (*)",
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if path:
            self.enter(path)


class TemplateField(TextField):
    """A template box with the keys as chips below it; unknown keys get a hint."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        edit = TemplateEdit(2, parent)
        edit.setAccessibleName(name)
        # Templates keep their spaces and line breaks exactly as typed.
        super().__init__(edit, template_problem, normalise=str, parent=parent)
        self.add_below(key_chips(edit, parent))


def key_chips(target: TemplateEdit, parent: QWidget | None = None) -> QWidget:
    """The template keys as small buttons; clicking one types it into ``target``."""
    box = QWidget(parent)
    flow = FlowLayout(box, spacing=5)
    lead = dialog_style.text_label("Insert:", "rowText", box)
    lead.setWordWrap(False)
    flow.addWidget(lead)
    for key in templates.TEMPLATE_KEYS:
        chip = dialog_style.button(f"{{{key}}}", "chip", box)
        chip.setFont(dialog_style.mono_font(11))
        chip.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a click keeps the cursor in the box
        chip.setToolTip(f"Insert {{{key}}}")
        chip.clicked.connect(functools.partial(_insert_key, target, key))
        flow.addWidget(chip)
    return box


def _insert_key(target: TemplateEdit, key: str) -> None:
    target.insertPlainText(f"{{{key}}}")
    target.setFocus(Qt.FocusReason.OtherFocusReason)


__all__ = [
    "DEBOUNCE_MS",
    "PathField",
    "TemplateEdit",
    "TemplateField",
    "TextField",
    "key_chips",
    "template_problem",
]
