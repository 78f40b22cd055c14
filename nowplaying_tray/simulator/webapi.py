"""HTTP endpoints of the simulated api.spotify.com (the /v1 Web API subset the app uses)."""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .account import NOT_ALLOW_LISTED_WORDINGS, Account
from .auth import AuthState
from .catalog import render_item
from .http_types import Request, Response, api_error, json_response, no_content, text_response
from .timeline import PlaybackState, Player

logger = logging.getLogger(__name__)

# Both development-mode gates answer 403 with a plain-text body, not the JSON error shape.
OWNER_NOT_PREMIUM = (
    "Active premium subscription required for the owner of the app. When the subscription "
    "status changes, it can take a few hours before requests are allowed again."
)
NOT_ALLOW_LISTED = NOT_ALLOW_LISTED_WORDINGS["check_settings"]
# /me/library takes every kind of URI the spec lists, at most 40 per call.
_LIBRARY_URI = re.compile(
    r"^spotify:(?:(?:track|album|episode|show|audiobook|artist|playlist):[0-9A-Za-z]{22}"
    r"|user:[0-9A-Za-z._-]{1,64})$"
)
MAX_LIBRARY_URIS = 40
# A player command is refused while actions.disallows forbids it.
_COMMAND_FLAGS = {
    "play": "resuming",
    "pause": "pausing",
    "next": "skipping_next",
    "previous": "skipping_prev",
    "seek": "seeking",
    "shuffle": "toggling_shuffle",
    "repeat track": "toggling_repeat_track",
    "repeat context": "toggling_repeat_context",
}
REPEAT_STATES = ("track", "context", "off")


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
        # How many reads after each player command show ``item: null`` while playing, as
        # real Spotify does during a transition. Off by default.
        self.transition_reads = 0
        self._transition_lock = threading.Lock()
        self._transition_left = 0
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
            "/v1/me/player/seek": {"PUT": _Route(self._seek, modify)},
            "/v1/me/player/volume": {"PUT": _Route(self._volume, modify)},
            "/v1/me/player/shuffle": {"PUT": _Route(self._shuffle, modify)},
            "/v1/me/player/repeat": {"PUT": _Route(self._repeat, modify)},
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
            return text_response(403, OWNER_NOT_PREMIUM)
        if not self._account.allow_listed:
            wording = self._account.not_allow_listed_wording
            return text_response(403, NOT_ALLOW_LISTED_WORDINGS[wording])
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
        body = self._playback_body(state, types, full)
        if self._take_transition_read():
            body.update(item=None, is_playing=True, progress_ms=0)
        return json_response(200, body)

    def _take_transition_read(self) -> bool:
        with self._transition_lock:
            if self._transition_left <= 0:
                return False
            self._transition_left -= 1
            return True

    def _playback_body(
        self, state: PlaybackState, additional_types: set[str], full: bool
    ) -> dict[str, Any]:
        entry = state.entry or {}
        kind = entry["currently_playing_type"]
        # Tracks always come back; other types only when asked for via additional_types.
        shown = kind == "track" or kind in additional_types
        item = render_item(entry, self._base_url()) if shown else None
        body: dict[str, Any] = {}
        if full:
            body["device"] = state.device
            body["shuffle_state"] = state.shuffle
            body["repeat_state"] = state.repeat_state
        body.update(
            timestamp=int(state.changed_at * 1000),  # the last change, not the time of asking
            context=state.context,
            progress_ms=state.progress_ms,
            item=item,
            currently_playing_type=kind,
            actions={"disallows": _disallows(state)},
            is_playing=state.is_playing,
        )
        return body

    # -- playback commands ---------------------------------------------------------------

    def _command(self, name: str, action: Callable[[], None], *, checked: bool = True) -> Response:
        if not self._account.premium:
            return _player_error(403, "Premium required", "PREMIUM_REQUIRED")
        state = self._player.state()
        if state.idle:
            return _player_error(404, "No active device found", "NO_ACTIVE_DEVICE")
        if name == "repeat off":  # turning repeat off toggles whichever mode is on
            name = "repeat track" if state.repeat_state == "track" else "repeat context"
        if checked and _COMMAND_FLAGS[name] in _disallows(state):
            # Pausing while paused, resuming while playing, skipping an ad.
            return _player_error(403, "Restriction violated", "UNKNOWN")
        action()
        with self._transition_lock:
            self._transition_left = self.transition_reads
        return no_content()

    def _play(self, request: Request) -> Response:
        # A body naming what to play starts it even while something plays.
        checked = not _starts_new_playback(request)
        return self._command("play", self._player.resume, checked=checked)

    def _pause(self, request: Request) -> Response:
        return self._command("pause", self._player.pause)

    def _next(self, request: Request) -> Response:
        return self._command("next", self._player.skip_next)

    def _previous(self, request: Request) -> Response:
        return self._command("previous", self._player.skip_previous)

    def _seek(self, request: Request) -> Response:
        position = _int_arg(request, "position_ms", 0, None)
        if isinstance(position, Response):
            return position
        return self._command("seek", lambda: self._player.seek(position))

    def _volume(self, request: Request) -> Response:
        percent = _int_arg(request, "volume_percent", 0, 100)
        if isinstance(percent, Response):
            return percent
        if self._account.premium and not self._player.state().device.get("supports_volume"):
            return _player_error(403, "Cannot control device volume", "VOLUME_CONTROL_DISALLOW")
        return self._command("volume", lambda: self._player.set_volume(percent), checked=False)

    def _shuffle(self, request: Request) -> Response:
        state = (request.arg("state") or "").strip().lower()
        if state not in ("true", "false"):
            return api_error(400, "Required parameter state missing or not true or false")
        return self._command("shuffle", lambda: self._player.set_shuffle(state == "true"))

    def _repeat(self, request: Request) -> Response:
        state = (request.arg("state") or "").strip().lower()
        if state not in REPEAT_STATES:
            return api_error(400, "Required parameter state missing or not track, context or off")
        return self._command(f"repeat {state}", lambda: self._player.set_repeat_state(state))

    # -- library -------------------------------------------------------------------------

    def _uris(self, request: Request) -> list[str] | Response:
        raw = request.arg("uris")
        if not raw or not raw.strip():
            return api_error(400, "Missing required parameter: uris")
        uris = [uri.strip() for uri in raw.split(",")]
        if len(uris) > MAX_LIBRARY_URIS:
            return api_error(400, f"Too many URIs: at most {MAX_LIBRARY_URIS} per request")
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


def _int_arg(request: Request, name: str, lowest: int, highest: int | None) -> int | Response:
    raw = request.arg(name)
    if raw is None:
        return api_error(400, f"Required parameter {name} missing")
    try:
        value = int(raw)
    except ValueError:
        return api_error(400, f"Invalid {name}")
    if value < lowest or (highest is not None and value > highest):
        return api_error(400, f"Invalid {name}")
    return value


def _disallows(state: PlaybackState) -> dict[str, bool]:
    """``actions.disallows``: only the flags that are true, as Spotify sends them."""
    disallows = {"resuming": True} if state.is_playing else {"pausing": True}
    if state.entry is not None and state.entry["currently_playing_type"] == "ad":
        disallows.update(skipping_next=True, skipping_prev=True, seeking=True)
    if state.context is None:  # items played on their own: nothing to shuffle or repeat
        disallows.update(toggling_repeat_context=True, toggling_repeat_track=True)
        disallows["toggling_shuffle"] = True
    return disallows


def _starts_new_playback(request: Request) -> bool:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return False
    return isinstance(body, dict) and bool(body.get("uris") or body.get("context_uri"))
