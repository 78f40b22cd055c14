"""A small bar of the daily request budget spent, for the settings window.

It reads the count from memory (``RequestBudget.view``, no I/O) when shown and
every few seconds while visible.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWidget

from nowplaying_tray.core.budget import BudgetView
from nowplaying_tray.ui import dialog_style
from nowplaying_tray.ui.settings.form_layout import SettingRow

logger = logging.getLogger(__name__)

REFRESH_MS = 5000


def budget_text(view: BudgetView) -> str:
    text = f"{view.spent:,} of {view.limit:,} requests to Spotify in the last 24 hours"
    if view.remaining <= 0:
        return text + ": used up; checks wait until older ones drop out."
    if view.fraction_spent >= 0.9:
        return text + ": running low, so the app checks less often."
    return text + "."


class BudgetBar(QWidget):
    """Today's share of the daily request budget, as a bar and a line of text."""

    def __init__(self, view: Callable[[], BudgetView], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._view = view
        self.setObjectName("budgetBar")
        self._bar = QProgressBar(self)
        self._bar.setObjectName("budgetProgress")
        self._bar.setTextVisible(False)
        self._bar.setFixedHeight(6)
        self._label: QLabel = dialog_style.text_label("", "rowText", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self._bar)
        layout.addWidget(self._label)
        self._timer = QTimer(self)
        self._timer.setObjectName("budget-bar-refresh")
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)

    def refresh(self) -> None:
        view = self._view()
        self._bar.setRange(0, view.limit)
        self._bar.setValue(min(view.spent, view.limit))
        self._label.setText(budget_text(view))

    def text(self) -> str:
        return self._label.text()

    def value(self) -> tuple[int, int]:
        return self._bar.value(), self._bar.maximum()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self.refresh()
        self._timer.start()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        self._timer.stop()
        super().hideEvent(event)


def budget_row(view: Callable[[], BudgetView], parent: QWidget) -> tuple[SettingRow, BudgetBar]:
    """The settings row: what the budget is, and the bar."""
    row = SettingRow(
        "Today's requests",
        "Spotify allows an app a daily number of requests (daily_request_budget in the "
        "settings file); checks slow down as it runs low.",
        None,
        parent,
    )
    bar = BudgetBar(view, row)
    row.add_below(bar)
    return row, bar
