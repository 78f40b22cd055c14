"""Publishes Web API playback as the MPRIS player ``org.mpris.MediaPlayer2.nowplaying_tray``.

Media keys, desktop shells and ``playerctl`` then see what Spotify plays on another
device. All bus work runs on the D-Bus thread (``DBusLoop``); calls from the bus
come back as Qt signals and go through the usual playback controls, so their
errors are the usual named ones, shown the usual way.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from nowplaying_tray.core.model import Playback
from nowplaying_tray.core.mpris import MPRIS_PREFIX, OUR_PLAYER
from nowplaying_tray.services.dbus_loop import BusUnavailable, DBusLoop

if TYPE_CHECKING:  # dbus-fast and the interfaces are imported on the D-Bus thread
    from nowplaying_tray.services.mpris_interfaces import PlayerInterface, RootInterface

logger = logging.getLogger(__name__)

BUS_NAME = MPRIS_PREFIX + OUR_PLAYER
OBJECT_PATH = "/org/mpris/MediaPlayer2"


class MprisServer(QObject):
    """Signals (emitted on the D-Bus thread, delivered queued to the GUI thread):
    play_pause_requested, play_requested, pause_requested, next_requested,
    previous_requested, raise_requested, seek_requested(int ms);
    published_changed(bool): the name was taken or given up.
    """

    play_pause_requested = Signal()
    play_requested = Signal()
    pause_requested = Signal()
    next_requested = Signal()
    previous_requested = Signal()
    raise_requested = Signal()
    seek_requested = Signal(int)
    published_changed = Signal(bool)

    def __init__(
        self,
        loop: DBusLoop,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._loop = loop
        self._clock = clock
        self._root: RootInterface | None = None  # made on the D-Bus thread, on first use
        self._player: PlayerInterface | None = None
        self._playback: Playback | None = None  # the last one handed in (D-Bus thread)
        self._wanted = False  # the GUI's wish; the loop follows it in order
        self._published = False  # loop thread only

    def _interfaces(self) -> tuple[RootInterface, PlayerInterface]:
        from nowplaying_tray.services.mpris_interfaces import (
            PlayerActions,
            PlayerInterface,
            RootInterface,
        )

        if self._root is None or self._player is None:
            actions = PlayerActions(
                play_pause=self.play_pause_requested.emit,
                play=self.play_requested.emit,
                pause=self.pause_requested.emit,
                next=self.next_requested.emit,
                previous=self.previous_requested.emit,
                seek_to=self.seek_requested.emit,
                raise_window=self.raise_requested.emit,
            )
            self._root = RootInterface(actions)
            # The Web API seeks (the controls' seek), where the item allows it.
            self._player = PlayerInterface(actions, self._clock, seekable=True)
            self._player.playback = self._playback
        return self._root, self._player

    @property
    def wanted(self) -> bool:
        return self._wanted

    def update(self, playback: Playback | None) -> None:
        """What the player shows now; signals go out only while published."""
        self._loop.call_soon(lambda: self._show(playback))

    def publish(self) -> None:
        if not self._wanted:
            self._wanted = True
            self._loop.submit(self._sync)

    def withdraw(self) -> None:
        if self._wanted:
            self._wanted = False
            self._loop.submit(self._sync)

    def _show(self, playback: Playback | None) -> None:
        self._playback = playback
        if self._player is not None:
            self._player.show(playback)

    async def _sync(self) -> None:
        """Bring the bus in line with ``_wanted`` (runs on the D-Bus thread)."""
        from dbus_fast.constants import NameFlag, RequestNameReply

        try:
            bus = await self._loop.bus()
        except BusUnavailable as exc:
            logger.info("No session bus, so no MPRIS player (%s)", exc)
            return
        if self._wanted and not self._published:
            root, player = self._interfaces()
            bus.export(OBJECT_PATH, root)
            bus.export(OBJECT_PATH, player)
            reply = await bus.request_name(BUS_NAME, NameFlag.DO_NOT_QUEUE)
            if reply not in (RequestNameReply.PRIMARY_OWNER, RequestNameReply.ALREADY_OWNER):
                logger.info("%s is taken by another process; not published", BUS_NAME)
                bus.unexport(OBJECT_PATH)
                return
            self._published = True
            logger.info("MPRIS player %s published", BUS_NAME)
            self.published_changed.emit(True)
        elif not self._wanted and self._published:
            await bus.release_name(BUS_NAME)
            bus.unexport(OBJECT_PATH)
            self._published = False
            logger.info("MPRIS player %s withdrawn", BUS_NAME)
            self.published_changed.emit(False)
