"""Publishes Web API playback as the MPRIS player ``org.mpris.MediaPlayer2.nowplaying_tray``.

Media keys, desktop shells and ``playerctl`` then see what Spotify plays on another
device. All bus work runs on the D-Bus thread (``BusThread``); calls from the bus
come back as Qt signals and go through the usual playback controls, so their
errors are the usual named ones, shown the usual way.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QObject, Signal

from nowplaying_tray.bus.thread import BusThread, BusUnavailable
from nowplaying_tray.core.model import Playback
from nowplaying_tray.core.mpris import MPRIS_PREFIX, OUR_PLAYER
from nowplaying_tray.services.mpris.interfaces import JUMP_MS, MprisPlayer, PlayerActions

logger = logging.getLogger(__name__)

BUS_NAME = MPRIS_PREFIX + OUR_PLAYER
# The player's position is extrapolated from the last reading it was given; a reading
# further than this from it is sent (a seek, JUMP_MS, is then signalled as Seeked).
RESYNC_MS = JUMP_MS // 2


def publishes_change(shown: Playback | None, new: Playback | None, now: float) -> bool:
    """Whether the player would publish ``new`` differently from ``shown`` (the reading it
    has): any field but the moving position, or a position out of step by RESYNC_MS."""
    if shown is None or new is None:
        return shown is not new
    if replace(shown, read_at=0.0, progress_ms=None) != replace(new, read_at=0.0, progress_ms=None):
        return True  # the item, status, volume, shuffle, repeat, what Spotify allows...
    before, after = shown.progress_at(now), new.progress_at(now)
    if before is None or after is None:
        return before is not after
    return abs(before - after) > RESYNC_MS


class MprisServer(QObject):
    """Signals (emitted on the D-Bus thread, delivered queued to the GUI thread):
    play_pause_requested, play_requested, pause_requested, next_requested,
    previous_requested, raise_requested, seek_requested(int ms),
    volume_requested(int percent), shuffle_requested(bool),
    repeat_requested(str: track, context or off);
    published_changed(bool): the name was taken or given up.
    """

    play_pause_requested = Signal()
    play_requested = Signal()
    pause_requested = Signal()
    next_requested = Signal()
    previous_requested = Signal()
    raise_requested = Signal()
    seek_requested = Signal(int)
    volume_requested = Signal(int)
    shuffle_requested = Signal(bool)
    repeat_requested = Signal(str)
    published_changed = Signal(bool)

    def __init__(
        self,
        bus: BusThread,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._bus = bus
        self._clock = clock
        actions = PlayerActions(
            play_pause=self.play_pause_requested.emit,
            play=self.play_requested.emit,
            pause=self.pause_requested.emit,
            next=self.next_requested.emit,
            previous=self.previous_requested.emit,
            seek_to=self.seek_requested.emit,
            raise_window=self.raise_requested.emit,
            set_volume=self.volume_requested.emit,
            set_shuffle=self.shuffle_requested.emit,
            set_repeat=self.repeat_requested.emit,
        )
        # The Web API seeks (the controls' seek), where the item allows it.
        self._player = MprisPlayer(actions, self._signal, clock, seekable=True)
        self._wanted = False  # the GUI's wish; the D-Bus thread follows it in order
        self._shown: Playback | None = None  # the last reading sent to the player
        self._published = False  # D-Bus thread only
        self._serving = False  # our handler is on the connection (D-Bus thread)

    @property
    def wanted(self) -> bool:
        return self._wanted

    def update(self, playback: Playback | None) -> None:
        """What the player shows now; sent to the D-Bus thread only when the player would
        publish something else (each poll brings a new reading, mostly the same). Signals
        go out only while published."""
        if not publishes_change(self._shown, playback, self._clock()):
            return
        self._shown = playback
        self._bus.submit(lambda: self._player.show(playback))

    def publish(self) -> None:
        if not self._wanted:
            self._wanted = True
            self._bus.submit(self._sync)

    def withdraw(self) -> None:
        if self._wanted:
            self._wanted = False
            self._bus.submit(self._sync)

    # the D-Bus thread -----------------------------------------------------------------

    def _signal(self, message: object) -> None:
        if self._published:
            self._bus.send(message)

    def _sync(self) -> None:
        """Bring the bus in line with ``_wanted``."""
        try:
            self._bus.connect()
        except BusUnavailable as exc:
            logger.info("No MPRIS player of our own: %s", exc)
            return
        if not self._serving:
            self._bus.export(self._player.exported)
            self._serving = True
        if self._wanted and not self._published:
            if not self._bus.request_name(BUS_NAME):
                logger.info("%s is taken by another process; not published", BUS_NAME)
                return
            self._published = True
            logger.info("MPRIS player %s published", BUS_NAME)
            self.published_changed.emit(True)
        elif not self._wanted and self._published:
            self._bus.release_name(BUS_NAME)
            self._published = False
            logger.info("MPRIS player %s withdrawn", BUS_NAME)
            self.published_changed.emit(False)
