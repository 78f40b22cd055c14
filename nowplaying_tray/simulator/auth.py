"""Authorization state of the simulated accounts service: clients, codes and tokens.

Implements the Authorization Code flow with PKCE (S256) as Spotify runs it in 2026:
loopback-only plain-HTTP redirect URIs, single-use codes valid for 10 minutes, refresh
tokens that live 6 months from the authorization and are never rotated.
Tokens and codes are opaque random strings and are never logged. The stateless rules
(redirect URIs, scopes, PKCE values) are in ``auth_rules``.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .auth_rules import (
    AuthorizeError,
    AuthorizeRequest,
    basic_client_id,
    parse_authorize,
    verifier_matches,
)

logger = logging.getLogger(__name__)

CODE_LIFETIME_S = 600
REFRESH_LIFETIME_S = 183 * 24 * 3600  # "6 months from the authorization"
DEFAULT_CLIENT_NAME = "Demo app"


@dataclass(frozen=True)
class TokenResult:
    """Outcome of a /api/token call: the HTTP status and the JSON payload."""

    status: int
    payload: dict[str, Any]


@dataclass(frozen=True)
class TokenCheck:
    ok: bool
    message: str = ""
    scopes: frozenset[str] = frozenset()


@dataclass
class _Client:
    name: str
    redirect_uris: frozenset[str]


@dataclass
class _Code:
    request: AuthorizeRequest
    issued_at: float
    used: bool = False


@dataclass
class _RefreshGrant:
    client_id: str
    scope: str
    authorized_at: float
    revoked: bool = False


@dataclass
class _AccessToken:
    client_id: str
    scopes: frozenset[str]
    expires_at: float
    expired: bool = False


def _grant_error(description: str) -> TokenResult:
    return TokenResult(400, {"error": "invalid_grant", "error_description": description})


def _error(error: str, description: str) -> TokenResult:
    return TokenResult(400, {"error": error, "error_description": description})


class AuthState:
    """Registered clients and every code and token the accounts service handed out."""

    def __init__(
        self,
        *,
        clock: Callable[[], float],
        client_ids: Iterable[str],
        access_token_lifetime: int,
        auto_approve: bool,
    ) -> None:
        self._lock = threading.Lock()
        self._clock = clock
        self._clients: dict[str, _Client] = {}
        self._pending: dict[str, AuthorizeRequest] = {}
        self._codes: dict[str, _Code] = {}
        self._refresh: dict[str, _RefreshGrant] = {}
        self._access: dict[str, _AccessToken] = {}
        self._lifetime = 0
        self.set_access_token_lifetime(access_token_lifetime)
        self.auto_approve = auto_approve
        for client_id in client_ids:
            self.register_client(client_id)

    # -- setup ---------------------------------------------------------------------------

    def register_client(
        self, client_id: str, *, name: str | None = None, redirect_uris: Iterable[str] = ()
    ) -> None:
        if not client_id:
            raise ValueError("client_id must not be empty")
        with self._lock:
            self._clients[client_id] = _Client(
                name or DEFAULT_CLIENT_NAME, frozenset(redirect_uris)
            )

    def client_name(self, client_id: str) -> str:
        with self._lock:
            client = self._clients.get(client_id)
            return client.name if client else DEFAULT_CLIENT_NAME

    def set_access_token_lifetime(self, seconds: int) -> None:
        if isinstance(seconds, bool) or not isinstance(seconds, int) or seconds < 0:
            raise ValueError("access token lifetime must be a non-negative int of seconds")
        with self._lock:
            self._lifetime = seconds

    @property
    def access_token_lifetime(self) -> int:
        with self._lock:
            return self._lifetime

    def expire_access_tokens(self) -> None:
        with self._lock:
            for token in self._access.values():
                token.expired = True

    def revoke_refresh_tokens(self) -> None:
        with self._lock:
            for grant in self._refresh.values():
                grant.revoked = True

    def age_logins(self, seconds: float) -> None:
        """Every authorization made ``seconds`` earlier than it was (tokens with an old login)."""
        with self._lock:
            for grant in self._refresh.values():
                grant.authorized_at -= seconds

    def expire_refresh_tokens(self) -> None:
        now = self._clock()
        with self._lock:
            for grant in self._refresh.values():
                grant.authorized_at = min(grant.authorized_at, now - REFRESH_LIFETIME_S - 1)

    # -- /authorize ----------------------------------------------------------------------

    def validate_authorize(self, params: Mapping[str, str | None]) -> AuthorizeRequest:
        """Check an /authorize query in Spotify's order; raises AuthorizeError."""
        client_id = params.get("client_id") or ""
        with self._lock:
            client = self._clients.get(client_id)
        if client is None:
            raise AuthorizeError("INVALID_CLIENT: Invalid client")
        return parse_authorize(client_id, client.redirect_uris, params)

    def add_pending(self, request: AuthorizeRequest) -> str:
        """Park a request while the consent page is shown; returns its opaque id."""
        request_id = secrets.token_urlsafe(16)
        with self._lock:
            self._pending[request_id] = request
        return request_id

    def pop_pending(self, request_id: str) -> AuthorizeRequest | None:
        with self._lock:
            return self._pending.pop(request_id, None)

    def issue_code(self, request: AuthorizeRequest) -> str:
        code = secrets.token_urlsafe(48)
        with self._lock:
            self._codes[code] = _Code(request, self._clock())
        return code

    # -- /api/token ----------------------------------------------------------------------

    def token(self, form: Mapping[str, str], authorization: str | None = None) -> TokenResult:
        grant_type = form.get("grant_type")
        if not grant_type:
            return _error("unsupported_grant_type", "grant_type parameter is missing")
        if grant_type not in ("authorization_code", "refresh_token"):
            return _error("unsupported_grant_type", "grant_type parameter is invalid")
        client_id = form.get("client_id") or basic_client_id(authorization) or ""
        with self._lock:
            if client_id not in self._clients:
                return _error("invalid_client", "Invalid client")
            if grant_type == "authorization_code":
                return self._exchange_code(client_id, form)
            return self._refresh_grant(client_id, form)

    def _exchange_code(self, client_id: str, form: Mapping[str, str]) -> TokenResult:
        now = self._clock()
        code = self._codes.get(form.get("code") or "")
        if (
            code is None
            or code.used
            or now - code.issued_at > CODE_LIFETIME_S
            or code.request.client_id != client_id
        ):
            return _grant_error("Invalid authorization code")
        # Burn the code on any attempt, so a leaked code cannot be tried repeatedly.
        code.used = True
        if form.get("redirect_uri") != code.request.redirect_uri:
            return _grant_error("Invalid redirect URI")
        verifier = form.get("code_verifier") or ""
        if not verifier:
            return _error("invalid_request", "code_verifier required")
        if not verifier_matches(verifier, code.request.code_challenge):
            return _grant_error("code_verifier was incorrect")
        refresh_token = secrets.token_urlsafe(48)
        self._refresh[refresh_token] = _RefreshGrant(client_id, code.request.scope, now)
        payload = self._new_access_token(client_id, code.request.scope, now)
        payload["refresh_token"] = refresh_token
        return TokenResult(200, payload)

    def _refresh_grant(self, client_id: str, form: Mapping[str, str]) -> TokenResult:
        now = self._clock()
        supplied = form.get("refresh_token")
        if not supplied:
            return _error("invalid_request", "refresh_token must be supplied")
        grant = self._refresh.get(supplied)
        if grant is None or grant.client_id != client_id:
            return _grant_error("Invalid refresh token")
        if grant.revoked:
            return _grant_error("Refresh token revoked")
        if now - grant.authorized_at > REFRESH_LIFETIME_S:
            return _grant_error("Refresh token expired")
        # No rotation (Spotify, July 2026): the response carries no refresh_token at all.
        return TokenResult(200, self._new_access_token(client_id, grant.scope, now))

    def _new_access_token(self, client_id: str, scope: str, now: float) -> dict[str, Any]:
        token = secrets.token_urlsafe(64)
        self._access[token] = _AccessToken(
            client_id, frozenset(scope.split()), now + self._lifetime
        )
        return {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": self._lifetime,
            "scope": scope,
        }

    # -- Web API -------------------------------------------------------------------------

    def check_access_token(self, token: str) -> TokenCheck:
        with self._lock:
            record = self._access.get(token)
            if record is None:
                return TokenCheck(False, "Invalid access token")
            if record.expired or self._clock() >= record.expires_at:
                return TokenCheck(False, "The access token expired")
            return TokenCheck(True, scopes=record.scopes)
