"""Hears the wall clock step (a resume from sleep, a clock set by hand or by NTP) without
waking in between: a Linux timerfd armed far ahead with ``TFD_TIMER_CANCEL_ON_SET``.

The kernel cancels such a timer whenever the real-time clock jumps, and treats a
resume as such a jump, so the descriptor turns readable exactly then. Elsewhere, or
when the kernel refuses, ``start`` says ``failed`` and the caller checks on a timer.
The timerfd is made by ``start`` (with ctypes), after the first playback is shown.
"""

from __future__ import annotations

import errno
import functools
import logging
import os
import sys
import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSocketNotifier, Signal

if TYPE_CHECKING:
    import ctypes

logger = logging.getLogger(__name__)

_CLOCK_REALTIME = 0
_TFD_NONBLOCK = os.O_NONBLOCK
_TFD_CLOEXEC = os.O_CLOEXEC
_TFD_TIMER_ABSTIME = 1
_TFD_TIMER_CANCEL_ON_SET = 2
_FAR_AHEAD_S = 10 * 365 * 86400  # it is meant never to expire, only to be cancelled


@functools.cache
def _itimerspec() -> Any:
    """The C ``struct itimerspec`` (ctypes is imported with the first timerfd)."""
    import ctypes

    class Timespec(ctypes.Structure):
        _fields_ = [("tv_sec", ctypes.c_long), ("tv_nsec", ctypes.c_long)]

    class Itimerspec(ctypes.Structure):
        _fields_ = [("it_interval", Timespec), ("it_value", Timespec)]

    return Itimerspec


class ClockSteps(QObject):
    """Signals:
    stepped(): the wall clock jumped (or the computer resumed).
    failed(): no timerfd (not Linux, refused by the kernel) or it stopped working;
        check on a timer from now on.
    """

    stepped = Signal()
    failed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fd = -1
        self._libc: ctypes.CDLL | None = None
        self._notifier: QSocketNotifier | None = None

    def start(self) -> None:
        if sys.platform.startswith("linux"):
            self._open()
        if not self.active:
            self.failed.emit()

    @property
    def active(self) -> bool:
        return self._notifier is not None

    def close(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier = None
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def _open(self) -> None:
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            fd = libc.timerfd_create(_CLOCK_REALTIME, _TFD_NONBLOCK | _TFD_CLOEXEC)
        except (OSError, AttributeError) as exc:
            logger.info("Clock steps are checked on a timer: %s", exc)
            return
        if fd < 0:
            logger.info("Clock steps are checked on a timer: %s", os.strerror(ctypes.get_errno()))
            return
        self._libc, self._fd = libc, fd
        if not self._arm():
            self.close()
            return
        self._notifier = QSocketNotifier(fd, QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._on_readable)

    def _arm(self) -> bool:
        import ctypes

        assert self._libc is not None
        spec = _itimerspec()()
        spec.it_value.tv_sec = int(time.time()) + _FAR_AHEAD_S
        flags = _TFD_TIMER_ABSTIME | _TFD_TIMER_CANCEL_ON_SET
        if self._libc.timerfd_settime(self._fd, flags, ctypes.byref(spec), None) != 0:
            logger.info("Clock steps are checked on a timer: %s", os.strerror(ctypes.get_errno()))
            return False
        return True

    def _on_readable(self) -> None:
        try:
            os.read(self._fd, 8)
        except BlockingIOError:
            return
        except OSError as exc:
            if exc.errno != errno.ECANCELED:
                logger.info("Clock steps are checked on a timer: %s", exc.strerror)
                self.close()
                self.failed.emit()
                return
        # Cancelled (or, ten years on, expired): arm again, then say so.
        if self._arm():
            self.stepped.emit()
        else:
            self.close()
            self.failed.emit()
