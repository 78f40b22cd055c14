"""The loopback listener that catches Spotify's redirect at the end of a login.

spotipy's own blocks without a timeout, serves a single request (a favicon can
eat the callback), cannot be cancelled and crashes on ``error=access_denied``
when a state is set; this one does none of that.
"""

from __future__ import annotations

import errno
import html
import logging
import secrets
import sys
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from nowplaying_tray.core.errors import (
    LoginCancelled,
    LoginFailed,
    LoginTimedOut,
    NowPlayingError,
    StateMismatch,
)
from nowplaying_tray.core.settings import redirect_uri_for

logger = logging.getLogger(__name__)

CALLBACK_PATH = "/callback"


@dataclass(frozen=True)
class CallbackResult:
    code: str | None = None
    error: NowPlayingError | None = None


@dataclass(frozen=True)
class _Refusal:
    """A request to /callback that is not this login's answer: refused, the login waits on."""

    reason: str


# How long the browser's request waits for the code exchange before it is told it failed.
EXCHANGE_WAIT_S = 60.0
# The parameters Spotify sends once each; a repeated one is not Spotify's redirect.
_SINGLE_PARAMS = ("state", "code", "error")


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
    """A one-shot HTTP listener on 127.0.0.1 that waits for Spotify's redirect.

    Requests that are not this login's answer (wrong or missing ``state``, a repeated
    parameter, another ``Host``) get a 400 and the login keeps waiting: a web page
    can send them with an ``<img>``. The browser's page waits for ``complete`` so it
    says "logged in" only once the code exchange worked.
    """

    def __init__(
        self, preferred_port: int, expected_state: str, idle_timeout_s: float = 30.0
    ) -> None:
        self._expected_state = expected_state
        self._idle_timeout_s = idle_timeout_s
        self._result: CallbackResult | None = None
        self._refused = False
        self._done = threading.Event()
        self._finish_lock = threading.Lock()
        self._outcome: NowPlayingError | None = None
        self._outcome_ready = threading.Event()
        self._replied = threading.Event()
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
        # Only answers for another attempt came back: say so, it is more telling.
        return CallbackResult(error=StateMismatch() if self._refused else LoginTimedOut())

    def complete(self, failure: NowPlayingError | None) -> None:
        """The outcome of the code exchange, for the browser's page (None: logged in)."""
        self._outcome = failure
        self._outcome_ready.set()

    def close(self) -> None:
        if not self._outcome_ready.is_set():
            self.complete(LoginFailed("The login did not finish. Try again."))
        if self._done.is_set():
            self._replied.wait(5)  # let the browser's page go out before the server stops
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

    def _finish(self, result: CallbackResult) -> bool:
        """True if ``result`` is the login's answer (two requests may race; first wins)."""
        with self._finish_lock:
            if self._done.is_set():
                return False
            self._result = result
            self._done.set()
            return True

    def _make_handler(self) -> type[BaseHTTPRequestHandler]:
        listener = self

        class Handler(BaseHTTPRequestHandler):
            timeout = listener._idle_timeout_s  # an idle socket left open ends, not lingers
            _unreadable = False

            def do_GET(self) -> None:
                if self.headers.get("Host") != f"127.0.0.1:{listener.port}":
                    # DNS rebinding: a page whose name resolves to 127.0.0.1.
                    logger.info("Login listener refused a request for another host")
                    self._reply(400, "Wrong address", "This address only receives the login.")
                    return
                url = urlsplit(self.path)
                if url.path != CALLBACK_PATH:
                    # A favicon or any stray request must not end the login.
                    self._reply(404, "Not found", "This address only receives the login.")
                    return
                verdict = listener._interpret(parse_qs(url.query, keep_blank_values=True))
                if isinstance(verdict, _Refusal):
                    logger.info("Login listener refused a callback: %s", verdict.reason)
                    listener._refused = True
                    self._reply(400, "Not this login", verdict.reason)
                    return
                if not listener._finish(verdict):
                    self._reply(400, "Login finished", "This login has already finished.")
                    return
                try:
                    if verdict.error is not None:
                        self._reply(400, verdict.error.title, verdict.error.message)
                    else:
                        self._reply_outcome()
                finally:
                    listener._replied.set()

            def _reply_outcome(self) -> None:
                if not listener._outcome_ready.wait(EXCHANGE_WAIT_S):
                    self._reply(504, "Login failed", "The login did not finish in time.")
                elif listener._outcome is None:
                    self._reply(200, "Logged in", "You are logged in. You can close this tab.")
                else:
                    self._reply(502, listener._outcome.title, listener._outcome.message)

            def _reply(self, status: int, title: str, text: str) -> None:
                body = _page(title, text).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

            # The defaults log the request line, which holds the code, and run before
            # ``self.path`` exists for a request that could not be parsed.
            def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
                if self._unreadable:
                    return  # log_error has said it in one line
                path = urlsplit(getattr(self, "path", "")).path
                logger.debug("Login listener answered %s for %s", code, path)

            def log_error(self, format: str, *args: object) -> None:
                self._unreadable = True
                reason = _unreadable_reason(format, args)
                logger.info("Login listener dropped a request: %s", reason)

            def log_message(self, format: str, *args: object) -> None:
                logger.debug("Login listener: %s", format.split("%")[0].strip() or "message")

        return Handler

    def _interpret(self, query: dict[str, list[str]]) -> CallbackResult | _Refusal:
        repeated = [name for name in _SINGLE_PARAMS if len(query.get(name, [])) > 1]
        if repeated:
            return _Refusal(f"The parameter {repeated[0]!r} appears more than once.")
        state = query.get("state", [""])[0]
        if not secrets.compare_digest(state.encode(), self._expected_state.encode()):
            return _Refusal("This answer does not belong to the login in progress.")
        error = query.get("error", [""])[0]
        if error == "access_denied":
            return CallbackResult(error=LoginCancelled())
        if error:
            return CallbackResult(error=LoginFailed(f"Spotify refused the login ({error[:100]})."))
        code = query.get("code", [""])[0]
        if not code:
            return CallbackResult(error=LoginFailed("Spotify came back without a login code."))
        return CallbackResult(code=code)


def _unreadable_reason(format: str, args: tuple[object, ...]) -> str:
    """A short reason for a request http.server refused, without its (secret) contents."""
    if format.startswith("code %d") and args:
        return f"HTTP {args[0]} for an unreadable request"
    if "timed out" in format:
        return "an idle connection timed out"
    return format.split("%")[0].strip() or "an unreadable request"


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
