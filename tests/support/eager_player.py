"""An MPRIS player that starts playing while its first ``GetAll`` is answered.

Its playback thread's ``PropertiesChanged`` leaves before the reply, which carries the
older snapshot (a player launched with autoplay, its D-Bus replies made on another
thread). A reader that lets that reply undo the signal shows it stopped while it plays.

No ``from __future__ import annotations``: dbus-fast reads the annotations.
"""

import asyncio
import threading
from typing import Any

from dbus_fast import PropertyAccess, Variant
from dbus_fast.aio import MessageBus
from dbus_fast.annotations import DBusDict, DBusStr
from dbus_fast.service import ServiceInterface, dbus_property

BUS_NAME = "org.mpris.MediaPlayer2.spotify"
PATH = "/org/mpris/MediaPlayer2"


class _Player(ServiceInterface):
    def __init__(self, title: str) -> None:
        super().__init__("org.mpris.MediaPlayer2.Player")
        self.status = "Stopped"
        self.metadata: dict[str, Variant] = {}
        self._title = title
        self._armed = False  # exporting reads the properties too; armed once on the bus

    @dbus_property(access=PropertyAccess.READ)
    def PlaybackStatus(self) -> DBusStr:  # noqa: N802 - D-Bus names
        before = self.status
        if self._armed:  # the first read: playback starts while the reply is on its way
            self._armed = False
            self._start_playing()
        return before

    @dbus_property(access=PropertyAccess.READ)
    def Metadata(self) -> DBusDict:  # noqa: N802
        return self.metadata

    def arm(self) -> None:
        self._armed = True

    def _start_playing(self) -> None:
        self.status = "Playing"
        self.metadata = {
            "mpris:trackid": Variant("o", "/com/spotify/track/eager"),
            "mpris:length": Variant("x", 200_000_000),
            "xesam:title": Variant("s", self._title),
            "xesam:artist": Variant("as", ["Eager Artist"]),
        }
        self.emit_properties_changed({"PlaybackStatus": self.status, "Metadata": self.metadata})


class EagerPlayer:
    """Owns ``org.mpris.MediaPlayer2.spotify`` on ``bus_address``, on a thread of its own."""

    def __init__(self, bus_address: str, title: str) -> None:
        self._address = bus_address
        self._player = _Player(title)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="eager-player")
        self._bus: MessageBus | None = None

    def __enter__(self) -> "EagerPlayer":
        self._thread.start()
        self._run(self._connect())
        return self

    def __exit__(self, *exc: object) -> None:
        self._run(self._disconnect())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        self._loop.close()

    async def _connect(self) -> None:
        self._bus = await MessageBus(bus_address=self._address).connect()
        self._bus.export(PATH, self._player)
        self._player.arm()
        await self._bus.request_name(BUS_NAME)

    async def _disconnect(self) -> None:
        if self._bus is not None:
            self._bus.disconnect()
            await self._bus.wait_for_disconnect()  # type: ignore[no-untyped-call]

    def _run(self, coro: Any) -> None:
        asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout=5)
