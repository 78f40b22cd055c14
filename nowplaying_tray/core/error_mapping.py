"""Spotify's answers and the transport's exceptions, mapped to the named errors.

``errors`` says what can go wrong in words a person understands; this module
decides which of those a failed call to Spotify is: an HTTP status with its
``reason``, an OAuth error, a timeout, a refused connection, an answer too large
or too odd to read. Plain functions of what failed and the last answer seen, so
every case can be tested without a server. What follows from an error (opening
the rate-limit window, forgetting an ended login) is the gateway's business.
"""

from __future__ import annotations

import math
from typing import Any

import requests

from nowplaying_tray.core.bounded_http import ResponseTooLarge, UnexpectedRedirect, UnreadableAnswer
from nowplaying_tray.core.errors import (
    ApiUnavailable,
    AuthRequired,
    LoginExpired,
    NoActiveDevice,
    NotAllowListed,
    NowPlayingError,
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

DEFAULT_RETRY_AFTER_S = 5.0  # a 429 without a (readable) Retry-After
# Spotify words the not-allow-listed refusal in two ways; both are plain text.
_NOT_ALLOW_LISTED_HINTS = ("may not be registered", "not registered in the developer dashboard")
_OWNER_PREMIUM_HINT = "premium subscription required for the owner"
_RESTRICTION_HINT = "restriction violated"

# An odd body read by spotipy (an error that is a string or a list, a token answer
# without its fields) fails with one of these.
_UNREADABLE = (ValueError, KeyError, TypeError, AttributeError, OverflowError, RecursionError)
# Every exception a call to Spotify can fail with that ``map_exception`` maps; anything
# else is a bug and is left to propagate.
MAPPED = (SpotifyException, SpotifyOauthError, requests.RequestException, *_UNREADABLE)


class AccessTokenRejected(Exception):
    """A 401: the access token was refused, so refresh it and try once more."""


def map_exception(
    exc: BaseException, last_response: requests.Response | None
) -> NowPlayingError | AccessTokenRejected:
    """The named error for ``exc``, one of ``MAPPED``, raised by a call to Spotify.

    ``last_response`` is the last HTTP answer seen: spotipy drops the status of
    some failures (an OAuth error, a body it could not parse), and a 429 hides there.
    """
    if isinstance(exc, SpotifyException):
        return api_error(exc)
    if isinstance(exc, SpotifyOauthError):
        return oauth_error(exc, last_response)
    if isinstance(exc, UnreadableAnswer):  # JSON nested deeper than the reader's limit
        return unreadable(last_response)
    if isinstance(exc, requests.RequestException):
        return transport_error(exc)
    return unreadable(last_response)


def api_error(exc: SpotifyException) -> NowPlayingError | AccessTokenRejected:
    """A Web API call refused with an HTTP status (and often a ``reason``)."""
    status, reason = exc.http_status, (exc.reason or "")
    text = str(exc.msg or "").lower()
    if status == 401:
        return AccessTokenRejected()
    if status == 429:
        return rate_limited(exc.headers, quota_exceeded=reason == "QUOTA_EXCEEDED")
    if status == 403:
        return _forbidden(reason, text)
    if status == 404 and reason == "NO_ACTIVE_DEVICE":
        return NoActiveDevice()
    if status >= 500:
        return ApiUnavailable(f"Spotify is having trouble right now (HTTP {status}).")
    return SpotifyRequestFailed(f"Spotify refused the request (HTTP {status}).")


def _forbidden(reason: str, text: str) -> NowPlayingError:
    if reason == "PREMIUM_REQUIRED":
        return PremiumRequired()
    if reason == "VOLUME_CONTROL_DISALLOW":
        return VolumeUnsupported()
    if _OWNER_PREMIUM_HINT in text:
        return OwnerPremiumRequired()
    if any(hint in text for hint in _NOT_ALLOW_LISTED_HINTS):
        return NotAllowListed()
    if _RESTRICTION_HINT in text:
        return RestrictionViolated()
    return SpotifyRequestFailed("Spotify refused the request (403).")


def oauth_error(exc: SpotifyOauthError, last_response: requests.Response | None) -> NowPlayingError:
    """The accounts service refused a token request (a refresh, in the gateway)."""
    if exc.error == "invalid_grant":
        # The refresh token expired (6 months) or was revoked: it will never work again.
        return LoginExpired()
    if exc.error == "invalid_client":
        return AuthRequired("Spotify does not know this client ID. Check the settings.")
    if last_response is not None and last_response.status_code == 429:
        return rate_limited(last_response.headers)
    return ApiUnavailable("Spotify's login service is having trouble right now.")


def transport_error(exc: requests.RequestException) -> NowPlayingError:
    """No usable HTTP answer: no connection, no answer in time, or one we would not read."""
    if isinstance(exc, ResponseTooLarge):
        return ApiUnavailable("Spotify sent an answer too large to read.")
    if isinstance(exc, UnexpectedRedirect):
        return ApiUnavailable(f"Spotify's address answered with {exc}.")
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return Offline()
    if isinstance(exc, requests.exceptions.Timeout):
        return ApiUnavailable("Spotify did not answer in time.")
    if isinstance(exc, requests.exceptions.ConnectionError):
        return Offline()
    return ApiUnavailable()


def unreadable(last_response: requests.Response | None) -> NowPlayingError:
    """An answer spotipy could not read: its status still says what it was."""
    status = last_response.status_code if last_response is not None else 200
    if status == 429 and last_response is not None:
        return rate_limited(last_response.headers)
    detail = f" (HTTP {status})" if status >= 400 else ""
    return ApiUnavailable(f"Spotify sent an answer that could not be read{detail}.")


def rate_limited(headers: Any, quota_exceeded: bool = False) -> RateLimited:
    return RateLimited(retry_after(headers), quota_exceeded=quota_exceeded)


def retry_after(headers: Any) -> float:
    """Seconds from a 429's Retry-After. Missing or unreadable: the default; more than a
    day (``inf``, ``1e400``): a day. The poller never takes a 0 as "ask again at once"
    (``policy.rate_limit_hold_s``)."""
    try:
        seconds = float((headers or {}).get("Retry-After", DEFAULT_RETRY_AFTER_S))
    except (TypeError, ValueError):
        return DEFAULT_RETRY_AFTER_S
    if math.isnan(seconds):
        return DEFAULT_RETRY_AFTER_S
    return min(max(0.0, seconds), MAX_WAIT_S)


def spotify_exception(response: requests.Response) -> SpotifyException:
    """The error spotipy raises for a refused call, built from the same answer."""
    message: Any = response.text or None
    reason: Any = None
    try:
        error = response.json().get("error", {})
        message, reason = error.get("message"), error.get("reason")
    except ValueError:
        pass  # not JSON: keep the plain text (an odd JSON error is mapped as unreadable)
    return SpotifyException(
        response.status_code,
        -1,
        f"{response.url}:\n {message}",
        reason=reason,
        headers=response.headers,
    )
