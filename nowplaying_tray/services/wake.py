"""NotificationChannel when the computer wakes from sleep or the network comes back."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from nowplaying_tray.core.errors import Offline
from nowplaying_tray.services.timers import very_coarse

logger = logging.getLogger(__name__)

CHECK_INTERVAL_S = 20.0
JUMP_TOLERANCE_S = 10.0


class WakeWatcher(QObject):
    """Signals: woke(str): a reason to look again at once."""

    woke = Signal(str)

    def __init__(
        self,
        wall_clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
        on_timer: bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        # False when something calls check() as the clock steps (services.clock_steps):
        # then nothing wakes every CHECK_INTERVAL_S while nothing happens.
        self._on_timer = on_timer
        self._wall_clock = wall_clock
        self._monotonic = monotonic
        self._last = (wall_clock(), monotonic())
        # The monotonic clock stops during suspend on Linux; the wall clock does not.
        self._timer = QTimer(self)
        self._timer.setObjectName("wake-check")
        self._timer.setInterval(int(CHECK_INTERVAL_S * 1000))
        self._timer.timeout.connect(self.check)
        self._network_watch_requested = False

    def start(self) -> None:
        self._last = (self._wall_clock(), self._monotonic())
        if self._on_timer:
            very_coarse(self._timer).start()

    def check_on_timer(self) -> None:
        """What called check() at each clock step stopped: check every CHECK_INTERVAL_S."""
        self._on_timer = True
        very_coarse(self._timer).start()

    def stop(self) -> None:
        self._timer.stop()

    def check(self) -> None:
        wall, mono = self._wall_clock(), self._monotonic()
        wall_step, mono_step = wall - self._last[0], mono - self._last[1]
        self._last = (wall, mono)
        if wall_step - mono_step > JUMP_TOLERANCE_S:
            logger.info("Woke from sleep (%.0f s)", wall_step - mono_step)
            self.woke.emit("resumed from sleep")

    def note_error(self, error: object) -> None:
        """Watch the network from the first time Spotify is unreachable.

        Qt's network-information backend costs about 4 MiB and matters only while
        offline, so it is not loaded while everything works.
        """
        if isinstance(error, Offline):
            self.watch_network()

    @property
    def watching_network(self) -> bool:
        return self._network_watch_requested

    def watch_network(self) -> None:
        if self._network_watch_requested:
            return
        self._network_watch_requested = True
        try:
            from PySide6.QtNetwork import QNetworkInformation

            if not QNetworkInformation.loadDefaultBackend():
                return
            info = QNetworkInformation.instance()
        except (ImportError, RuntimeError):
            return
        if info is None:
            return

        def changed(reachability: QNetworkInformation.Reachability) -> None:
            if reachability == QNetworkInformation.Reachability.Online:
                self.woke.emit("network is back")

        info.reachabilityChanged.connect(changed)
