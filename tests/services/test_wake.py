from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from nowplaying_tray.core.errors import ApiUnavailable, Offline
from nowplaying_tray.services.clock_steps import ClockSteps
from nowplaying_tray.services.wake import JUMP_TOLERANCE_S, WakeWatcher


class Clocks:
    def __init__(self) -> None:
        self.wall = 1_000_000.0
        self.mono = 50.0


def test_a_suspend_is_noticed(qtbot: QtBot) -> None:
    clocks = Clocks()
    watcher = WakeWatcher(wall_clock=lambda: clocks.wall, monotonic=lambda: clocks.mono)
    woke: list[str] = []
    watcher.woke.connect(woke.append)
    clocks.wall += 20
    clocks.mono += 20  # an ordinary 20 s: both clocks moved together
    watcher.check()
    assert woke == []
    clocks.wall += 3600 + 20
    clocks.mono += 20  # the monotonic clock stood still for an hour of sleep
    watcher.check()
    assert woke == ["resumed from sleep"]
    clocks.wall += JUMP_TOLERANCE_S / 2
    watcher.check()  # a small clock adjustment is not a wake-up
    assert woke == ["resumed from sleep"]


def test_the_network_is_watched_from_the_first_offline_error(qtbot: QtBot) -> None:
    watcher = WakeWatcher()
    watcher.note_error(None)
    watcher.note_error(ApiUnavailable("Spotify is having trouble."))
    assert not watcher.watching_network
    watcher.note_error(Offline("Cannot reach Spotify."))
    assert watcher.watching_network
    watcher.note_error(Offline("Cannot reach Spotify."))  # loaded once, not per error
    assert watcher.watching_network


def _wake_timer(watcher: WakeWatcher) -> QTimer:
    timer = watcher.findChild(QTimer, "wake-check")
    assert timer is not None
    return timer


def test_with_clock_steps_heard_nothing_wakes_on_a_timer(qtbot: QtBot) -> None:
    clocks = Clocks()
    watcher = WakeWatcher(
        wall_clock=lambda: clocks.wall, monotonic=lambda: clocks.mono, on_timer=False
    )
    woke: list[str] = []
    watcher.woke.connect(woke.append)
    watcher.start()
    assert not _wake_timer(watcher).isActive()
    clocks.wall += 7200  # hours later, the first step heard: a resume
    watcher.check()
    assert woke == ["resumed from sleep"]
    watcher.check_on_timer()  # what heard the steps stopped
    assert _wake_timer(watcher).isActive()
    watcher.stop()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="timerfd is Linux's")
def test_clock_steps_are_heard_through_a_timerfd_on_linux(qtbot: QtBot) -> None:
    steps = ClockSteps()
    steps.start()
    assert steps.active  # armed: the kernel cancels it when the wall clock steps
    steps.close()
    assert not steps.active
