"""Misbehaving TCP clients, as browsers and quitting apps are."""

from __future__ import annotations

import socket
import struct


def open_idle(port: int) -> socket.socket:
    """A connection that never sends a byte, like a browser's spare preconnect."""
    return socket.create_connection(("127.0.0.1", port), timeout=5)


def reset_midway(port: int, partial: bytes = b"GET /v1/me HT") -> None:
    """Send half a request line, then abort the connection with a TCP reset."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        # SO_LINGER with a zero timeout makes close() send RST instead of FIN.
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        connection.sendall(partial)
