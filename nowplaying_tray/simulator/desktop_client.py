"""A stand-in for the Spotify desktop client's MPRIS object, quirks included.

It owns ``org.mpris.MediaPlayer2.spotify`` on a session bus (a private one in
tests) and plays the demo playlist. Like the real client (docs/MPRIS.md):

- ``mpris:trackid`` is an object path ``/com/spotify/track/<id>``; adverts are
  ``/com/spotify/ad/<id>`` with no title or artist; episodes have no artist;
- ``mpris:artUrl`` points at ``https://open.spotify.com/image/<id>`` (a dead
  link) unless ``art_base`` is given (tests pass the simulator's art server);
- ``Position`` reads 0 when ``position_zero`` is on, and ``Seeked`` is never sent,
  not even after ``SetPosition`` (which, as the spec says, is ignored for a stale trackid);
- ``Volume`` (0.0-1.0) can be read and set, unless ``volume`` is off (a player without it);
- every change is one ``PropertiesChanged`` with ``PlaybackStatus`` and ``Metadata``.

Drive it from Python (``play``, ``pause``, ``next``, ``quit``) or from
``python -m nowplaying_tray.simulator.desktop_client``.

No ``from __future__ import annotations``: dbus-fast reads the annotations.
"""

import argparse
import asyncio
import logging
import sys
import threading
import time
from typing import Annotated, Any

from dbus_fast import BusType, PropertyAccess, Variant
from dbus_fast.aio import MessageBus
from dbus_fast.annotations import (
    DBusBool,
    DBusDict,
    DBusDouble,
    DBusInt64,
    DBusObjectPath,
    DBusSignature,
    DBusStr,
)
from dbus_fast.service import ServiceInterface, dbus_method, dbus_property

from .catalog import art_path, demo_playlist

logger = logging.getLogger(__name__)

BUS_NAME = "org.mpris.MediaPlayer2.spotify"
PATH = "/org/mpris/MediaPlayer2"
READ = PropertyAccess.READ
StrList = Annotated[list[str], DBusSignature("as")]


def _entry_metadata(entry: dict[str, Any], art_base: str | None) -> dict[str, Variant]:
    item, kind = entry.get("item"), entry["currently_playing_type"]
    length = Variant("x", entry["duration_ms"] * 1000)
    if item is None:  # an advert: an id, a length, nothing else
        return {"mpris:trackid": Variant("o", "/com/spotify/ad/sim"), "mpris:length": length}
    item_id = str(item.get("id") or item["uri"].rsplit(":", 1)[-1])
    item_id = "".join(ch for ch in item_id if ch.isalnum()) or "local"
    art_id = entry.get("art_id")
    meta = {
        "mpris:trackid": Variant("o", f"/com/spotify/{kind}/{item_id}"),
        "mpris:length": length,
        "xesam:title": Variant("s", item["name"]),
        "xesam:url": Variant("s", f"https://open.spotify.com/{kind}/{item_id}"),
    }
    if kind == "episode":  # sparse: the show as album, no artist
        meta["xesam:album"] = Variant("s", item.get("show", {}).get("name", ""))
        meta["xesam:artist"] = Variant("as", [])
    else:
        meta["xesam:album"] = Variant("s", item.get("album", {}).get("name", ""))
        meta["xesam:artist"] = Variant("as", [a["name"] for a in item.get("artists", [])])
    if art_id:
        url = art_base + art_path(art_id, 300) if art_base else None
        meta["mpris:artUrl"] = Variant("s", url or f"https://open.spotify.com/image/{art_id}")
    return meta


class _Root(ServiceInterface):
    def __init__(self) -> None:
        super().__init__("org.mpris.MediaPlayer2")

    @dbus_method()
    def Raise(self) -> None:  # noqa: N802 - D-Bus names
        pass

    @dbus_method()
    def Quit(self) -> None:  # noqa: N802
        pass

    @dbus_property(access=READ)
    def Identity(self) -> DBusStr:  # noqa: N802
        return "Spotify"

    @dbus_property(access=READ)
    def DesktopEntry(self) -> DBusStr:  # noqa: N802
        return "spotify"

    @dbus_property(access=READ)
    def CanQuit(self) -> DBusBool:  # noqa: N802
        return True

    @dbus_property(access=READ)
    def CanRaise(self) -> DBusBool:  # noqa: N802
        return False

    @dbus_property(access=READ)
    def HasTrackList(self) -> DBusBool:  # noqa: N802
        return False

    @dbus_property(access=READ)
    def SupportedUriSchemes(self) -> StrList:  # noqa: N802
        return ["spotify"]

    @dbus_property(access=READ)
    def SupportedMimeTypes(self) -> StrList:  # noqa: N802
        return []


class _Player(ServiceInterface):
    def __init__(self, client: "DesktopClient") -> None:
        super().__init__("org.mpris.MediaPlayer2.Player")
        self._client = client

    @dbus_method()
    def PlayPause(self) -> None:  # noqa: N802
        self._client.set_status("Paused" if self._client.status == "Playing" else "Playing")

    @dbus_method()
    def Play(self) -> None:  # noqa: N802
        self._client.set_status("Playing")

    @dbus_method()
    def Pause(self) -> None:  # noqa: N802
        self._client.set_status("Paused")

    @dbus_method()
    def Stop(self) -> None:  # noqa: N802
        self._client.set_status("Paused")

    @dbus_method()
    def Next(self) -> None:  # noqa: N802
        self._client.skip(1)

    @dbus_method()
    def Previous(self) -> None:  # noqa: N802
        self._client.skip(-1)

    @dbus_method()
    def SetPosition(self, trackid: DBusObjectPath, position: DBusInt64) -> None:  # noqa: N802
        self._client.set_position(trackid, position)

    @dbus_method()
    def Seek(self, offset: DBusInt64) -> None:  # noqa: N802
        self._client.seek_by(offset)

    @dbus_property(access=READ)
    def PlaybackStatus(self) -> DBusStr:  # noqa: N802
        return self._client.status

    @dbus_property(access=READ)
    def Metadata(self) -> DBusDict:  # noqa: N802
        return self._client.metadata()

    @dbus_property(access=READ)
    def Position(self) -> DBusInt64:  # noqa: N802
        return self._client.position_us()

    @dbus_property(access=READ)
    def CanGoNext(self) -> DBusBool:  # noqa: N802
        return True

    @dbus_property(access=READ)
    def CanGoPrevious(self) -> DBusBool:  # noqa: N802
        return True

    @dbus_property(access=READ)
    def CanPlay(self) -> DBusBool:  # noqa: N802
        return True

    @dbus_property(access=READ)
    def CanPause(self) -> DBusBool:  # noqa: N802
        return True

    @dbus_property(access=READ)
    def CanSeek(self) -> DBusBool:  # noqa: N802
        return True

    @dbus_property(access=READ)
    def CanControl(self) -> DBusBool:  # noqa: N802
        return True


class _PlayerWithVolume(_Player):
    @dbus_property()
    def Volume(self) -> DBusDouble:  # noqa: N802
        return self._client.volume

    @Volume.setter  # type: ignore[no-redef]
    def Volume(self, value: DBusDouble) -> None:  # noqa: N802
        self._client.set_volume(value)


class DesktopClient:
    """The fake client, on a thread of its own. ``start`` owns the name; ``quit`` drops it."""

    def __init__(
        self,
        bus_address: str | None = None,
        art_base: str | None = None,
        position_zero: bool = True,
        bus_name: str = BUS_NAME,
        volume: bool = True,
    ) -> None:
        self._address = bus_address
        self._art_base = art_base
        self._position_zero = position_zero
        self._bus_name = bus_name
        self.queue = demo_playlist()
        self.index = 0
        self.status = "Stopped"
        self._started_at = time.monotonic()  # of the current item, playing time only
        self._paused_at: float | None = None
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="fake-spotify")
        self._bus: MessageBus | None = None
        self.volume = 0.5
        self.seeks: list[tuple[str, int]] = []  # (SetPosition or Seek, the new position in µs)
        self._player = _PlayerWithVolume(self) if volume else _Player(self)

    # driving it (any thread) --------------------------------------------------------

    def start(self) -> "DesktopClient":
        self._thread.start()
        self._run(self._connect())
        return self

    def play(self, index: int | None = None) -> None:
        """Play the item at ``index`` (default: the current one)."""
        self._run(self._do(lambda: self._select(index if index is not None else self.index)))

    def pause(self) -> None:
        self._run(self._do(lambda: self.set_status("Paused")))

    def next(self) -> None:
        self._run(self._do(lambda: self.skip(1)))

    def quit(self) -> None:
        """The client exits: the name goes away, and the thread stops."""
        if not self._thread.is_alive():
            return
        self._run(self._disconnect())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        self._loop.close()

    # state (the loop thread) --------------------------------------------------------

    def metadata(self) -> dict[str, Variant]:
        if self.status == "Stopped":
            return {}
        return _entry_metadata(self.queue[self.index], self._art_base)

    def position_us(self) -> int:
        if self._position_zero or self.status == "Stopped":
            return 0
        return self._elapsed_us()

    def _elapsed_us(self) -> int:
        end = self._paused_at if self._paused_at is not None else time.monotonic()
        return int((end - self._started_at) * 1_000_000)

    def set_status(self, status: str) -> None:
        if status == self.status:
            return
        now = time.monotonic()
        if status == "Paused":
            self._paused_at = now
        elif self._paused_at is not None:
            self._started_at += now - self._paused_at
            self._paused_at = None
        self.status = status
        self._changed()

    def set_position(self, trackid: str, position_us: int) -> None:
        current = self.metadata().get("mpris:trackid")
        length = self.queue[self.index]["duration_ms"] * 1000
        if current is None or current.value != trackid or not 0 <= position_us <= length:
            return  # the spec: a stale trackid or a position past the end is ignored
        self._move_to("SetPosition", position_us)

    def seek_by(self, offset_us: int) -> None:
        if self.status != "Stopped":
            self._move_to("Seek", max(0, self._elapsed_us() + offset_us))

    def _move_to(self, method: str, position_us: int) -> None:
        now = time.monotonic()
        self._started_at = (self._paused_at or now) - position_us / 1_000_000
        self.seeks.append((method, position_us))  # and no Seeked, as the real client

    def set_volume(self, value: float) -> None:
        self.volume = min(1.0, max(0.0, value))
        self._player.emit_properties_changed({"Volume": self.volume})

    def skip(self, step: int) -> None:
        self._select((self.index + step) % len(self.queue))

    def _select(self, index: int) -> None:
        self.index = index
        self._started_at, self._paused_at = time.monotonic(), None
        self.status = "Playing"
        self._changed()

    def _changed(self) -> None:
        # One signal per change, as the real client sends; never Seeked.
        self._player.emit_properties_changed(
            {"PlaybackStatus": self.status, "Metadata": self.metadata()}
        )

    async def _do(self, action: Any) -> None:
        action()

    async def _connect(self) -> None:
        if self._address:
            bus = MessageBus(bus_address=self._address)
        else:
            bus = MessageBus(bus_type=BusType.SESSION)
        self._bus = await bus.connect()
        self._bus.export(PATH, _Root())
        self._bus.export(PATH, self._player)
        await self._bus.request_name(self._bus_name)

    async def _disconnect(self) -> None:
        if self._bus is not None:
            self._bus.disconnect()
            await self._bus.wait_for_disconnect()  # type: ignore[no-untyped-call]

    def _run(self, coro: Any) -> None:
        asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout=5)


def main(argv: list[str] | None = None) -> int:
    """Run the fake client on the session bus; read commands from stdin:
    ``play [N]``, ``pause``, ``next``, ``quit``."""
    parser = argparse.ArgumentParser(prog="python -m nowplaying_tray.simulator.desktop_client")
    parser.add_argument("--art-base", help="serve art from this simulator URL")
    parser.add_argument("--real-position", action="store_true", help="report Position")
    args = parser.parse_args(argv)
    client = DesktopClient(art_base=args.art_base, position_zero=not args.real_position).start()
    client.play(0)
    print(f"{BUS_NAME} playing; commands: play [N], pause, next, quit", flush=True)
    for line in sys.stdin:
        command, *rest = line.split() or [""]
        if command == "play":
            client.play(int(rest[0]) if rest else None)
        elif command == "pause":
            client.pause()
        elif command == "next":
            client.next()
        elif command == "quit":
            break
    client.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
