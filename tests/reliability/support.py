"""Shared pieces of the reliability tests: a keyring that can be locked, and a crash watch."""

from __future__ import annotations

import json
import logging
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import requests
from keyring.errors import InitError, KeyringLocked

from nowplaying_tray.core.errors import NowPlayingError
from nowplaying_tray.core.memory_keyring import MemoryKeyring
from nowplaying_tray.core.token_store import SERVICE_NAME
from nowplaying_tray.services.poller import Poller
from nowplaying_tray.services.worker import UnexpectedError
from nowplaying_tray.simulator import DEMO_CLIENT_ID, SpotifySimulator

LOCKED = KeyringLocked("Prompt dismissed")  # the unlock prompt was dismissed
# No Secret Service on the bus (yet, at login; or it crashed): what the backend raises.
UNAVAILABLE = InitError(
    "Failed to create the collection: org.freedesktop.DBus.Error.ServiceUnknown"
)


class LockableKeyring(MemoryKeyring):
    """An in-memory keyring that can fail like a real one: while ``failure`` is set
    (``LOCKED``, ``UNAVAILABLE``), every access raises it."""

    def __init__(self) -> None:
        super().__init__()
        self.failure: Exception | None = None

    def _check(self) -> None:
        if self.failure is not None:
            raise type(self.failure)(*self.failure.args)  # a fresh one each time

    def get_password(self, service: str, username: str) -> str | None:
        self._check()
        return super().get_password(service, username)

    def set_password(self, service: str, username: str, password: str) -> None:
        self._check()
        super().set_password(service, username, password)

    def delete_password(self, service: str, username: str) -> None:
        self._check()
        super().delete_password(service, username)

    def stored_token(self, client_id: str = DEMO_CLIENT_ID) -> dict[str, Any] | None:
        """The token as the app stored it (read past the lock, as a test may)."""
        raw = MemoryKeyring.get_password(self, SERVICE_NAME, client_id)
        return json.loads(raw) if raw else None


def token_works(sim: SpotifySimulator, token: dict[str, Any] | None) -> bool:
    """Whether the simulated Web API accepts this stored access token right now."""
    if not token:
        return False
    answer = requests.get(
        f"{sim.api_url}/me",
        headers={"Authorization": f"Bearer {token['access_token']}"},
        timeout=5,
    )
    return answer.status_code == 200


@dataclass
class CrashWatch:
    """Records everything that would put a traceback in front of a person or in the log:
    uncaught exceptions (Qt slots go through ``sys.excepthook``), exceptions on other
    threads, log records at ERROR or above that carry a traceback, and
    ``UnexpectedError`` (a bug caught by the worker) reaching a poller."""

    uncaught: list[str] = field(default_factory=list)
    thread_uncaught: list[str] = field(default_factory=list)
    logged: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)

    def watch(self, poller: Poller) -> None:
        poller.error_changed.connect(self._on_error)

    def _on_error(self, error: NowPlayingError | None) -> None:
        if isinstance(error, UnexpectedError):
            self.unexpected.append(error.message)

    def problems(self) -> list[str]:
        return [
            *(f"uncaught: {text}" for text in self.uncaught),
            *(f"uncaught on a thread: {text}" for text in self.thread_uncaught),
            *(f"logged with traceback: {text}" for text in self.logged),
            *(f"UnexpectedError reached the poller: {text}" for text in self.unexpected),
        ]

    def assert_clean(self) -> None:
        problems = self.problems()
        assert not problems, "\n".join(problems)


class _TracebackRecords(logging.Handler):
    def __init__(self, sink: list[str]) -> None:
        super().__init__(logging.ERROR)
        self._sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info:
            self._sink.append(f"{record.name}: {record.getMessage()} ({record.exc_info[1]!r})")


def install(watch: CrashWatch) -> Callable[[], None]:
    """Start recording; returns the function that stops it. Previous hooks still run
    (pytest-qt's hook, for one, fails the test on an exception in a slot)."""
    previous_hook = sys.excepthook
    previous_thread_hook = threading.excepthook

    def hook(
        kind: type[BaseException], value: BaseException, traceback: TracebackType | None
    ) -> None:
        watch.uncaught.append(f"{kind.__name__}: {value}")
        previous_hook(kind, value, traceback)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        name = args.thread.name if args.thread is not None else "?"
        watch.thread_uncaught.append(f"{name}: {args.exc_type.__name__}: {args.exc_value}")
        previous_thread_hook(args)

    handler = _TracebackRecords(watch.logged)
    root = logging.getLogger()
    sys.excepthook = hook
    threading.excepthook = thread_hook
    root.addHandler(handler)

    def uninstall() -> None:
        root.removeHandler(handler)
        sys.excepthook = previous_hook
        threading.excepthook = previous_thread_hook

    return uninstall
