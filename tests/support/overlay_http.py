"""Talking to the stream overlay over real HTTP on loopback, as OBS's browser does."""

from __future__ import annotations

import http.client
import json
import socket
from typing import Any


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(
    port: int, path: str, host: str | None = None, method: str = "GET"
) -> tuple[int, dict[str, str], bytes]:
    """One request; ``host`` None sends ``127.0.0.1:port``."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.putrequest(method, path, skip_host=True)
        connection.putheader("Host", host if host is not None else f"127.0.0.1:{port}")
        connection.endheaders()
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


class EventStream:
    """An open ``GET /events``; ``next_event`` gives the next ``data:`` object."""

    def __init__(self, port: int, timeout: float = 5.0) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.sock.sendall(f"GET /events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        self._file = self.sock.makefile("rb")
        self.status_line = self._file.readline().decode()
        self.headers: dict[str, str] = {}
        while (line := self._file.readline().decode().strip()) != "":
            name, _, value = line.partition(":")
            self.headers[name.strip().lower()] = value.strip()
        self.lines: list[str] = []  # every line of the stream read so far

    def next_event(self) -> dict[str, Any]:
        while True:
            line = self._file.readline()
            if not line:
                raise EOFError("the stream ended")
            text = line.decode().rstrip("\n")
            self.lines.append(text)
            if text.startswith("data: "):
                return dict(json.loads(text[len("data: ") :]))

    def close(self) -> None:
        self._file.close()
        self.sock.close()

    def __enter__(self) -> EventStream:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
