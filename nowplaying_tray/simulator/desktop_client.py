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

It runs on a jeepney connection and thread of its own (``nowplaying_tray.bus``).
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from typing import Any

from nowplaying_tray.bus.exported import ExportedObject, Interface, Method, Property
from nowplaying_tray.bus.thread import BusThread

from .catalog import art_path, demo_playlist

logger = logging.getLogger(__name__)

BUS_NAME = "org.mpris.MediaPlayer2.spotify"
PATH = "/org/mpris/MediaPlayer2"
ROOT = "org.mpris.MediaPlayer2"
PLAYER = "org.mpris.MediaPlayer2.Player"
Variant = tuple[str, Any]  # jeepney's: (signature, value)
_CAN = ("CanGoNext", "CanGoPrevious", "CanPlay", "CanPause", "CanSeek", "CanControl")


def _entry_metadata(entry: dict[str, Any], art_base: str | None) -> dict[str, Variant]:
    item, kind = entry.get("item"), entry["currently_playing_type"]
    length = ("x", entry["duration_ms"] * 1000)
    if item is None:  # an advert: an id, a length, nothing else
        return {"mpris:trackid": ("o", "/com/spotify/ad/sim"), "mpris:length": length}
    item_id = str(item.get("id") or item["uri"].rsplit(":", 1)[-1])
    item_id = "".join(ch for ch in item_id if ch.isalnum()) or "local"
    art_id = entry.get("art_id")
    meta: dict[str, Variant] = {
        "mpris:trackid": ("o", f"/com/spotify/{kind}/{item_id}"),
        "mpris:length": length,
        "xesam:title": ("s", item["name"]),
        "xesam:url": ("s", f"https://open.spotify.com/{kind}/{item_id}"),
    }
    if kind == "episode":  # sparse: the show as album, no artist
        meta["xesam:album"] = ("s", item.get("show", {}).get("name", ""))
        meta["xesam:artist"] = ("as", [])
    else:
        meta["xesam:album"] = ("s", item.get("album", {}).get("name", ""))
        meta["xesam:artist"] = ("as", [a["name"] for a in item.get("artists", [])])
    if art_id:
        url = art_base + art_path(art_id, 300) if art_base else None
        meta["mpris:artUrl"] = ("s", url or f"https://open.spotify.com/image/{art_id}")
    return meta


def _constant(value: object) -> Any:
    return lambda: value


def _root() -> Interface:
    props = {
        "Identity": ("s", "Spotify"),
        "DesktopEntry": ("s", "spotify"),
        "CanQuit": ("b", True),
        "CanRaise": ("b", False),
        "HasTrackList": ("b", False),
        "SupportedUriSchemes": ("as", ["spotify"]),
        "SupportedMimeTypes": ("as", []),
    }
    return Interface(
        ROOT,
        methods={"Raise": Method(lambda: None), "Quit": Method(lambda: None)},
        properties={name: Property(sig, _constant(value)) for name, (sig, value) in props.items()},
    )


def _player(client: DesktopClient, volume: bool) -> Interface:
    def play_pause() -> None:
        client.set_status("Paused" if client.status == "Playing" else "Playing")

    methods = {
        "PlayPause": Method(play_pause),
        "Play": Method(lambda: client.set_status("Playing")),
        "Pause": Method(lambda: client.set_status("Paused")),
        "Stop": Method(lambda: client.set_status("Paused")),
        "Next": Method(lambda: client.skip(1)),
        "Previous": Method(lambda: client.skip(-1)),
        "SetPosition": Method(client.set_position, (("TrackId", "o"), ("Position", "x"))),
        "Seek": Method(client.seek_by, (("Offset", "x"),)),
    }
    props = {
        "PlaybackStatus": Property("s", lambda: client.status),
        "Metadata": Property("a{sv}", client.metadata),
        "Position": Property("x", client.position_us),
        **{name: Property("b", _constant(True)) for name in _CAN},
    }
    if volume:
        props["Volume"] = Property("d", lambda: client.volume, client.set_volume)
    return Interface(PLAYER, methods, props, signals={"Seeked": (("Position", "x"),)})


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
        self._bus: BusThread | None = None
        self.volume = 0.5
        self.seeks: list[tuple[str, int]] = []  # (SetPosition or Seek, the new position in µs)
        self._object = ExportedObject(PATH, [_root(), _player(self, volume)])

    # driving it (any thread) --------------------------------------------------------

    def start(self) -> DesktopClient:
        """Connected, and owning the name, on return."""
        self._bus = BusThread("fake-spotify", self._address or "SESSION")
        self._run(self._connect)
        return self

    def play(self, index: int | None = None) -> None:
        """Play the item at ``index`` (default: the current one)."""
        self._run(lambda: self._select(index if index is not None else self.index))

    def pause(self) -> None:
        self._run(lambda: self.set_status("Paused"))

    def next(self) -> None:
        self._run(lambda: self.skip(1))

    def quit(self) -> None:
        """The client exits: the connection closes, so the name goes away; the thread stops."""
        bus, self._bus = self._bus, None
        if bus is not None:
            bus.close()

    # state (the bus thread) ---------------------------------------------------------

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
        if current is None or current[1] != trackid or not 0 <= position_us <= length:
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
        self._signal({"Volume": self.volume})

    def skip(self, step: int) -> None:
        self._select((self.index + step) % len(self.queue))

    def _select(self, index: int) -> None:
        self.index = index
        self._started_at, self._paused_at = time.monotonic(), None
        self.status = "Playing"
        self._changed()

    def _changed(self) -> None:
        # One signal per change, as the real client sends; never Seeked.
        self._signal({"PlaybackStatus": self.status, "Metadata": self.metadata()})

    def _signal(self, changed: dict[str, Any]) -> None:
        if self._bus is not None:
            self._bus.send(self._object.properties_changed(PLAYER, changed))

    def _serve(self, message: Any) -> None:
        reply = self._object.reply_to(message)
        if reply is not None and self._bus is not None:
            self._bus.send(reply)

    def _connect(self) -> None:
        assert self._bus is not None
        self._bus.connect()
        self._bus.on_message(self._serve)
        if self._bus.call_bus("RequestName", "su", (self._bus_name, 0)) is None:
            raise RuntimeError(f"could not own {self._bus_name}")

    def _run(self, action: Any) -> None:
        if self._bus is None:
            raise RuntimeError("the desktop client is not running (start it first)")
        self._bus.wait(action)


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
