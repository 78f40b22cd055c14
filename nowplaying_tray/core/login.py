"""The interactive login, as explicit steps we control.

spotipy does the protocol (PKCE challenge, authorize URL, code exchange). We own
the loopback listener (``core.login_listener``) and the order of the steps.
"""

from __future__ import annotations

import linecache
import logging
import secrets
import threading
import webbrowser
from collections.abc import Callable

import requests

from nowplaying_tray.core.auth import make_auth_manager
from nowplaying_tray.core.bounded_http import ResponseTooLarge, UnexpectedRedirect, UnreadableAnswer
from nowplaying_tray.core.errors import (
    InvalidClientId,
    LoginFailed,
    MissingClientId,
    NowPlayingError,
    Offline,
)
from nowplaying_tray.core.settings import Settings, is_valid_client_id
from nowplaying_tray.core.spotipy_loader import SpotifyOauthError
from nowplaying_tray.core.token_store import KeyringTokenStore

logger = logging.getLogger(__name__)


class LoginFlow:
    """One login attempt: check the client ID, open the browser, catch the redirect, store.

    ``run`` blocks, so call it off the GUI thread; ``cancel`` may be called from any thread.
    """

    def __init__(
        self,
        settings: Settings,
        store: KeyringTokenStore,
        session: requests.Session,
        open_url: Callable[[str], object] = webbrowser.open,
        show_url: Callable[[str], None] | None = None,
    ) -> None:
        self._settings = settings
        self._store = store
        self._session = session
        self._open_url = open_url
        self._show_url = show_url
        self._cancelled = threading.Event()
        self._browser: threading.Thread | None = None

    def cancel(self) -> None:
        self._cancelled.set()

    def run(self) -> None:
        settings = self._settings
        if not settings.client_id:
            raise MissingClientId()
        if not is_valid_client_id(settings.client_id):
            raise InvalidClientId(
                "The client ID should be 32 hexadecimal characters; "
                "copy it from your app's page on developer.spotify.com."
            )
        self._store.check_available()  # no keyring: say so before the browser opens
        self._check_client_known()
        # Loaded by the first login only: a returning user never needs it. Its source text,
        # read by PySide at the import, is not kept (as at start-up, see launch.py).
        from nowplaying_tray.core.login_listener import CallbackListener

        linecache.clearcache()
        state = secrets.token_urlsafe(24)  # fresh for every attempt
        listener = CallbackListener(settings.redirect_port, state)
        try:
            auth = make_auth_manager(settings, self._store, self._session, listener.redirect_uri)
            auth.get_pkce_handshake_parameters()  # a fresh verifier for every attempt
            url = auth.get_authorize_url(state)
            logger.info("Opening the Spotify login page")
            if self._show_url:
                self._show_url(url)
            self._open_browser(url)
            result = listener.wait(settings.login_timeout_s, self._cancelled)
            if result.error is not None:
                raise result.error
            assert result.code is not None
            try:
                self._exchange(auth, result.code)
            except NowPlayingError as exc:
                listener.complete(exc)
                raise
            listener.complete(None)
        finally:
            listener.close()
            self._join_browser()

    def _open_browser(self, url: str) -> None:
        # On its own thread: some browsers (a terminal one, a test's) do not return
        # before the redirect has been answered, and that answer waits for the exchange.
        def open_it() -> None:
            try:
                self._open_url(url)
            except webbrowser.Error:
                logger.warning("Could not open a browser; open the login address by hand")

        self._browser = threading.Thread(target=open_it, name="login-browser", daemon=True)
        self._browser.start()

    def _join_browser(self) -> None:
        # A browser that has been answered returns at once; one that hangs is left behind.
        if self._browser is not None:
            self._browser.join(timeout=5)
            self._browser = None

    def _exchange(self, auth: object, code: str) -> None:
        try:
            auth.get_access_token(code, check_cache=False)  # type: ignore[attr-defined]
        except SpotifyOauthError as exc:
            error = str(exc.error or "unknown error")[:100]
            raise LoginFailed(f"Spotify did not accept the login ({error}).") from exc
        except (UnexpectedRedirect, ResponseTooLarge, UnreadableAnswer) as exc:
            raise LoginFailed(f"Spotify's login service sent {exc}.") from exc
        except requests.RequestException as exc:
            raise Offline() from exc
        except (ValueError, KeyError, TypeError, AttributeError, OverflowError) as exc:
            # Not JSON, or JSON without a usable token (no access_token, no expires_in).
            logger.info("Unusable token answer: %s", type(exc).__name__)
            raise LoginFailed(
                "Spotify's login service answered without a usable login token. Try again."
            ) from exc
        logger.info("Login completed; the token is kept in %s", self._store.place)

    def _check_client_known(self) -> None:
        """Ask the token endpoint about the client ID, so a typo fails now, not in 5 minutes.

        A made-up code with a known client gets ``invalid_grant``; an unknown
        client gets ``invalid_client``.
        """
        try:
            response = self._session.post(
                f"{self._settings.accounts_url}/api/token",
                data={
                    "grant_type": "authorization_code",
                    "code": "client-check",
                    "redirect_uri": self._settings.redirect_uri,
                    "client_id": self._settings.client_id,
                    "code_verifier": "client-check-" + "0" * 43,
                },
                timeout=self._settings.request_timeout_s,
            )
        except (UnexpectedRedirect, ResponseTooLarge) as exc:
            raise LoginFailed(f"Spotify's login service sent {exc}.") from exc
        except requests.RequestException as exc:
            raise Offline() from exc
        try:
            error = response.json().get("error")
        except (ValueError, AttributeError, UnreadableAnswer):
            error = None
        if error == "invalid_client":
            raise InvalidClientId()
