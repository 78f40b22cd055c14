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


def precise(timer: QTimer) -> QTimer:
    """Make ``timer`` fire to the millisecond (Qt's default may be 5 % late).

    Called where the timer is started, not where it is made: the first use of any of
    ``Qt``'s enums builds PySide6's whole ``Qt`` namespace (about 40 ms), which the
    start-up leaves until after the first playback is shown.
    """
    from PySide6.QtCore import Qt

    timer.setTimerType(Qt.TimerType.PreciseTimer)
    return timer


def very_coarse(timer: QTimer) -> QTimer:
    """Make ``timer`` fire to the second (it may then sleep through more), where it is
    started, like ``precise``."""
    from PySide6.QtCore import Qt

    timer.setTimerType(Qt.TimerType.VeryCoarseTimer)
    return timer
