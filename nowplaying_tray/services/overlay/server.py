"""The overlay's HTTP server: the standard library's, on 127.0.0.1, fixed routes, GET only.

One thread (``overlay-http``) waits in a selector on the listening socket and a
wake-up pipe, with no timeout: it sleeps until a connection comes or the server
closes. Each connection gets a short-lived thread (``socketserver``'s threading
mix-in); an event stream keeps its thread while the page is open, sleeping on the
feed's condition and waking for an event or, only while it is connected, for a
heartbeat. Closing shuts every stream's socket, so no thread outlives ``close``.
"""

from __future__ import annotations

import contextlib
import http.client
import io
import logging
import selectors
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from nowplaying_tray.core.errors import OverlayPortUnavailable
from nowplaying_tray.core.overlay_feed import OverlayFeed, host_allowed, read_image
from nowplaying_tray.core.text import json_text
from nowplaying_tray.services.overlay import page

logger = logging.getLogger(__name__)

HOST = "127.0.0.1"
MAX_STREAMS = 16  # event streams open at once (OBS scenes, previews)
MAX_CONNECTIONS = MAX_STREAMS + 8  # every connection, streams included
MAX_REQUEST_BYTES = 8192  # request line and headers together
HEARTBEAT_S = 15.0  # a comment on an idle stream, so proxies and OBS keep it open
RETRY_MS = 1000  # how soon a page's EventSource reconnects by itself
SOCKET_TIMEOUT_S = 5.0  # to send a request, or to take an event before the stream is dropped
_JSON = "application/json"


class _BoundedReader:
    """The request's input, refused past ``MAX_REQUEST_BYTES`` (there is never a body)."""

    def __init__(self, raw: io.BufferedIOBase) -> None:
        self._raw = raw
        self._left = MAX_REQUEST_BYTES

    def readline(self, limit: int = -1) -> bytes:
        line = self._raw.readline(min(limit, self._left + 1) if limit >= 0 else self._left + 1)
        self._left -= len(line)
        if self._left < 0:
            raise http.client.LineTooLong("request")
        return line

    def close(self) -> None:
        self._raw.close()


class _Handler(BaseHTTPRequestHandler):
    server: OverlayHttpServer
    protocol_version = "HTTP/1.0"  # one request per connection
    server_version = "nowplaying-tray"
    sys_version = ""

    def version_string(self) -> str:
        return self.server_version

    timeout = SOCKET_TIMEOUT_S

    def setup(self) -> None:
        super().setup()
        self.rfile = _BoundedReader(self.rfile)  # type: ignore[assignment]

    def do_GET(self) -> None:
        if not host_allowed(self.headers.get("Host"), self.server.port):
            self._send(421, b"Misdirected request\n", "text/plain; charset=utf-8")
            return
        path, _, _query = self.path.partition("?")
        route = {
            "/": self._page,
            "/lyrics": self._lyrics,
            "/now.json": self._now,
            "/events": self._events,
            "/art": self._art,
        }.get(path)
        if route is None:
            self._send(404, b"Not found\n", "text/plain; charset=utf-8")
        else:
            route()

    def _not_allowed(self) -> None:
        self._send(405, b"Only GET\n", "text/plain; charset=utf-8", {"Allow": "GET"})

    do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _not_allowed  # noqa: N815

    def _page(self) -> None:
        self._send(200, page.OVERLAY_PAGE, page.HTML, page.HEADERS)

    def _lyrics(self) -> None:
        self._send(200, page.LYRICS_PAGE, page.HTML, page.HEADERS)

    def _now(self) -> None:

        body = json_text(self.server.feed.now()).encode()
        self._send(200, body, _JSON)

    def _art(self) -> None:
        path = self.server.feed.art()
        image = read_image(path) if path is not None else None
        if image is None:
            self._send(404, b"No cover\n", "text/plain; charset=utf-8")
        else:
            self._send(200, image[0], image[1])

    def _events(self) -> None:
        server = self.server
        if not server.join_stream(self.connection):
            self._send(503, b"Too many event streams\n", "text/plain; charset=utf-8")
            return
        try:
            self.send_response(200)
            self._common_headers("text/event-stream; charset=utf-8")
            self.end_headers()
            sequence, first = server.feed.latest()
            self.wfile.write(f"retry: {RETRY_MS}\n\n".encode() + first)

            def ended() -> bool:
                return not server.streaming(self.connection)

            while not ended():
                events = server.feed.wait(sequence, HEARTBEAT_S, ended)
                if ended():
                    break
                if events:
                    sequence = events[-1][0]
                self.wfile.write(b"".join(data for _, data in events) or b": heartbeat\n\n")
        except OSError:
            logger.debug("An event stream ended")
        finally:
            server.leave_stream(self.connection)

    def _send(
        self, status: int, body: bytes, kind: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self._common_headers(kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _common_headers(self, kind: str) -> None:
        # No Access-Control-* header: another site's script may not read any of this.
        self.send_header("Content-Type", kind)
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        # The standard page repeats the request line; a plain status says enough.
        self.close_connection = True
        with contextlib.suppress(OSError):
            self._send(code, f"{code}\n".encode(), "text/plain; charset=utf-8")

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("overlay: " + format, *args)  # noqa: G003


class OverlayHttpServer(ThreadingHTTPServer):
    """Serves ``feed`` on 127.0.0.1:``port`` from ``start()`` to ``close()``."""

    daemon_threads = True
    block_on_close = True  # close() joins every connection's thread
    # On Windows SO_REUSEADDR lets another program take a port in use: never there.
    allow_reuse_address = sys.platform != "win32"

    def __init__(self, port: int, feed: OverlayFeed) -> None:
        self.feed = feed
        self.closing = threading.Event()
        self._lock = threading.Lock()
        self._connections = 0
        # Each stream's socket, and a duplicate the accept loop watches: a page that goes
        # away makes it readable (end of file), and its slot is free at once.
        self._streams: dict[socket.socket, socket.socket] = {}
        # Every duplicate not closed yet: the accept loop closes those it lets go, close()
        # the rest (a stream that joined or left as the loop ended).
        self._duplicates: set[socket.socket] = set()
        try:
            super().__init__((HOST, port), _Handler)
        except OSError as exc:
            raise OverlayPortUnavailable(port, exc.strerror or str(exc)) from exc
        self.port: int = self.server_address[1]
        self._wake_read, self._wake_write = socket.socketpair()
        self._thread = threading.Thread(target=self._accept_loop, name="overlay-http", daemon=True)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"

    def start(self) -> None:
        self._thread.start()
        logger.info("Stream overlay at %s", self.url)

    def close(self) -> None:
        """Stop accepting, end every stream and join every thread."""
        self.closing.set()
        self._wake_write.send(b"x")
        self.feed.wake()
        with self._lock:
            for stream in self._streams:
                with contextlib.suppress(OSError):
                    stream.shutdown(socket.SHUT_RDWR)  # a blocked send returns at once
        if self._thread.is_alive():
            self._thread.join()
        self.server_close()  # joins every connection's thread (block_on_close)
        with self._lock:
            left, self._duplicates = self._duplicates, set()
        for duplicate in left:
            duplicate.close()
        self._wake_read.close()
        self._wake_write.close()
        logger.info("Stream overlay stopped")

    def _accept_loop(self) -> None:
        self.timeout = 0  # handle_request: the socket is ready, never wait in it
        watched: dict[socket.socket, socket.socket] = {}  # duplicate -> stream
        with selectors.DefaultSelector() as selector:
            selector.register(self.socket, selectors.EVENT_READ)
            selector.register(self._wake_read, selectors.EVENT_READ)
            while not self.closing.is_set():
                for key, _ in selector.select():  # no timeout: asleep until needed
                    if key.fileobj is self.socket and not self.closing.is_set():
                        self.handle_request()
                    elif key.fileobj is self._wake_read:
                        self._wake_read.recv(256)
                    elif isinstance(key.fileobj, socket.socket):
                        self._drop_stream(watched[key.fileobj])
                with self._lock:
                    current = {duplicate: stream for stream, duplicate in self._streams.items()}
                for duplicate in watched.keys() - current.keys():
                    selector.unregister(duplicate)
                    self._close_duplicate(duplicate)
                for duplicate in current.keys() - watched.keys():
                    selector.register(duplicate, selectors.EVENT_READ)
                watched = current
            for duplicate in watched:
                self._close_duplicate(duplicate)

    def _close_duplicate(self, duplicate: socket.socket) -> None:
        with self._lock:
            self._duplicates.discard(duplicate)
        duplicate.close()

    def _drop_stream(self, stream: socket.socket) -> None:
        """The page closed the stream (or sent something it should not): end it now."""
        with self._lock:
            self._streams.pop(stream, None)
        with contextlib.suppress(OSError):
            stream.shutdown(socket.SHUT_RDWR)
        self.feed.wake()

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A browser that goes away mid-answer is no error of ours; never a traceback.
        logger.debug("An overlay connection failed: %r", sys.exc_info()[1])

    # connections and streams, counted ------------------------------------------------

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._lock:
            full = self._connections >= MAX_CONNECTIONS
            if not full:
                self._connections += 1
        if full:
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._lock:
                self._connections -= 1

    def join_stream(self, connection: socket.socket) -> bool:
        with self._lock:
            if len(self._streams) >= MAX_STREAMS or self.closing.is_set():
                return False
            duplicate = self._streams[connection] = connection.dup()
            self._duplicates.add(duplicate)
        with contextlib.suppress(OSError):  # closed meanwhile: close() takes the duplicate
            self._wake_write.send(b"j")
        return True

    def streaming(self, connection: socket.socket) -> bool:
        """Whether the stream on ``connection`` goes on."""
        with self._lock:
            return connection in self._streams and not self.closing.is_set()

    def leave_stream(self, connection: socket.socket) -> None:
        with self._lock:
            self._streams.pop(connection, None)
        with contextlib.suppress(OSError):
            self._wake_write.send(b"l")


__all__ = ["HOST", "MAX_STREAMS", "OverlayHttpServer"]
