"""Scriptable failures: a FIFO of faults that match requests by path prefix."""

from __future__ import annotations

import functools
import gzip
import logging
import threading
from dataclasses import dataclass

from .http_types import HTML_TYPE, JSON_TYPE, Response, json_response

logger = logging.getLogger(__name__)

FAULT_KINDS = frozenset(
    {
        "rate_limit",
        "server_error",
        "slow",
        "malformed",
        "empty_200",
        "null_200",
        "drop",
        # Hostile or broken answers a client must survive:
        "bad_body",  # an error status whose JSON body is not Spotify's shape (see BAD_BODIES)
        "trickle",  # the real answer, its body sent one byte every ``delay`` seconds
        "trickle_headers",  # the real answer after header lines sent one every ``delay`` s
        "gzip_bomb",  # a 200 whose small gzip body inflates to ``size`` bytes
        "redirect",  # a redirect to ``location`` (file://, ftp://, ...)
    }
)
SERVER_ERROR_STATUSES = frozenset({500, 502, 503, 504})
MALFORMED_BODY = b'{"is_playing": tr'
DEEP_NESTING = 200_000
BAD_BODIES: dict[str, bytes] = {
    "error_string": b'{"error": "string"}',
    "list": b'[{"error": {"status": 503, "message": "in a list"}}]',
    "deep": b"[" * DEEP_NESTING + b"]" * DEEP_NESTING,
    # A token endpoint's 200 without the token, and an error that writes to the terminal.
    "no_access_token": b'{"token_type": "Bearer"}',
    "escapes": b'{"error": "\\u001b]0;pwned\\u0007\\u001b[2J\\u009b1mbad"}',
}
GZIP_BOMB_DEFAULT_SIZE = 64 * 1024 * 1024


@dataclass(frozen=True)
class Fault:
    kind: str
    path: str = "/v1/"
    status: int = 500
    retry_after: int | None = 1  # None: a 429 without a Retry-After header
    quota_exceeded: bool = False
    delay: float = 0.0
    body: bool = True  # False: a 429 with an empty body
    retry_after_text: str | None = None  # a 429's Retry-After as sent, e.g. "inf" or "1e400"
    shape: str = "error_string"  # bad_body: a key of BAD_BODIES
    size: int = GZIP_BOMB_DEFAULT_SIZE  # gzip_bomb: the inflated size
    location: str = "file:///etc/passwd"  # redirect: where it points

    def response(self) -> Response:
        """The answer this fault sends instead of the real one."""
        return fault_response(self)


@dataclass
class _Armed:
    fault: Fault
    remaining: int | None  # None: until cleared


class FaultPlan:
    """Faults waiting to fire; the oldest one matching a request's path fires first."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._armed: list[_Armed] = []

    def add(self, fault: Fault, times: int | None = 1) -> None:
        if fault.kind not in FAULT_KINDS:
            raise ValueError(
                f"unknown fault kind {fault.kind!r}; expected one of "
                f"{', '.join(sorted(FAULT_KINDS))}"
            )
        if times is not None and times < 1:
            raise ValueError("times must be at least 1 (or None for until cleared)")
        if fault.kind == "server_error" and fault.status not in SERVER_ERROR_STATUSES:
            raise ValueError("server_error status must be one of 500, 502, 503, 504")
        if (fault.retry_after is not None and fault.retry_after < 0) or fault.delay < 0:
            raise ValueError("retry_after and delay must not be negative")
        if fault.kind == "bad_body" and fault.shape not in BAD_BODIES:
            raise ValueError(f"bad_body shape must be one of {', '.join(sorted(BAD_BODIES))}")
        if fault.kind == "bad_body" and not 200 <= fault.status <= 599:
            raise ValueError("bad_body status must be between 200 and 599")
        if not 0 < fault.size <= 4 * 1024**3:
            raise ValueError("size must be between 1 byte and 4 GiB")
        if fault.kind == "gzip_bomb":
            _gzip_bomb(fault.size)  # built now, not while a client waits with a deadline
        with self._lock:
            self._armed.append(_Armed(fault, times))

    def take(self, path: str, armed_under: str = "") -> Fault | None:
        """The fault to apply to a request for ``path`` (consuming one use), if any;
        ``armed_under``: only a fault armed for a path under it."""
        with self._lock:
            for armed in self._armed:
                if path.startswith(armed.fault.path) and armed.fault.path.startswith(armed_under):
                    if armed.remaining is not None:
                        armed.remaining -= 1
                        if armed.remaining == 0:
                            self._armed.remove(armed)
                    return armed.fault
        return None

    def clear(self) -> None:
        with self._lock:
            self._armed.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._armed)


def fault_response(fault: Fault) -> Response:
    """The response a firing fault sends instead of the real answer.

    Not used for "drop" (no response at all), "slow" or "trickle" (the normal answer,
    late or slowly).
    """
    if fault.kind == "rate_limit":
        # Real 429s vary: Retry-After may be 0 or missing, and the body may be empty.
        headers = {} if fault.retry_after is None else {"Retry-After": str(fault.retry_after)}
        if fault.retry_after_text is not None:
            headers = {"Retry-After": fault.retry_after_text}
        if not fault.body:
            return Response(429, b"", None, headers)
        error: dict[str, object] = {"status": 429, "message": "API rate limit exceeded"}
        if fault.quota_exceeded:
            error["reason"] = "QUOTA_EXCEEDED"
        return json_response(429, {"error": error}, headers)
    if fault.kind == "server_error":
        if fault.status == 500:
            return json_response(500, {"error": {"status": 500, "message": "Server error."}})
        # Gateways in front of the API answer with an HTML page, not JSON.
        title = _GATEWAY_TITLES.get(fault.status, "Server Error")
        page = f"<html><head><title>{fault.status} {title}</title></head><body>"
        page += f"<center><h1>{fault.status} {title}</h1></center></body></html>\n"
        return Response(fault.status, page.encode(), HTML_TYPE)
    if fault.kind == "malformed":
        return Response(200, MALFORMED_BODY, JSON_TYPE)
    if fault.kind == "empty_200":
        return Response(200, b"", JSON_TYPE)
    if fault.kind == "null_200":
        return Response(200, b"null", JSON_TYPE)
    if fault.kind == "bad_body":
        return Response(fault.status, BAD_BODIES[fault.shape], JSON_TYPE)
    if fault.kind == "gzip_bomb":
        return Response(200, _gzip_bomb(fault.size), JSON_TYPE, {"Content-Encoding": "gzip"})
    if fault.kind == "redirect":
        status = fault.status if 300 <= fault.status <= 399 else 302
        return Response(status, b"", None, {"Location": fault.location})
    raise ValueError(f"fault kind {fault.kind!r} has no response")


@functools.lru_cache(maxsize=2)
@functools.lru_cache(maxsize=2)
def _gzip_bomb(size: int) -> bytes:
    """``size`` spaces, gzipped (about 1,000:1), built in pieces so memory stays small."""
    out = bytearray()
    compressor = gzip.GzipFile(fileobj=_Sink(out), mode="wb", compresslevel=9)
    piece = b" " * (1024 * 1024)
    for start in range(0, size, len(piece)):
        compressor.write(piece[: size - start])
    compressor.close()
    return bytes(out)


class _Sink:
    def __init__(self, out: bytearray) -> None:
        self._out = out

    def write(self, data: bytes) -> int:
        self._out += data
        return len(data)

    def flush(self) -> None:
        pass


_GATEWAY_TITLES = {
    502: "Bad Gateway",
    503: "Service Temporarily Unavailable",
    504: "Gateway Time-out",
}
