from __future__ import annotations

from pytestqt.qtbot import QtBot

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
