"""Named, parented timers: every timer has an owner and a name you can find in a debugger."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer


def single_shot_timer(
    parent: QObject, name: str, interval_ms: int, slot: Callable[[], None]
) -> QTimer:
    timer = QTimer(parent)
    timer.setObjectName(name)
    timer.setSingleShot(True)
    timer.setInterval(interval_ms)
    timer.timeout.connect(slot)
    return timer
