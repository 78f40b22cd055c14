"""Small request/response value types shared by the simulator's endpoint modules.

Endpoint code works on these plain objects instead of the ``http.server``
handler, so it stays testable and free of socket details.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

logger = logging.getLogger(__name__)

JSON_TYPE = "application/json; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"
TEXT_TYPE = "text/plain; charset=utf-8"


@dataclass(frozen=True)
class Request:
    """One parsed HTTP request, as the endpoint modules see it."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # keys lower-cased
    body: bytes = b""

    def arg(self, name: str) -> str | None:
        """First value of a query parameter, or None when absent."""
        values = self.query.get(name)
        return values[0] if values else None

    def form(self) -> dict[str, str]:
        """The body parsed as application/x-www-form-urlencoded (first value wins)."""
        parsed = parse_qs(self.body.decode("utf-8", "replace"), keep_blank_values=True)
        return {key: values[0] for key, values in parsed.items()}

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass
class Response:
    """An HTTP response to be written by the server."""

    status: int
    body: bytes = b""
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


def json_response(status: int, payload: Any, headers: dict[str, str] | None = None) -> Response:
    # A lone surrogate (only ever inside a string) goes out as its JSON escape, \udfff.
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8", errors="backslashreplace")
    return Response(status, body, JSON_TYPE, dict(headers or {}))


def api_error(
    status: int, message: str, reason: str | None = None, headers: dict[str, str] | None = None
) -> Response:
    """The Web API's regular error shape: {"error": {"status", "message"[, "reason"]}}."""
    error: dict[str, Any] = {"status": status, "message": message}
    if reason is not None:
        error["reason"] = reason
    return json_response(status, {"error": error}, headers)


def oauth_error(status: int, error: str, description: str) -> Response:
    """The accounts service's OAuth error shape (RFC 6749 section 5.2)."""
    return json_response(
        status,
        {"error": error, "error_description": description},
        {"Cache-Control": "no-store"},
    )


def text_response(status: int, text: str) -> Response:
    return Response(status, text.encode("utf-8"), TEXT_TYPE)


def html_response(status: int, html: str) -> Response:
    return Response(status, html.encode("utf-8"), HTML_TYPE, {"Cache-Control": "no-store"})


def redirect(location: str) -> Response:
    return Response(302, b"", None, {"Location": location, "Cache-Control": "no-store"})


def no_content() -> Response:
    return Response(204)
