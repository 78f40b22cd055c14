"""The Spotify gateway: every Web API call the app makes, over spotipy.

It owns one ``requests.Session`` with timeouts and no retries, so a 429 comes
straight back to us instead of sleeping inside the call for ``Retry-After``
(possibly hours). Every failure leaves here as one of the named errors in
``errors``, as ``error_mapping`` maps it; nothing else escapes.

Not thread-safe by design (spotipy's sessions are not): the app makes every
call from one worker thread.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import requests

from nowplaying_tray.core.auth import NonInteractivePKCE, make_auth_manager
from nowplaying_tray.core.bounded_http import mount_bounded
from nowplaying_tray.core.budget import RequestBudget
from nowplaying_tray.core.error_mapping import (
    MAPPED,
    AccessTokenRejected,
    map_exception,
    spotify_exception,
)
from nowplaying_tray.core.errors import (
    ApiUnavailable,
    AuthRequired,
    LoginExpired,
    MissingClientId,
    NowPlayingError,
    RateLimited,
)
from nowplaying_tray.core.limits import MAX_TEXT_CHARS
from nowplaying_tray.core.model import Playback, parse_playback
from nowplaying_tray.core.rate_limit import RateLimitWindow
from nowplaying_tray.core.settings import Settings
from nowplaying_tray.core.spotipy_loader import Spotify
from nowplaying_tray.core.text import printable
from nowplaying_tray.core.token_store import KeyringTokenStore

logger = logging.getLogger(__name__)

T = TypeVar("T")


class SpotifyGateway:
    """Reads playback and sends controls. Collaborators are passed in for tests."""

    def __init__(
        self,
        settings: Settings,
        store: KeyringTokenStore,
        session: requests.Session | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        budget: RequestBudget | None = None,
        rate_limit_path: Path | None = None,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self._settings = settings
        self._store = store
        self._monotonic = monotonic
        self.budget = budget
        self._session = session or requests.Session()
        mount_bounded(self._session)  # one deadline and a size cap for every answer
        self._last_response: requests.Response | None = None
        # Spotify's rate limit covers the whole app: one window, made here (every request
        # goes through the gateway, which opens it on any 429), read by the poller.
        self.rate_limit = RateLimitWindow(monotonic, rate_limit_path, wall_clock)
        # Spotify ended the login (invalid_grant): every call says so until a new login,
        # whichever call (a poll, a library check) happened to find out.
        self._login_ended = False
        self._session.hooks["response"].append(self._remember_response)
        # spotipy refuses to build without a client ID, so build on first use.
        self._client_cache: tuple[NonInteractivePKCE, Spotify] | None = None

    def _spotipy(self) -> tuple[NonInteractivePKCE, Spotify]:
        if self._client_cache is None:
            auth = make_auth_manager(self._settings, self._store, self._session)
            client = Spotify(
                auth_manager=auth,
                requests_session=self._session,
                requests_timeout=self._settings.request_timeout_s,
                retries=0,
                status_retries=0,
            )
            client.prefix = f"{self._settings.api_url}/"  # spotipy wants the trailing slash
            self._client_cache = (auth, client)
        return self._client_cache

    @property
    def _auth(self) -> NonInteractivePKCE:
        return self._spotipy()[0]

    @property
    def _client(self) -> Spotify:
        return self._spotipy()[1]

    def reconfigure(self, settings: Settings, store: KeyringTokenStore) -> None:
        """Use new settings (client ID, endpoints, timeouts) from the next call on."""
        self._settings = settings
        self._store = store
        self._client_cache = None
        self._login_ended = False
        if self.budget is not None:
            self.budget.set_limit(settings.daily_request_budget)

    @property
    def http(self) -> requests.Session:
        return self._session

    @property
    def store(self) -> KeyringTokenStore:
        return self._store

    def has_login(self) -> bool:
        return self._store.has_token()

    # reads ------------------------------------------------------------------------

    def current_playback(self) -> Playback:
        """One ``GET /me/player?additional_types=track,episode``."""
        body = self._call(lambda: self._client.current_playback(additional_types="track,episode"))
        read_at = self._monotonic()
        if body is None:
            # spotipy turns 204, an empty 200 and unreadable JSON all into None.
            response = self._last_response
            if response is not None and response.status_code == 200:
                return parse_playback(response.content, read_at)
            return Playback.idle(read_at)
        return parse_playback(body, read_at)

    def current_user(self) -> dict[str, Any]:
        user = self._call(self._client.current_user)
        if not isinstance(user, dict):
            raise ApiUnavailable("Spotify sent a profile that could not be read.")
        return user

    def display_name(self) -> str:
        user = self.current_user()
        name = str(user.get("display_name") or user.get("id") or "")[:MAX_TEXT_CHARS]
        return printable(name) or "Spotify user"  # shown in the terminal and the windows

    def is_saved(self, uri: str) -> bool:
        answer = self._call(lambda: self._library("GET", "me/library/contains", uri))
        return bool(isinstance(answer, list) and answer and answer[0] is True)

    # controls ---------------------------------------------------------------------

    def play(self) -> None:
        self._call(self._client.start_playback)

    def pause(self) -> None:
        self._call(self._client.pause_playback)

    def next(self) -> None:
        self._call(self._client.next_track)

    def previous(self) -> None:
        self._call(self._client.previous_track)

    def seek(self, position_ms: int) -> None:
        self._call(lambda: self._client.seek_track(max(0, int(position_ms))))

    def set_volume(self, percent: int) -> None:
        self._call(lambda: self._client.volume(min(100, max(0, int(percent)))))

    def set_shuffle(self, on: bool) -> None:
        self._call(lambda: self._client.shuffle(bool(on)))

    def set_repeat(self, state: str) -> None:  # track, context or off
        self._call(lambda: self._client.repeat(state))

    def save(self, uri: str) -> None:
        self._call(lambda: self._library("PUT", "me/library", uri))

    def unsave(self, uri: str) -> None:
        self._call(lambda: self._library("DELETE", "me/library", uri))

    def log_out(self) -> None:
        self._store.delete()

    def _library(self, method: str, path: str, uri: str) -> Any:
        """One call to Spotify's library endpoints, which spotipy has no public method for.

        It goes out on our session (bounded adapter, budget hook) and fails the way
        spotipy's calls do, so ``_mapped`` reads both alike.
        """
        token = self._auth.get_access_token()  # PKCE gives the bare token
        response = self._session.request(
            method,
            f"{self._settings.api_url}/{path}",
            params={"uris": uri},
            headers={"Authorization": f"Bearer {token}"},
            timeout=self._settings.request_timeout_s,
        )
        if response.status_code >= 400:
            raise spotify_exception(response)
        try:
            return response.json()
        except ValueError:
            return None  # an empty 200 or 204: nothing to read, as spotipy does

    # error mapping ----------------------------------------------------------------

    def _call(self, request: Callable[[], T]) -> T:
        if not self._settings.client_id:
            raise MissingClientId()
        if not self._store.has_token():
            raise LoginExpired() if self._login_ended else AuthRequired()
        if self._store.cannot_renew():
            raise LoginExpired("The stored login has expired and cannot be renewed. Log in again.")
        self._login_ended = False
        try:
            return self._mapped(request)
        except AccessTokenRejected:
            # A 401 with a token we thought valid: refresh once, then try again.
            self._refresh()
            try:
                return self._mapped(request)
            except AccessTokenRejected as exc:
                raise AuthRequired("Spotify no longer accepts this login. Log in again.") from exc

    def _refresh(self) -> None:
        token = self._store.get_cached_token()
        if not token or "refresh_token" not in token:
            raise AuthRequired()
        self._mapped(lambda: self._auth.refresh_access_token(token["refresh_token"]))

    def _mapped(self, request: Callable[[], T]) -> T:
        self.rate_limit.check()
        try:
            return request()
        except NowPlayingError:
            raise
        except MAPPED as exc:
            error = map_exception(exc, self._last_response)
            self._follow_up(error)
            raise error from exc

    def _follow_up(self, error: Exception) -> None:
        """What a mapped error changes for the calls after it."""
        if isinstance(error, RateLimited):
            self.rate_limit.limit(error)  # Spotify's limit covers every call of the app
        elif isinstance(error, LoginExpired):
            # Spotify refused the refresh token (invalid_grant): it will never work again.
            logger.info("The stored login was refused by Spotify; removing it")
            self._store.delete()
            self._login_ended = True

    def _remember_response(self, response: requests.Response, **_: Any) -> None:
        self._last_response = response
        # Every answer from Spotify counts against the day (album art comes from a CDN).
        if self.budget is not None and response.url.startswith(
            (self._settings.api_url, self._settings.accounts_url)
        ):
            self.budget.record()
