"""Logging in and out from the app, on the worker thread."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from nowplaying_tray.core.errors import NowPlayingError
from nowplaying_tray.core.gateway import SpotifyGateway
from nowplaying_tray.core.login import LoginFlow
from nowplaying_tray.services.worker import TaskRunner

logger = logging.getLogger(__name__)


class AccountService(QObject):
    """Runs the login and the logout on the worker, one login at a time."""

    login_started = Signal()
    """The browser is open; waiting for the person."""
    logged_in = Signal(str)
    """The login is stored, with the account's display name."""
    login_failed = Signal(NowPlayingError)
    """The login (or logout) failed, with why."""
    logged_out = Signal()
    """The stored login is gone."""

    def __init__(
        self,
        runner: TaskRunner,
        gateway: SpotifyGateway,
        make_flow: Callable[[], LoginFlow],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._gateway = gateway
        self._make_flow = make_flow
        self._flow: LoginFlow | None = None

    @property
    def logging_in(self) -> bool:
        return self._flow is not None

    def login(self) -> None:
        if self._flow is not None:
            return  # one attempt at a time
        flow = self._flow = self._make_flow()
        self.login_started.emit()

        def run() -> str:
            flow.run()
            return self._gateway.display_name()

        self._runner.submit(run, self._on_logged_in, self._on_failed)

    def cancel_login(self) -> None:
        if self._flow is not None:
            self._flow.cancel()

    def logout(self) -> None:
        self.cancel_login()
        self._runner.submit(
            self._gateway.log_out, lambda _: self.logged_out.emit(), self._on_failed
        )

    def _on_logged_in(self, name: str) -> None:
        self._flow = None
        logger.info("Logged in")
        self.logged_in.emit(name)

    def _on_failed(self, error: NowPlayingError) -> None:
        self._flow = None
        logger.info("Login failed: %s", error.message)
        self.login_failed.emit(error)
