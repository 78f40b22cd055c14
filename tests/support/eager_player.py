"""An MPRIS player that starts playing while its first ``GetAll`` is answered.

Its ``PropertiesChanged`` leaves before the reply, which carries the older snapshot
(a player launched with autoplay, its D-Bus replies made on another thread). A
reader that lets that reply undo the signal shows it stopped while it plays.
"""

from __future__ import annotations

from typing import Any

from nowplaying_tray.bus.exported import ExportedObject, Interface, Property
from nowplaying_tray.bus.thread import BusThread

BUS_NAME = "org.mpris.MediaPlayer2.spotify"
PATH = "/org/mpris/MediaPlayer2"
PLAYER = "org.mpris.MediaPlayer2.Player"


class EagerPlayer:
    """Owns ``org.mpris.MediaPlayer2.spotify`` on ``bus_address``, on a thread of its own."""

    def __init__(self, bus_address: str, title: str) -> None:
        self._address = bus_address
        self._title = title
        self.status = "Stopped"
        self.metadata: dict[str, tuple[str, Any]] = {}
        self._armed = True  # until the first read
        interface = Interface(
            PLAYER,
            properties={
                "PlaybackStatus": Property("s", self._status),
                "Metadata": Property("a{sv}", lambda: self.metadata),
            },
        )
        self._object = ExportedObject(PATH, [interface])
        self._bus: BusThread | None = None

    def __enter__(self) -> EagerPlayer:
        self._bus = BusThread("eager-player", self._address)
        self._bus.wait(self._connect)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bus is not None:
            self._bus.close()

    def _connect(self) -> None:
        assert self._bus is not None
        self._bus.connect()
        self._bus.on_message(self._serve)
        self._bus.call_bus("RequestName", "su", (BUS_NAME, 0))

    def _serve(self, message: Any) -> None:
        reply = self._object.reply_to(message)
        if reply is not None and self._bus is not None:
            self._bus.send(reply)

    def _status(self) -> str:
        before = self.status
        if self._armed:  # the first read: playback starts while the reply is on its way
            self._armed = False
            self._start_playing()
        return before

    def _start_playing(self) -> None:
        assert self._bus is not None
        self.status = "Playing"
        self.metadata = {
            "mpris:trackid": ("o", "/com/spotify/track/eager"),
            "mpris:length": ("x", 200_000_000),
            "xesam:title": ("s", self._title),
            "xesam:artist": ("as", ["Eager Artist"]),
        }
        changed = {"PlaybackStatus": self.status, "Metadata": self.metadata}
        self._bus.send(self._object.properties_changed(PLAYER, changed))
