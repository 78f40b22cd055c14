"""A minimal notification server on a private bus, advertising the capabilities a test asks
for (dunst always advertises ``body-markup``; some servers do not)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator, Sequence

from jeepney import HeaderFields, MessageType, new_method_return
from jeepney.bus_messages import message_bus

from .bus import connect, wait_for_name
from .notifications import NOTIFICATIONS_NAME


class CapabilityServer:
    """Answers GetCapabilities with ``capabilities``; records each Notify's (summary, body)."""

    def __init__(self, bus_address: str, capabilities: Sequence[str]) -> None:
        self.capabilities = list(capabilities)
        self.notified: list[tuple[str, str]] = []
        self._conn = connect(bus_address)
        self._conn.send_and_get_reply(message_bus.RequestName(NOTIFICATIONS_NAME), timeout=5)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="test-notify-server", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._conn.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                message = self._conn.receive(timeout=0.1)
            except TimeoutError:
                continue
            if message.header.message_type is not MessageType.method_call:
                continue
            member = message.header.fields.get(HeaderFields.member)
            if member == "GetCapabilities":
                reply = new_method_return(message, "as", (self.capabilities,))
            elif member == "Notify":
                self.notified.append((message.body[3], message.body[4]))
                reply = new_method_return(message, "u", (len(self.notified),))
            else:
                continue
            self._conn.send(reply)


@contextlib.contextmanager
def capability_server(bus_address: str, capabilities: Sequence[str]) -> Iterator[CapabilityServer]:
    server = CapabilityServer(bus_address, capabilities)
    try:
        wait_for_name(bus_address, NOTIFICATIONS_NAME)
        yield server
    finally:
        server.close()
