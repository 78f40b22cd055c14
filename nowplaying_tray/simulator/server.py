"""HTTP plumbing: a threaded server on 127.0.0.1 that applies faults and records requests
(when the simulator has its test harness).

Routing is delegated to a ``dispatch`` callable; this module only knows that /_sim/*
paths are the simulator's own (never logged, and never faulted but for album art, which
may trickle as a slow CDN's does).
"""

from __future__ import annotations

import contextlib
import logging
import re
import socket
import socketserver
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from .catalog import ART_PREFIX
from .http_types import Request, Response, api_error

if TYPE_CHECKING:
    from .faults import FaultPlan
    from .requestlog import RequestLog

logger = logging.getLogger(__name__)

INTERNAL_PREFIX = "/_sim/"
TRICKLED_HEADER_LINES = 600  # with a fault's ``delay`` between them: far beyond any timeout
MAX_BODY = 1 << 20
_QUERY = re.compile(r"\?\S*")


class SimulatorHTTPServer(ThreadingHTTPServer):
    daemon_threads = True  # a stuck client must never keep the process alive
    # The default backlog of 5 drops SYNs under parallel load and costs 1 s retransmits.
    request_queue_size = 128

    def __init__(
        self,
        port: int,
        *,
        dispatch: Callable[[Request], Response],
        faults: FaultPlan | None,
        log: RequestLog | None,
        clock: Callable[[], float],
    ) -> None:
        self.dispatch = dispatch
        self.faults = faults
        self.log = log
        self.clock = clock
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(("127.0.0.1", port), _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind does a reverse DNS lookup (getfqdn); not needed here.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # socketserver prints a traceback to stderr by default. A client that hangs up
        # mid-request (an app quitting, a browser closing a tab) is ordinary traffic.
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            logger.debug("client went away: %s", error)
        else:
            logger.error("simulator connection failed", exc_info=error)

    def track(self, connection: socket.socket, open_: bool) -> None:
        with self._connections_lock:
            if open_:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    def stop_serving(self) -> None:
        """shutdown() without waiting out the poll interval of serve_forever()."""
        stopper = threading.Thread(target=self.shutdown, name="simulator-stop", daemon=True)
        stopper.start()
        while stopper.is_alive():
            # A throwaway connection wakes the select() in serve_forever at once.
            with contextlib.suppress(OSError):
                socket.create_connection(("127.0.0.1", self.server_port), timeout=0.5).close()
            stopper.join(0.01)

    def close_connections(self) -> None:
        """Cut idle keep-alive connections so a stopped simulator really stops answering."""
        with self._connections_lock:
            connections = list(self._connections)
            self._connections.clear()
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as clients with sessions expect
    server_version = "SpotifySimulator/1.0"
    sys_version = ""
    timeout = 30  # idle keep-alive connections are closed after this
    server: SimulatorHTTPServer

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes; without NODELAY, Nagle plus the
        # client's delayed ACK would add ~40 ms to many responses.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.track(self.connection, True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.track(self.connection, False)

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    def do_HEAD(self) -> None:
        self._handle()

    # Never log query strings: they are the one place a secret could ride along.
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        logger.debug("%s %s -> %s", self.command, urlsplit(self.path).path, code)

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s", _QUERY.sub("?...", format % args))

    def _read_body(self) -> bytes:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        return self.rfile.read(min(max(length, 0), MAX_BODY)) if length > 0 else b""

    def _handle(self) -> None:
        parts = urlsplit(self.path)
        path = parts.path or "/"
        request = Request(
            method=self.command,
            path=path,
            query=parse_qs(parts.query, keep_blank_values=True),
            headers={key.lower(): value for key, value in self.headers.items()},
            body=self._read_body(),
        )
        if path.startswith(INTERNAL_PREFIX):
            # Album art (a CDN's, in real life) may trickle; nothing else here ever fails.
            # Not logged: the log holds the requests that count against the budget.
            faults = self.server.faults if path.startswith(ART_PREFIX) else None
            fault = faults.take(path, armed_under=ART_PREFIX) if faults is not None else None
            byte_delay = fault.delay if fault is not None and fault.kind == "trickle" else 0.0
            self._send(self._dispatch(request), byte_delay)
            return
        arrival = self.server.clock()
        faults, log = self.server.faults, self.server.log
        fault = faults.take(path) if faults is not None else None
        if fault is not None and fault.kind == "drop":
            if log is not None:
                log.add(arrival, self.command, path, 0)
            logger.debug("dropping connection for %s %s", self.command, path)
            self.close_connection = True
            return
        if fault is not None and fault.kind == "slow":
            time.sleep(fault.delay)  # real latency, independent of the playback clock
            fault = None
        byte_delay = fault.delay if fault is not None and fault.kind == "trickle" else 0.0
        header_delay = fault.delay if fault is not None and fault.kind == "trickle_headers" else 0
        if fault is not None and fault.kind in ("trickle", "trickle_headers"):
            fault = None
        response = fault.response() if fault is not None else self._dispatch(request)
        # Record before answering, so a client that got its answer always finds it logged.
        if log is not None:
            log.add(arrival, self.command, path, response.status)
        self._send(response, byte_delay, header_delay)

    def _trickle(self, body: bytes, byte_delay: float) -> None:
        for index in range(len(body)):
            self.wfile.write(body[index : index + 1])
            self.wfile.flush()
            time.sleep(byte_delay)

    def _trickle_headers(self, delay: float) -> None:
        for index in range(TRICKLED_HEADER_LINES):
            self.send_header(f"X-Slow-{index}", "1")
            self.flush_headers()
            time.sleep(delay)

    def _dispatch(self, request: Request) -> Response:
        try:
            return self.server.dispatch(request)
        except Exception:
            logger.exception("simulator failed to handle %s %s", request.method, request.path)
            return api_error(500, "Simulator internal error")

    def _send(self, response: Response, byte_delay: float = 0.0, header_delay: float = 0) -> None:
        try:
            self.send_response(response.status)
            if header_delay > 0:
                self._trickle_headers(header_delay)
            for name, value in response.headers.items():
                self.send_header(name, value)
            if response.content_type:
                self.send_header("Content-Type", response.content_type)
            if response.status != 204 and response.status >= 200:
                self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            if self.command != "HEAD" and response.status != 204 and response.body:
                if byte_delay > 0:
                    self._trickle(response.body, byte_delay)
                else:
                    self.wfile.write(response.body)
        except OSError:
            logger.debug("client went away before the response was written")
            self.close_connection = True
