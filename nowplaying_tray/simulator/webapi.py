"""HTTP endpoints of the simulated api.spotify.com (the /v1 Web API subset the app uses)."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .account import Account
from .auth import AuthState
from .catalog import render_item
from .http_types import Request, Response, api_error, json_response, no_content, text_response
from .timeline import PlaybackState, Player

logger = logging.getLogger(__name__)

OWNER_NOT_PREMIUM = "Active premium subscription required for the owner of the app"
NOT_ALLOW_LISTED = (
    "Check settings on developer.spotify.com/dashboard, the user may not be registered."
)
_LIBRARY_URI = re.compile(r"^spotify:(track|episode):[0-9A-Za-z]{22}$")


@dataclass(frozen=True)
class _Route:
    handler: Callable[[Request], Response]
    scopes: frozenset[str]  # any one of these suffices; empty: no scope needed


def _player_error(status: int, message: str, reason: str) -> Response:
    return api_error(status, f"Player command failed: {message}", reason)


class WebApi:
    def __init__(
        self,
        *,
        auth: AuthState,
        account: Account,
        player: Player,
        base_url: Callable[[], str],
        clock: Callable[[], float],
    ) -> None:
        self._auth = auth
        self._account = account
        self._player = player
        self._base_url = base_url
        self._clock = clock
        # Real Spotify answers 403 "Insufficient client scope"; tests may switch it off.
        self.enforce_scopes = True
        playback = frozenset({"user-read-playback-state"})
        modify = frozenset({"user-modify-playback-state"})
        self._routes: dict[str, dict[str, _Route]] = {
            "/v1/me": {"GET": _Route(self._me, frozenset())},
            "/v1/me/player": {"GET": _Route(self._playback_full, playback)},
            "/v1/me/player/currently-playing": {
                "GET": _Route(self._currently_playing, playback | {"user-read-currently-playing"})
            },
            "/v1/me/player/play": {"PUT": _Route(self._play, modify)},
            "/v1/me/player/pause": {"PUT": _Route(self._pause, modify)},
            "/v1/me/player/next": {"POST": _Route(self._next, modify)},
            "/v1/me/player/previous": {"POST": _Route(self._previous, modify)},
            "/v1/me/library": {
                "PUT": _Route(self._save, frozenset({"user-library-modify"})),
                "DELETE": _Route(self._unsave, frozenset({"user-library-modify"})),
            },
            "/v1/me/library/contains": {
                "GET": _Route(self._contains, frozenset({"user-library-read"}))
            },
        }

    def handle(self, request: Request) -> Response:
        methods = self._routes.get(request.path.rstrip("/") or "/")
        if methods is None:
            return api_error(404, "Service not found")
        route = methods.get(request.method)
        if route is None:
            return api_error(405, "Method not allowed")
        refusal = self._authorise(request, route)
        if refusal is not None:
            return refusal
        return route.handler(request)

    def _authorise(self, request: Request, route: _Route) -> Response | None:
        header = request.header("authorization")
        if not header or not header.strip():
            return api_error(401, "No token provided")
        scheme, _, token = header.strip().partition(" ")
        if scheme.lower() != "bearer":
            return api_error(400, "Only valid bearer authentication supported")
        token = token.strip()
        if not token:
            return api_error(401, "No token provided")
        check = self._auth.check_access_token(token)
        if not check.ok:
            challenge = (
                'Bearer realm="spotify", error="invalid_token", '
                f'error_description="{check.message}"'
            )
            return api_error(401, check.message, headers={"WWW-Authenticate": challenge})
        # Development-mode gates apply to every call, whatever the endpoint.
        if not self._account.owner_premium:
            return api_error(403, OWNER_NOT_PREMIUM)
        if not self._account.allow_listed:
            return text_response(403, NOT_ALLOW_LISTED)
        if self.enforce_scopes and route.scopes and not (route.scopes & check.scopes):
            return api_error(403, "Insufficient client scope")
        return None

    # -- profile -------------------------------------------------------------------------

    def _me(self, request: Request) -> Response:
        return json_response(200, self._account.user)

    # -- playback state ------------------------------------------------------------------

    def _playback_full(self, request: Request) -> Response:
        return self._playback(request, full=True)

    def _currently_playing(self, request: Request) -> Response:
        return self._playback(request, full=False)

    def _playback(self, request: Request, *, full: bool) -> Response:
        state = self._player.state()
        if state.idle or state.entry is None or state.private_session:
            return no_content()
        types = {t.strip().lower() for t in (request.arg("additional_types") or "").split(",")}
        return json_response(200, self._playback_body(state, types, full))

    def _playback_body(
        self, state: PlaybackState, additional_types: set[str], full: bool
    ) -> dict[str, Any]:
        entry = state.entry or {}
        kind = entry["currently_playing_type"]
        # Tracks always come back; other types only when asked for via additional_types.
        shown = kind == "track" or kind in additional_types
        item = render_item(entry, self._base_url()) if shown else None
        disallows = {"resuming": True} if state.is_playing else {"pausing": True}
        if kind == "ad":
            disallows.update(skipping_next=True, skipping_prev=True, seeking=True)
        body: dict[str, Any] = {}
        if full:
            body["device"] = state.device
            body["shuffle_state"] = False
            body["repeat_state"] = "context" if state.repeat else "off"
        body.update(
            timestamp=int(self._clock() * 1000),
            context=None,
            progress_ms=state.progress_ms,
            item=item,
            currently_playing_type=kind,
            actions={"disallows": disallows},
            is_playing=state.is_playing,
        )
        return body

    # -- playback commands ---------------------------------------------------------------

    def _command(self, action: Callable[[], None], *, skip: bool = False) -> Response:
        if not self._account.premium:
            return _player_error(403, "Premium required", "PREMIUM_REQUIRED")
        state = self._player.state()
        if state.idle:
            return _player_error(404, "No active device found", "NO_ACTIVE_DEVICE")
        if skip and state.entry is not None and state.entry["currently_playing_type"] == "ad":
            # Skipping is disallowed during an ad; Spotify reports a restriction.
            return _player_error(403, "Restriction violated", "UNKNOWN")
        action()
        return no_content()

    def _play(self, request: Request) -> Response:
        return self._command(self._player.resume)

    def _pause(self, request: Request) -> Response:
        return self._command(self._player.pause)

    def _next(self, request: Request) -> Response:
        return self._command(self._player.skip_next, skip=True)

    def _previous(self, request: Request) -> Response:
        return self._command(self._player.skip_previous, skip=True)

    # -- library -------------------------------------------------------------------------

    def _uris(self, request: Request) -> list[str] | Response:
        raw = request.arg("uris")
        if not raw or not raw.strip():
            return api_error(400, "Missing required parameter: uris")
        uris = [uri.strip() for uri in raw.split(",")]
        bad = [uri for uri in uris if not _LIBRARY_URI.match(uri)]
        if bad:
            return api_error(400, f"Invalid URI: {bad[0]}")
        return uris

    def _save(self, request: Request) -> Response:
        uris = self._uris(request)
        if isinstance(uris, Response):
            return uris
        self._account.save(uris)
        return Response(200)

    def _unsave(self, request: Request) -> Response:
        uris = self._uris(request)
        if isinstance(uris, Response):
            return uris
        self._account.remove(uris)
        return Response(200)

    def _contains(self, request: Request) -> Response:
        uris = self._uris(request)
        if isinstance(uris, Response):
            return uris
        return json_response(200, self._account.contains(uris))
