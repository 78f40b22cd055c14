"""BusThread on a private bus: wire order kept across a call, a soft failure without a bus,
and a prompt close."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from jeepney import HeaderFields, MessageType

from nowplaying_tray.bus.exported import ExportedObject, Interface, Method
from nowplaying_tray.bus.thread import BusThread, BusUnavailable
from tests.desktop_support import require_tools
from tests.desktop_support.bus import session_bus

PATH = "/org/example/Thing"
THING = "org.example.Thing"


@pytest.fixture
def bus() -> Iterator[str]:
    require_tools("dbus-daemon")
    with session_bus() as address:
        yield address


class Peer:
    """Answers ``Poke`` with a signal sent before the reply; ``Hang`` gets no answer at all."""

    def __init__(self, address: str) -> None:
        self.thread = BusThread("peer", address)
        poke = Interface(THING, methods={"Poke": Method(self._poke)}, signals={"Poked": ()})
        self.object = ExportedObject(PATH, [poke])
        self.thread.wait(self._connect)

    def _connect(self) -> None:
        self.thread.connect()
        self.thread.on_message(self._serve)

    def _serve(self, message: Any) -> None:
        if message.header.fields.get(HeaderFields.member) == "Hang":
            return
        reply = self.object.reply_to(message)
        if reply is not None:
            self.thread.send(reply)

    def _poke(self) -> None:
        self.thread.send(self.object.signal(THING, "Poked", "", ()))

    @property
    def name(self) -> str:
        name = self.thread.unique_name
        assert name is not None
        return name


def test_a_signal_sent_before_a_reply_is_handled_before_the_call_returns(bus: str) -> None:
    peer = Peer(bus)
    ours = BusThread("ours", bus)
    signals: list[str] = []

    def on_message(message: Any) -> None:
        if message.header.message_type is MessageType.signal:
            signals.append(str(message.header.fields.get(HeaderFields.member)))

    def poke() -> tuple[Any, ...] | None:
        ours.connect()
        ours.on_message(on_message)
        ours.call_bus("AddMatch", "s", (f"type='signal',interface='{THING}'",))
        seen = []
        for _ in range(5):
            reply = ours.call(peer.name, PATH, THING, "Poke")
            seen.append((reply, len(signals)))
        return tuple(seen)

    try:
        assert ours.wait(poke) == tuple(((), n) for n in range(1, 6))
    finally:
        ours.close()
        peer.thread.close()


def test_without_a_bus_connecting_raises_bus_unavailable_and_calls_give_none() -> None:
    ours = BusThread("ours", "unix:path=/nonexistent/bus")
    try:
        with pytest.raises(BusUnavailable):
            ours.wait(ours.connect)
        assert ours.wait(lambda: ours.call_bus("ListNames")) is None
    finally:
        ours.close()


def test_close_ends_a_call_under_way_at_once(bus: str) -> None:
    peer = Peer(bus)
    ours = BusThread("ours", bus)
    calling = threading.Event()
    replies: list[object] = []

    def hang() -> None:
        ours.connect()
        calling.set()
        replies.append(ours.call(peer.name, PATH, THING, "Hang"))

    ours.submit(hang)
    try:
        assert calling.wait(5)
        started = time.monotonic()
        ours.close()
        assert time.monotonic() - started < 1.0  # a call waits up to 2 s otherwise
        assert replies == [None]
    finally:
        ours.close()
        peer.thread.close()
