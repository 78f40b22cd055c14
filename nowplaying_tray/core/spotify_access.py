"""Builds the Qt-free core objects from settings: one place, used by the CLI and the app."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import keyring.backend
import requests

from nowplaying_tray.core.budget import RequestBudget
from nowplaying_tray.core.gateway import SpotifyGateway
from nowplaying_tray.core.login import LoginFlow
from nowplaying_tray.core.rate_limit import rate_limit_file
from nowplaying_tray.core.settings import Settings
from nowplaying_tray.core.token_store import KeyringTokenStore


@dataclass
class SpotifyAccess:
    """The Qt-free objects one account needs: settings, token store, gateway."""

    settings: Settings
    store: KeyringTokenStore
    gateway: SpotifyGateway
    keyring_backend: keyring.backend.KeyringBackend | None = None
    wall_clock: Callable[[], float] = time.time  # the login's date

    def apply(self, settings: Settings) -> bool:
        """Switch to new settings; True if the account changed (a new login is needed)."""
        account_changed = (settings.client_id, settings.accounts_url) != (
            self.settings.client_id,
            self.settings.accounts_url,
        )
        if account_changed:
            self.store = KeyringTokenStore(
                settings.client_id, backend=self.keyring_backend, wall_clock=self.wall_clock
            )
        self.settings = settings
        self.gateway.reconfigure(settings, self.store)
        return account_changed

    def login_flow(
        self,
        open_url: Callable[[str], object] | None = None,
        show_url: Callable[[str], None] | None = None,
    ) -> LoginFlow:
        kwargs: dict[str, object] = {"show_url": show_url}
        if open_url is not None:
            kwargs["open_url"] = open_url
        return LoginFlow(self.settings, self.store, self.gateway.http, **kwargs)  # type: ignore[arg-type]


def build_access(
    settings: Settings,
    keyring_backend: keyring.backend.KeyringBackend | None = None,
    budget: RequestBudget | None = None,
    wall_clock: Callable[[], float] = time.time,
    clock: Callable[[], float] = time.monotonic,
) -> SpotifyAccess:
    """``budget``: where requests are counted (not loaded here: that is file I/O);
    ``clock``: the gateway's, for its rate-limit window (``gateway.rate_limit``)."""
    store = KeyringTokenStore(settings.client_id, backend=keyring_backend, wall_clock=wall_clock)
    if budget is not None:
        budget.set_limit(settings.daily_request_budget)
    # Spotify's rate-limit window is kept beside the request count: both are shared by
    # every process of the app (the tray, ``now``).
    gateway = SpotifyGateway(
        settings,
        store,
        session=requests.Session(),
        monotonic=clock,
        budget=budget,
        rate_limit_path=(
            rate_limit_file(budget.path.parent)
            if budget is not None and budget.path is not None
            else None
        ),
        wall_clock=wall_clock,
    )
    return SpotifyAccess(settings, store, gateway, keyring_backend, wall_clock)
