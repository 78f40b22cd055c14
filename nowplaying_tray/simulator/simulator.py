"""SpotifySimulator: wires the simulated accounts service, Web API and player to a server.

With ``harness=True`` (the default, for tests and benchmarks) it also has scripted
faults, a daily quota, a request log and the /_sim/ control API (``harness``); the
demo runs without them, so the frozen app need not carry them.
"""

from __future__ import annotations

import importlib.util
import logging
import threading
import time
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import TYPE_CHECKING, Any

from . import accounts, lrclib
from .account import NOT_ALLOW_LISTED_WORDINGS, Account
from .accounts import AccountsService
from .auth import AuthState
from .catalog import DEMO_CONTEXT_NAME, demo_playlist, make_context
from .http_types import Request, Response, api_error, json_response
from .images import art_response
from .lrclib import LrclibService
from .server import INTERNAL_PREFIX, SimulatorHTTPServer
from .timeline import Player
from .webapi import WebApi

if TYPE_CHECKING:
    from .harness import Harness
    from .requestlog import RecordedRequest

logger = logging.getLogger(__name__)

DEMO_CLIENT_ID = "5e1a7c3f9b2d4e6a8c0f1b3d5e7a9c2b"
_POLL_INTERVAL_S = 0.5  # stop() wakes the serve loop itself, so this is only a backstop


def harness_included() -> bool:
    """Whether this copy of the app has the test harness (the frozen app leaves it out)."""
    return importlib.util.find_spec(f"{__package__}.harness") is not None


class SpotifySimulator:
    """A local stand-in for accounts.spotify.com and api.spotify.com on 127.0.0.1.

    Both services share one origin: ``accounts_url`` equals ``base_url`` and the Web
    API lives under ``api_url`` (``base_url + "/v1"``).
    """

    def __init__(
        self,
        *,
        port: int = 0,
        client_ids: Iterable[str] = (DEMO_CLIENT_ID,),
        auto_approve: bool = False,
        playlist: list[dict[str, Any]] | None = None,
        clock: Callable[[], float] = time.time,
        repeat: bool = True,
        access_token_lifetime: int = 3600,
        harness: bool = True,
    ) -> None:
        self._requested_port = port
        self._port = port
        self._clock = clock
        self.account = Account()
        self._auth = AuthState(
            clock=clock,
            client_ids=client_ids,
            access_token_lifetime=access_token_lifetime,
            auto_approve=auto_approve,
        )
        # The demo playlist plays from a playlist, so ``context`` is filled as in real life.
        self.player = Player(
            demo_playlist() if playlist is None else playlist,
            clock=clock,
            repeat=repeat,
            context=make_context("playlist", DEMO_CONTEXT_NAME) if playlist is None else None,
        )
        self._accounts = AccountsService(
            self._auth, lambda: str(self.account.user.get("display_name") or "")
        )
        self._webapi = WebApi(
            auth=self._auth,
            account=self.account,
            player=self.player,
            base_url=lambda: self.base_url,
            clock=clock,
        )
        self._harness: Harness | None = None
        if harness:
            from .harness import Harness  # left out of the frozen app

            self._harness = Harness(self, clock)
        # LRCLIB on the same origin: point the app's lyrics URL at ``base_url``.
        self.lyrics = LrclibService()
        self._lifecycle = threading.Lock()
        self._server: SimulatorHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------------------

    def start(self) -> SpotifySimulator:
        """Bind 127.0.0.1:port (0 picks a free port) and serve from a daemon thread."""
        with self._lifecycle:
            if self._server is not None:
                raise RuntimeError("simulator already started")
            server = SimulatorHTTPServer(
                self._requested_port,
                dispatch=self.dispatch,
                faults=self._harness.faults if self._harness is not None else None,
                log=self._harness.log if self._harness is not None else None,
                clock=self._clock,
            )
            self._port = server.server_port
            thread = threading.Thread(
                target=server.serve_forever,
                kwargs={"poll_interval": _POLL_INTERVAL_S},
                name=f"spotify-simulator-{self._port}",
                daemon=True,
            )
            self._server, self._thread = server, thread
            thread.start()
        logger.debug("Spotify simulator listening on %s", self.base_url)
        return self

    def stop(self) -> None:
        """Stop serving and close the socket; safe to call more than once."""
        with self._lifecycle:
            server, thread = self._server, self._thread
            self._server = self._thread = None
        if server is None or thread is None:
            return
        server.stop_serving()
        server.server_close()
        server.close_connections()
        thread.join()
        logger.debug("Spotify simulator on port %s stopped", self._port)

    def __enter__(self) -> SpotifySimulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        running = "running" if self._server is not None else "stopped"
        return f"<SpotifySimulator port={self._port} {running}>"

    # -- addresses -----------------------------------------------------------------------

    @property
    def port(self) -> int:
        return self._port

    @property
    def base_url(self) -> str:
        if not self._port:
            raise RuntimeError("the simulator has no port yet; call start() first")
        return f"http://127.0.0.1:{self._port}"

    @property
    def accounts_url(self) -> str:
        return self.base_url

    @property
    def api_url(self) -> str:
        return self.base_url + "/v1"

    # -- account and app setup -----------------------------------------------------------

    @property
    def auto_approve(self) -> bool:
        return self._auth.auto_approve

    @auto_approve.setter
    def auto_approve(self, on: bool) -> None:
        self._auth.auto_approve = bool(on)

    @property
    def user(self) -> dict[str, Any]:
        return self.account.user

    @user.setter
    def user(self, value: dict[str, Any]) -> None:
        self.account.user = value

    @property
    def enforce_scopes(self) -> bool:
        """Whether /v1 calls need the right scopes (403 "Insufficient client scope")."""
        return self._webapi.enforce_scopes

    @enforce_scopes.setter
    def enforce_scopes(self, on: bool) -> None:
        self._webapi.enforce_scopes = bool(on)

    def register_client(
        self, client_id: str, *, name: str | None = None, redirect_uris: Iterable[str] = ()
    ) -> None:
        """Register an app; ``redirect_uris`` are extra exact-match URIs (e.g. https)."""
        self._auth.register_client(client_id, name=name, redirect_uris=redirect_uris)

    def set_premium(self, premium: bool) -> None:
        self.account.premium = bool(premium)

    def set_owner_premium(self, premium: bool) -> None:
        self.account.owner_premium = bool(premium)

    def set_allow_listed(self, allowed: bool, wording: str | None = None) -> None:
        """``wording``: which real refusal text to send, "check_settings" or "dashboard"."""
        if wording is not None:
            if wording not in NOT_ALLOW_LISTED_WORDINGS:
                known = ", ".join(sorted(NOT_ALLOW_LISTED_WORDINGS))
                raise ValueError(f"wording must be one of {known}")
            self.account.not_allow_listed_wording = wording
        self.account.allow_listed = bool(allowed)

    def set_transition_reads(self, reads: int) -> None:
        """After each player command, answer this many reads with ``item: null`` while
        playing, as Spotify does during a transition (0, the default: never)."""
        if reads < 0:
            raise ValueError("reads must not be negative")
        self._webapi.transition_reads = reads

    def set_access_token_lifetime(self, seconds: int) -> None:
        self._auth.set_access_token_lifetime(seconds)

    def expire_access_tokens(self) -> None:
        self._auth.expire_access_tokens()

    def revoke_refresh_tokens(self) -> None:
        self._auth.revoke_refresh_tokens()

    def age_logins(self, days: float) -> None:
        """Move every authorization ``days`` into the past (refresh tokens live 6 months)."""
        self._auth.age_logins(days * 24 * 3600)

    def expire_refresh_tokens(self) -> None:
        """Every refresh token past its 6 months: the next refresh gets ``invalid_grant``."""
        self._auth.expire_refresh_tokens()

    # -- the harness: faults, quota, request log ---------------------------------------------

    @property
    def harness(self) -> Harness:
        if self._harness is None:
            raise RuntimeError("this simulator runs without its test harness (harness=False)")
        return self._harness

    def set_daily_quota(self, limit: int | None, **options: float) -> None:
        """See ``Harness.set_daily_quota``."""
        self.harness.set_daily_quota(limit, **options)

    def fail_next(self, kind: str, **options: Any) -> None:
        """See ``Harness.fail_next``."""
        self.harness.fail_next(kind, **options)

    def clear_faults(self) -> None:
        self.harness.faults.clear()

    @property
    def requests(self) -> list[RecordedRequest]:
        """A snapshot of every request answered (or dropped) outside /_sim/."""
        return self.harness.log.snapshot()

    def count(self, path: str | None = None, method: str | None = None) -> int:
        return self.harness.log.count(path, method)

    def clear_log(self) -> None:
        self.harness.log.clear()

    # -- routing -------------------------------------------------------------------------

    def dispatch(self, request: Request) -> Response:
        if request.path.startswith(INTERNAL_PREFIX):
            art = art_response(request)  # the covers, which the demo shows too
            if art is not None:
                return art
            if self._harness is not None:
                return self._harness.control.handle(request)
            return json_response(404, {"ok": False, "error": "no such simulator endpoint"})
        if request.path in lrclib.PATHS:
            return self.lyrics.handle(request)
        if request.path in accounts.PATHS:
            return self._accounts.handle(request)
        if request.path == "/v1" or request.path.startswith("/v1/"):
            refused = self._harness.quota.take() if self._harness is not None else None
            return refused or self._webapi.handle(request)
        return api_error(404, "Service not found")
