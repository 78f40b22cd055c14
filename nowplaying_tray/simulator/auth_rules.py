"""Spotify's rules for an authorization request, with no state: which redirect URIs,
scopes and PKCE values it accepts, and who a Basic ``Authorization`` header names.

``auth.AuthState`` applies them to the clients, codes and tokens it keeps.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

LOOPBACK_HOSTS = ("127.0.0.1", "[::1]")
CALLBACK_PATH = "/callback"

_CHALLENGE = re.compile(r"^[A-Za-z0-9_-]{43}$")
_VERIFIER = re.compile(r"^[A-Za-z0-9._~-]{43,128}$")

KNOWN_SCOPES = frozenset(
    {
        "ugc-image-upload", "user-read-playback-state", "user-modify-playback-state",
        "user-read-currently-playing", "app-remote-control", "streaming",
        "playlist-read-private", "playlist-read-collaborative", "playlist-modify-private",
        "playlist-modify-public", "user-follow-modify", "user-follow-read",
        "user-read-playback-position", "user-top-read", "user-read-recently-played",
        "user-library-modify", "user-library-read", "user-read-email", "user-read-private",
        "user-personalized",
    }
)  # fmt: skip


class AuthorizeError(Exception):
    """An /authorize request that must be refused with an error page."""


@dataclass(frozen=True)
class AuthorizeRequest:
    client_id: str
    redirect_uri: str
    code_challenge: str
    scope: str  # space-separated, as requested
    state: str | None


def s256(verifier: str) -> str:
    """The PKCE S256 challenge for ``verifier``: base64url(sha256) without padding."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def verifier_matches(verifier: str, challenge: str) -> bool:
    """Whether ``verifier`` is a well-formed PKCE verifier whose S256 is ``challenge``."""
    return bool(_VERIFIER.match(verifier)) and hmac.compare_digest(s256(verifier), challenge)


def check_redirect_uri(uri: str, registered: Iterable[str] = ()) -> str | None:
    """Why Spotify would refuse ``uri`` (the text of its error page), or None if allowed.

    Plain HTTP is allowed on the loopback literals only, any port, path /callback;
    anything else must match a registered URI exactly. ``localhost`` is refused.
    """
    if uri in set(registered):
        return None
    try:
        parts = urlsplit(uri)
        port = parts.port
    except ValueError:
        return "INVALID_CLIENT: Invalid redirect URI"
    if parts.scheme == "http":
        host = parts.netloc.rsplit(":", 1)[0] if port is not None else parts.netloc
        if host not in LOOPBACK_HOSTS:
            return "INVALID_CLIENT: Insecure redirect URI"
        if parts.path != CALLBACK_PATH or parts.fragment:
            return "INVALID_CLIENT: Invalid redirect URI"
        return None
    return "INVALID_CLIENT: Invalid redirect URI"


def parse_authorize(
    client_id: str, registered_uris: Iterable[str], params: Mapping[str, str | None]
) -> AuthorizeRequest:
    """The rest of an /authorize query for a known client, checked in Spotify's order;
    raises AuthorizeError."""
    redirect_uri = params.get("redirect_uri") or ""
    problem = check_redirect_uri(redirect_uri, registered_uris)
    if problem:
        raise AuthorizeError(problem)
    if params.get("response_type") != "code":
        raise AuthorizeError("unsupported_response_type")
    challenge = params.get("code_challenge")
    if not challenge:
        raise AuthorizeError("code_challenge is required (PKCE)")
    if params.get("code_challenge_method") != "S256":
        raise AuthorizeError("code_challenge_method must be S256")
    if not _CHALLENGE.match(challenge):
        raise AuthorizeError("code_challenge must be 43 base64url characters")
    scopes = (params.get("scope") or "").split()
    unknown = [scope for scope in scopes if scope not in KNOWN_SCOPES]
    if unknown:
        raise AuthorizeError("INVALID_SCOPE: Invalid scope")
    return AuthorizeRequest(
        client_id=client_id,
        redirect_uri=redirect_uri,
        code_challenge=challenge,
        scope=" ".join(dict.fromkeys(scopes)),
        state=params.get("state"),
    )


def basic_client_id(authorization: str | None) -> str | None:
    """The client ID a ``Basic`` Authorization header names, if it is one."""
    if not authorization or not authorization.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return decoded.split(":", 1)[0] or None
