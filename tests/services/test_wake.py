from __future__ import annotations

from pytestqt.qtbot import QtBot

from nowplaying_tray.core.errors import ApiUnavailable, Offline
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
