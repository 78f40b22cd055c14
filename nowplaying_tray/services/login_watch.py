"""Watches the 6-month login: a reminder once a day from 14 days before it ends.

The check reads the keyring's login date and a small state file, so it runs on
the worker; it costs no request to Spotify. It runs at start, after a login, and then
only when its answer can change (one single-shot timer, at most ``MAX_WAIT_S`` ahead);
a wall-clock step or a resume moves that moment, so the app calls ``check`` then too.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from nowplaying_tray.core.errors import NowPlayingError
from nowplaying_tray.core.limits import MAX_WAIT_S
from nowplaying_tray.core.login_expiry import LoginExpiry, LoginReminder
from nowplaying_tray.services.timers import very_coarse
from nowplaying_tray.services.worker import TaskRunner

logger = logging.getLogger(__name__)

LATE_S = 1.0  # a second past the moment: a timer kept to the second may round down


class LoginWatch(QObject):
    """Signals:
    changed(object): days left (int) while the login ends within 14 days, else None.
    remind(int): the day's reminder is due, with the days left.
    """

    changed = Signal(object)
    remind = Signal(int)

    def __init__(
        self,
        runner: TaskRunner,
        reminder: Callable[[], LoginReminder],
        wall_clock: Callable[[], float] = time.time,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._reminder = reminder  # asked each time: the store changes with the account
        self._wall_clock = wall_clock
        self.days_left: int | None = None
        self._running = False
        self._timer = QTimer(self)
        self._timer.setObjectName("login-expiry-check")
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.check)

    def start(self) -> None:
        self._running = True
        self.check()

    def stop(self) -> None:
        self._running = False
        self._timer.stop()

    def check(self) -> None:
        reminder = self._reminder()
        now = self._wall_clock()
        self._runner.submit(lambda: reminder.check(now), self._on_checked, self._on_failed)

    def forget(self) -> None:
        """Logged out: nothing to remind of."""
        self._set(None)

    def _on_checked(self, expiry: LoginExpiry) -> None:
        self._set(expiry.days_left)
        if expiry.remind and expiry.days_left is not None:
            logger.info("The Spotify login ends in %d days", expiry.days_left)
            self.remind.emit(expiry.days_left)
        self._plan(expiry.next_check_at)

    def _on_failed(self, error: NowPlayingError) -> None:
        logger.info("Could not check the login's age: %s", error.message)
        self._plan(None)

    def _plan(self, due_at: float | None) -> None:
        """The next check when the answer can change; without a login (one may be made
        by ``nowplaying-tray login``) or after a failure, after the longest wait."""
        if not self._running:
            return
        wait_s = MAX_WAIT_S if due_at is None else due_at - self._wall_clock() + LATE_S
        very_coarse(self._timer).start(int(min(max(wait_s, 0.0), MAX_WAIT_S) * 1000))

    def _set(self, days_left: int | None) -> None:
        if days_left != self.days_left:
            self.days_left = days_left
            self.changed.emit(days_left)
