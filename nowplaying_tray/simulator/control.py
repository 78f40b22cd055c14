"""The simulator's own /_sim endpoints: remote control, request log and state.

These let another process (a benchmark, a browser test, a test of the app) script
the simulator over HTTP. They are neither logged nor subject to faults. Part of the
test harness; the album art under /_sim/art/ is served by ``images``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .catalog import entry_artists, entry_title, make_track
from .http_types import Request, Response, json_response

if TYPE_CHECKING:
    from .quota import DailyQuota
    from .simulator import SpotifySimulator

logger = logging.getLogger(__name__)

# Argument kinds for control actions; checked strictly so "false" is not taken as True.
BOOL, INT, OPT_INT, NUMBER, STR = "bool", "int", "int or null", "number", "string"


def _matches(value: Any, kind: str) -> bool:
    if kind == BOOL:
        return isinstance(value, bool)
    if kind == STR:
        return isinstance(value, str)
    if isinstance(value, bool):
        return False
    if kind == INT:
        return isinstance(value, int)
    if kind == OPT_INT:
        return value is None or isinstance(value, int)
    return isinstance(value, (int, float))  # NUMBER


class _Action:
    def __init__(
        self, call: Callable[..., None], params: dict[str, str], required: tuple[str, ...] = ()
    ) -> None:
        self.call = call
        self.params = params
        self.required = required

    def run(self, kwargs: dict[str, Any]) -> None:
        unexpected = sorted(set(kwargs) - set(self.params))
        if unexpected:
            raise ValueError(f"unexpected argument(s): {', '.join(unexpected)}")
        missing = [name for name in self.required if name not in kwargs]
        if missing:
            raise ValueError(f"missing argument(s): {', '.join(missing)}")
        for name, value in kwargs.items():
            if not _matches(value, self.params[name]):
                raise ValueError(f"{name} must be a {self.params[name]}")
        self.call(**kwargs)


class ControlApi:
    def __init__(self, simulator: SpotifySimulator, quota: DailyQuota) -> None:
        self._sim = simulator
        self._quota = quota
        player = simulator.player
        self._actions: dict[str, _Action] = {
            "skip_next": _Action(player.skip_next, {}),
            "skip_previous": _Action(player.skip_previous, {}),
            "pause": _Action(player.pause, {}),
            "resume": _Action(player.resume, {}),
            "seek": _Action(player.seek, {"ms": INT}, ("ms",)),
            "set_idle": _Action(player.set_idle, {}),
            "set_private_session": _Action(player.set_private_session, {"on": BOOL}, ("on",)),
            "play_index": _Action(player.play_index, {"index": INT}, ("index",)),
            "set_repeat": _Action(self._set_repeat, {"on": BOOL}, ("on",)),
            "set_premium": _Action(simulator.set_premium, {"premium": BOOL}, ("premium",)),
            "set_owner_premium": _Action(
                simulator.set_owner_premium, {"premium": BOOL}, ("premium",)
            ),
            "set_allow_listed": _Action(
                simulator.set_allow_listed, {"allowed": BOOL, "wording": STR}, ("allowed",)
            ),
            "set_transition_reads": _Action(
                simulator.set_transition_reads, {"reads": INT}, ("reads",)
            ),
            "set_access_token_lifetime": _Action(
                simulator.set_access_token_lifetime, {"seconds": INT}, ("seconds",)
            ),
            "expire_access_tokens": _Action(simulator.expire_access_tokens, {}),
            "revoke_refresh_tokens": _Action(simulator.revoke_refresh_tokens, {}),
            "age_logins": _Action(simulator.age_logins, {"days": NUMBER}, ("days",)),
            "expire_refresh_tokens": _Action(simulator.expire_refresh_tokens, {}),
            "set_daily_quota": _Action(
                simulator.set_daily_quota,
                {"limit": OPT_INT, "window_s": NUMBER, "lockout_s": NUMBER},
                ("limit",),
            ),
            "fail_next": _Action(
                simulator.fail_next,
                {
                    "kind": STR,
                    "times": OPT_INT,
                    "path": STR,
                    "status": INT,
                    "retry_after": OPT_INT,
                    "quota_exceeded": BOOL,
                    "delay": NUMBER,
                    "body": BOOL,
                    "retry_after_text": STR,
                    "shape": STR,
                    "size": INT,
                    "location": STR,
                },
                ("kind",),
            ),
            "clear_faults": _Action(simulator.clear_faults, {}),
            "clear_log": _Action(simulator.clear_log, {}),
            "set_auto_approve": _Action(self._set_auto_approve, {"on": BOOL}, ("on",)),
            "play_track": _Action(
                self._play_track,
                {"title": STR, "artist": STR, "album": STR, "duration_ms": INT},
                ("title", "artist"),
            ),
        }

    @property
    def action_names(self) -> list[str]:
        return sorted(self._actions)

    def _set_auto_approve(self, on: bool) -> None:
        self._sim.auto_approve = on

    def _play_track(
        self, title: str, artist: str, album: str = "", duration_ms: int = 180_000
    ) -> None:
        """Play one track with exactly these texts (to test how odd titles are shown)."""
        self._sim.player.set_queue([make_track(title, [artist], album, duration_ms)])

    def _set_repeat(self, on: bool) -> None:
        self._sim.player.repeat = on

    def handle(self, request: Request) -> Response:
        if request.path == "/_sim/control" and request.method == "POST":
            return self._control(request)
        if request.path == "/_sim/requests" and request.method == "GET":
            return json_response(200, [entry.as_dict() for entry in self._sim.requests])
        if request.path == "/_sim/state" and request.method == "GET":
            return json_response(200, self.state())
        return json_response(404, {"ok": False, "error": "no such simulator endpoint"})

    def _control(self, request: Request) -> Response:
        # A web page may POST here (CSRF): text/plain needs no CORS preflight, and a
        # JSON body does, which this server never grants; a page's Origin is refused too.
        content_type = (request.header("Content-Type") or "").split(";")[0].strip().lower()
        if content_type != "application/json":
            return json_response(
                415, {"ok": False, "error": "Content-Type must be application/json"}
            )
        origin = request.header("Origin")
        if origin is not None and origin.rstrip("/") != self._sim.base_url:
            return json_response(403, {"ok": False, "error": "foreign Origin refused"})
        try:
            payload = json.loads(request.body or b"null")
        except ValueError:
            return json_response(400, {"ok": False, "error": "body must be JSON"})
        if not isinstance(payload, dict) or not isinstance(payload.get("action"), str):
            return json_response(400, {"ok": False, "error": 'expected {"action": "<name>", ...}'})
        kwargs = dict(payload)
        name = kwargs.pop("action")
        action = self._actions.get(name)
        if action is None:
            known = ", ".join(self.action_names)
            return json_response(
                400, {"ok": False, "error": f"unknown action {name!r}; known: {known}"}
            )
        try:
            action.run(kwargs)
        except (ValueError, IndexError, TypeError) as exc:
            return json_response(400, {"ok": False, "error": str(exc)})
        logger.debug("control action %s applied", name)
        return json_response(200, {"ok": True})

    def state(self) -> dict[str, Any]:
        """A compact summary of what is playing and how the simulator is configured."""
        sim = self._sim
        playback = sim.player.state()
        entry = playback.entry
        label = "idle" if playback.idle else "playing" if playback.is_playing else "paused"
        return {
            "state": label,
            "title": entry_title(entry) if entry else None,
            "artists": entry_artists(entry) if entry else [],
            "currently_playing_type": entry["currently_playing_type"] if entry else None,
            "index": playback.index,
            "progress_ms": playback.progress_ms,
            "duration_ms": entry["duration_ms"] if entry else None,
            "private_session": playback.private_session,
            "repeat": playback.repeat,
            "premium": sim.account.premium,
            "owner_premium": sim.account.owner_premium,
            "allow_listed": sim.account.allow_listed,
            "auto_approve": sim.auto_approve,
            "quota": self._quota.state(),
        }
