"""Every failure of a call to Spotify maps to one named error (the gateway's tests drive
the same cases over HTTP against the simulator)."""

from __future__ import annotations

import pytest
import requests

from nowplaying_tray.core.bounded_http import ResponseTooLarge, UnexpectedRedirect
from nowplaying_tray.core.error_mapping import (
    DEFAULT_RETRY_AFTER_S,
    MAPPED,
    AccessTokenRejected,
    map_exception,
    retry_after,
    spotify_exception,
)
from nowplaying_tray.core.errors import (
    ApiUnavailable,
    AuthRequired,
    LoginExpired,
    NoActiveDevice,
    NotAllowListed,
    Offline,
    OwnerPremiumRequired,
    PremiumRequired,
    RateLimited,
    RestrictionViolated,
    SpotifyRequestFailed,
    VolumeUnsupported,
)
from nowplaying_tray.core.limits import MAX_WAIT_S
from nowplaying_tray.core.spotipy_loader import SpotifyException, SpotifyOauthError


def answer(
    status: int, body: bytes = b"", headers: dict[str, str] | None = None
) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = body
    response.headers.update(headers or {})
    response.url = "http://127.0.0.1/v1/me/player"
    return response


def refused(status: int, reason: str | None = None, message: str = "", **headers: str) -> object:
    exc = SpotifyException(status, -1, f"url:\n {message}", reason=reason, headers=headers)
    return map_exception(exc, None)


@pytest.mark.parametrize(
    ("status", "reason", "message", "expected"),
    [
        (403, "PREMIUM_REQUIRED", "", PremiumRequired),
        (403, "VOLUME_CONTROL_DISALLOW", "", VolumeUnsupported),
        (403, None, "Premium subscription required for the owner of the app", OwnerPremiumRequired),
        (403, None, "User may not be registered.", NotAllowListed),
        (403, None, "the user is not registered in the developer dashboard", NotAllowListed),
        (403, None, "Restriction violated", RestrictionViolated),
        (403, None, "Forbidden", SpotifyRequestFailed),
        (404, "NO_ACTIVE_DEVICE", "", NoActiveDevice),
        (404, None, "Not found", SpotifyRequestFailed),
        (400, None, "Bad request", SpotifyRequestFailed),
        (500, None, "", ApiUnavailable),
        (503, None, "", ApiUnavailable),
    ],
)
def test_refusals_by_status_and_reason(
    status: int, reason: str | None, message: str, expected: type
) -> None:
    assert type(refused(status, reason, message)) is expected


def test_a_401_asks_for_a_refresh_and_one_more_try() -> None:
    assert isinstance(refused(401), AccessTokenRejected)


def test_a_429_carries_its_retry_after_and_whether_the_quota_is_spent() -> None:
    error = refused(429, "QUOTA_EXCEEDED", **{"Retry-After": "120"})
    assert isinstance(error, RateLimited)
    assert (error.retry_after, error.quota_exceeded) == (120.0, True)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, DEFAULT_RETRY_AFTER_S),
        ("0", 0.0),
        ("-5", 0.0),
        ("soon", DEFAULT_RETRY_AFTER_S),
        ("nan", DEFAULT_RETRY_AFTER_S),
        ("inf", MAX_WAIT_S),
        ("1e400", MAX_WAIT_S),
    ],
)
def test_retry_after_is_bounded(header: str | None, expected: float) -> None:
    assert retry_after({} if header is None else {"Retry-After": header}) == expected


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        ("invalid_grant", LoginExpired),
        ("invalid_client", AuthRequired),
        ("server_error", ApiUnavailable),
    ],
)
def test_oauth_errors(error: str, expected: type) -> None:
    assert type(map_exception(SpotifyOauthError("x", error=error), None)) is expected


def test_an_oauth_error_on_a_429_is_a_rate_limit() -> None:
    mapped = map_exception(
        SpotifyOauthError("x", error="server_error"), answer(429, headers={"Retry-After": "7"})
    )
    assert isinstance(mapped, RateLimited) and mapped.retry_after == 7.0


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (requests.exceptions.ConnectTimeout(), Offline),
        (requests.exceptions.ConnectionError(), Offline),
        (requests.exceptions.ReadTimeout(), ApiUnavailable),
        (requests.exceptions.ContentDecodingError(), ApiUnavailable),
        (ResponseTooLarge(), ApiUnavailable),
        (UnexpectedRedirect("HTTP 302"), ApiUnavailable),
    ],
)
def test_transport_failures(exc: Exception, expected: type) -> None:
    assert isinstance(exc, MAPPED)
    assert type(map_exception(exc, None)) is expected


def test_an_unreadable_answer_says_its_status_or_is_a_rate_limit() -> None:
    assert "HTTP 502" in str(map_exception(ValueError("odd"), answer(502)))
    assert "HTTP" not in str(map_exception(RecursionError(), answer(200)))
    assert isinstance(map_exception(TypeError(), answer(429)), RateLimited)


def test_a_refused_library_call_reads_like_spotipys() -> None:
    body = b'{"error": {"status": 403, "message": "Nope", "reason": "PREMIUM_REQUIRED"}}'
    exc = spotify_exception(answer(403, body))
    assert (exc.http_status, exc.reason) == (403, "PREMIUM_REQUIRED")
    plain = spotify_exception(answer(500, b"Internal error"))
    assert "Internal error" in str(plain.msg) and plain.reason is None
