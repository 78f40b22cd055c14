"""A requests adapter that bounds every answer: one deadline, a size cap, no odd redirects.

requests' timeout applies to each socket read, so headers or a body sent a line or a
byte at a time never time out; and it inflates gzip without limit. Here the request's
timeout is the deadline for the whole answer: every read from the socket, of the
status line, the headers and the body, waits only for what is left of it. The body
is read by us in pieces (at most ``MAX_BODY_BYTES`` as sent and as inflated, or what
the caller of ``download`` allows), ``json()`` is the app's one bounded JSON reader,
and a redirect to anything but http(s) (``file://`` and the like) is an error instead
of an empty answer.
"""

from __future__ import annotations

# requests imports these at its first request (a host name's encoding, ~/.netrc), on a
# worker thread after start-up; imported with the app, their source text is not kept.
import encodings.idna  # noqa: F401
import http.client
import io
import logging
import netrc  # noqa: F401
import socket
import threading
import time
import zlib
from collections.abc import Mapping
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
import urllib3.connection
import urllib3.connectionpool
import urllib3.exceptions
from requests.adapters import HTTPAdapter

from nowplaying_tray.core.json_reader import JsonBeyondLimits, read_json
from nowplaying_tray.core.limits import DEFAULT_DEADLINE_S, MAX_BODY_BYTES

logger = logging.getLogger(__name__)

_CHUNK = 64 * 1024
_ACCEPTED_ENCODINGS = "gzip, deflate"  # the ones we inflate ourselves, with a cap


class ResponseTooLarge(requests.RequestException):
    """The answer's body, sent or inflated, is larger than ``MAX_BODY_BYTES``."""


class UnexpectedRedirect(requests.RequestException):
    """The answer redirects to something other than an http(s) address."""


class UnreadableAnswer(requests.RequestException):
    """The answer's JSON is nested deeper (or is larger) than the reader's limits.

    Not a ``ValueError``: spotipy reads a ``ValueError`` as "not JSON" and goes on
    with the text, or with nothing; this one reaches the app's error mapping.
    """


class BoundedResponse(requests.Response):
    """A response whose ``json()`` is the app's bounded reader (spotipy calls it too).
    Text that is not JSON raises ``ValueError``, as requests' own does."""

    def json(self, **kwargs: Any) -> Any:
        try:
            return read_json(self.content)
        except JsonBeyondLimits as exc:
            raise UnreadableAnswer(f"an answer {exc}") from exc


class BoundedAdapter(HTTPAdapter):
    def __init__(self, max_body_bytes: int = MAX_BODY_BYTES) -> None:
        super().__init__(max_retries=0)
        self._max_body = max_body_bytes

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _DeadlineHTTPPool,
            "https": _DeadlineHTTPSPool,
        }

    def build_response(self, req: requests.PreparedRequest, resp: Any) -> requests.Response:
        response = super().build_response(req, resp)
        response.__class__ = BoundedResponse
        return response

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: bool | str = True,
        cert: Any = None,
        proxies: Mapping[str, str] | None = None,
    ) -> requests.Response:
        deadline = time.monotonic() + _deadline_s(timeout)
        request.headers["Accept-Encoding"] = _ACCEPTED_ENCODINGS
        _deadline.at = deadline  # read by the response the connection makes
        try:
            response = super().send(
                request, stream=True, timeout=timeout, verify=verify, cert=cert, proxies=proxies
            )
        finally:
            _deadline.at = None
        try:
            _refuse_odd_redirect(response)
            if not stream:  # a streaming caller reads (and bounds) the body itself
                response._content = _read_body(response, deadline, self._max_body)
                response._content_consumed = True  # type: ignore[attr-defined]
                response.raw.release_conn()
        except BaseException:
            response.close()
            raise
        return response


def mount_bounded(session: requests.Session) -> None:
    adapter = BoundedAdapter()
    session.mount("http://", adapter)
    session.mount("https://", adapter)


def download(session: requests.Session, url: str, timeout_s: float, max_bytes: int) -> bytes:
    """The body at ``url``, at most ``max_bytes``, all of it within ``timeout_s``.

    ``session`` must have the bounded adapter mounted (``mount_bounded``): the deadline
    then covers the connection and the headers as well as the body.
    """
    deadline = time.monotonic() + timeout_s
    # Closed at once, so no connection or header objects outlive the download.
    with session.get(url, timeout=timeout_s, stream=True) as response:
        response.raise_for_status()
        return _read_body(response, deadline, max_bytes)


# The deadline of the request being sent on this thread; None outside ``send``.
_deadline = threading.local()


class _DeadlineReader(io.RawIOBase):
    """A socket's bytes, each read given only what is left of the request's deadline."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        super().__init__()
        self._sock = sock
        self._deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("the answer did not arrive in time")
        self._sock.settimeout(remaining)
        return self._sock.recv_into(buffer)


class _DeadlineSocket:
    """What ``http.client.HTTPResponse`` asks of a socket: a file to read the answer from."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self._sock = sock
        self._deadline = deadline

    def makefile(self, mode: str) -> io.BufferedReader:
        return io.BufferedReader(_DeadlineReader(self._sock, self._deadline))


class _DeadlineHTTPResponse(http.client.HTTPResponse):
    def __init__(self, sock: Any, *args: Any, **kwargs: Any) -> None:
        deadline = getattr(_deadline, "at", None)
        if deadline is not None and isinstance(sock, socket.socket):
            sock = _DeadlineSocket(sock, deadline)
        super().__init__(sock, *args, **kwargs)


class _DeadlineHTTPConnection(urllib3.connection.HTTPConnection):
    response_class = _DeadlineHTTPResponse


class _DeadlineHTTPSConnection(urllib3.connection.HTTPSConnection):
    response_class = _DeadlineHTTPResponse


class _DeadlineHTTPPool(urllib3.connectionpool.HTTPConnectionPool):
    ConnectionCls = _DeadlineHTTPConnection


class _DeadlineHTTPSPool(urllib3.connectionpool.HTTPSConnectionPool):
    ConnectionCls = _DeadlineHTTPSConnection


def _deadline_s(timeout: Any) -> float:
    if isinstance(timeout, int | float):
        return float(timeout)
    if isinstance(timeout, tuple):
        return float(sum(part for part in timeout if isinstance(part, int | float)))
    return DEFAULT_DEADLINE_S


def _refuse_odd_redirect(response: requests.Response) -> None:
    location = response.headers.get("Location")
    if not response.is_redirect or location is None:
        return
    scheme = urlsplit(urljoin(response.url or "", location)).scheme.lower()
    if scheme not in ("http", "https"):
        raise UnexpectedRedirect(f"a redirect to a {scheme or 'scheme-less'} address")


def _read_body(response: requests.Response, deadline: float, limit: int) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise ResponseTooLarge(f"a body of {declared} bytes")
    inflater = _inflater(response.headers.get("Content-Encoding", ""))
    raw = response.raw
    body = bytearray()
    received = 0
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise requests.exceptions.ReadTimeout("the answer did not arrive in time")
        _set_socket_timeout(raw, remaining)
        try:
            chunk = raw.read1(_CHUNK, decode_content=False)
        except (TimeoutError, urllib3.exceptions.ReadTimeoutError) as exc:
            raise requests.exceptions.ReadTimeout("the answer did not arrive in time") from exc
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise requests.exceptions.ConnectionError(str(exc)) from exc
        if not chunk:
            break
        received += len(chunk)
        if received > limit:
            raise ResponseTooLarge("a body larger than the limit")
        body += _inflate(inflater, chunk, limit - len(body)) if inflater else chunk
    if inflater is not None:
        body += inflater.flush()
        if len(body) > limit:
            raise ResponseTooLarge("a body that inflates beyond the limit")
    return bytes(body)


def _inflater(encoding: str) -> Any:
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompressobj()
    raise requests.exceptions.ContentDecodingError(f"unsupported encoding {encoding[:40]!r}")


def _inflate(inflater: Any, chunk: bytes, room: int) -> bytes:
    try:
        data: bytes = inflater.decompress(chunk, room + 1)
    except zlib.error as exc:
        raise requests.exceptions.ContentDecodingError("a body that does not inflate") from exc
    if len(data) > room or inflater.unconsumed_tail:
        raise ResponseTooLarge("a body that inflates beyond the limit")
    return data


def _set_socket_timeout(raw: Any, remaining: float) -> None:
    # Each read may then wait only for what is left of the deadline.
    sock = getattr(getattr(raw, "_connection", None), "sock", None)
    if isinstance(sock, socket.socket):
        sock.settimeout(max(0.01, remaining))
