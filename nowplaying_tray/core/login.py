"""The interactive login, as explicit steps we control.

spotipy does the protocol (PKCE challenge, authorize URL, code exchange). We own
the loopback listener, because spotipy's blocks without a timeout, serves a
single request (a favicon can eat the callback), cannot be cancelled and
crashes on ``error=access_denied`` when a state is set.
"""

from __future__ import annotations

import errno
import html
import logging
import secrets
import sys
import threading
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import requests

from nowplaying_tray.core.auth import make_auth_manager
from nowplaying_tray.core.errors import (
    InvalidClientId,
    LoginCancelled,
    LoginFailed,
    LoginTimedOut,
    MissingClientId,
    NowPlayingError,
    Offline,
    StateMismatch,
)
from nowplaying_tray.core.settings import Settings, is_valid_client_id, redirect_uri_for
from nowplaying_tray.core.spotipy_loader import SpotifyOauthError
from nowplaying_tray.core.token_store import KeyringTokenStore

logger = logging.getLogger(__name__)

CALLBACK_PATH = "/callback"


@dataclass(frozen=True)
class CallbackResult:
    code: str | None = None
    error: NowPlayingError | None = None


class _CallbackServer(ThreadingHTTPServer):
    # Threaded: a browser's idle preconnected socket must not hold up the real redirect.
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        # socketserver prints a traceback to stderr by default; browsers often open a
        # spare connection and reset it, which is not worth more than a debug line.
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            logger.debug("browser connection closed early: %s", error)
        else:
            logger.error("login listener connection failed", exc_info=error)


class CallbackListener:
    """A one-shot HTTP listener on 127.0.0.1 that waits for Spotify's redirect."""

    def __init__(self, preferred_port: int, expected_state: str) -> None:
        self._expected_state = expected_state
        self._result: CallbackResult | None = None
        self._done = threading.Event()
        self._finish_lock = threading.Lock()
        self._server = self._bind(preferred_port)
        self.port: int = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.2},
            name="login-listener",
            daemon=True,
        )
        self._thread.start()

    @property
    def redirect_uri(self) -> str:
        return redirect_uri_for(self.port)

    def wait(self, timeout: float, cancelled: threading.Event) -> CallbackResult:
        """Wait for the callback, a cancel, or the timeout, whichever comes first."""
        deadline_waits = max(1, int(timeout / 0.1))
        for _ in range(deadline_waits):
            if self._done.wait(0.1):
                assert self._result is not None
                return self._result
            if cancelled.is_set():
                return CallbackResult(error=LoginCancelled("The login was cancelled."))
        return CallbackResult(error=LoginTimedOut())

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _bind(self, preferred_port: int) -> _CallbackServer:
        handler = self._make_handler()
        try:
            return _CallbackServer(("127.0.0.1", preferred_port), handler)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise
        server = _CallbackServer(("127.0.0.1", 0), handler)
        logger.warning(
            "Port %d is busy; the login listens on port %d instead "
            "(Spotify accepts any port on 127.0.0.1)",
            preferred_port,
            server.server_address[1],
        )
        return server

    def _finish(self, result: CallbackResult) -> None:
        with self._finish_lock:  # two requests may race; the first answer wins
            if not self._done.is_set():
                self._result = result
                self._done.set()

    def _make_handler(self) -> type[BaseHTTPRequestHandler]:
        listener = self

        class Handler(BaseHTTPRequestHandler):
            timeout = 30  # an idle socket left open by the browser ends, not lingers

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                if url.path != CALLBACK_PATH:
                    # A favicon or any stray request must not end the login.
                    self._reply(404, "Not found", "This address only receives the login.")
                    return
                result = listener._interpret(parse_qs(url.query))
                if result.error is None:
                    self._reply(200, "Logged in", "You are logged in. You can close this tab.")
                else:
                    self._reply(400, result.error.title, result.error.message)
                listener._finish(result)

            def _reply(self, status: int, title: str, text: str) -> None:
                body = _page(title, text).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                # The default logs the full query string, which holds the code.
                logger.debug("Login listener answered a request for %s", urlsplit(self.path).path)

        return Handler

    def _interpret(self, query: dict[str, list[str]]) -> CallbackResult:
        state = query.get("state", [""])[0]
        if not secrets.compare_digest(state, self._expected_state):
            return CallbackResult(error=StateMismatch())
        error = query.get("error", [""])[0]
        if error == "access_denied":
            return CallbackResult(error=LoginCancelled())
        if error:
            return CallbackResult(error=LoginFailed(f"Spotify refused the login ({error})."))
        code = query.get("code", [""])[0]
        if not code:
            return CallbackResult(error=LoginFailed("Spotify came back without a login code."))
        return CallbackResult(code=code)


def _page(title: str, text: str) -> str:
    title, text = html.escape(title), html.escape(text)
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>Now Playing — {title}</title><style>"
        "body{font-family:system-ui,sans-serif;background:#121212;color:#fff;display:flex;"
        "align-items:center;justify-content:center;height:100vh;margin:0}"
        "main{max-width:28rem;text-align:center}h1{font-size:1.4rem}p{color:#b3b3b3}"
        f"</style></head><body><main><h1>{title}</h1><p>{text}</p></main></body></html>"
    )


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
        state = secrets.token_urlsafe(24)  # fresh for every attempt
        listener = CallbackListener(settings.redirect_port, state)
        try:
            auth = make_auth_manager(settings, self._store, self._session, listener.redirect_uri)
            auth.get_pkce_handshake_parameters()  # a fresh verifier for every attempt
            url = auth.get_authorize_url(state)
            logger.info("Opening the Spotify login page")
            if self._show_url:
                self._show_url(url)
            try:
                self._open_url(url)
            except webbrowser.Error:
                logger.warning("Could not open a browser; open the login address by hand")
            result = listener.wait(settings.login_timeout_s, self._cancelled)
        finally:
            listener.close()
        if result.error is not None:
            raise result.error
        assert result.code is not None
        self._exchange(auth, result.code)

    def _exchange(self, auth: object, code: str) -> None:
        try:
            auth.get_access_token(code, check_cache=False)  # type: ignore[attr-defined]
        except SpotifyOauthError as exc:
            raise LoginFailed(
                f"Spotify did not accept the login ({exc.error or 'unknown error'})."
            ) from exc
        except requests.RequestException as exc:
            raise Offline() from exc
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
        except requests.RequestException as exc:
            raise Offline() from exc
        try:
            error = response.json().get("error")
        except (ValueError, AttributeError):
            error = None
        if error == "invalid_client":
            raise InvalidClientId()
