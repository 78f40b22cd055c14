"""The account's parts, each made with its collaborators, in order: the Spotify access
(gateway, token store), the poller reading its gateway, the account service logging in
through it, and the session that owns the login state. ``AppParts`` makes them so, and
so do the session's tests; ``app.py`` connects them (``connect_session``)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import keyring.backend
from PySide6.QtCore import QObject

from nowplaying_tray.core.budget import RequestBudget
from nowplaying_tray.core.listening_day import ListeningDay
from nowplaying_tray.core.policy import PollConfig
from nowplaying_tray.core.settings import Settings
from nowplaying_tray.core.spotify_access import SpotifyAccess, build_access
from nowplaying_tray.services.account import AccountService
from nowplaying_tray.services.poller import Poller
from nowplaying_tray.services.session import Session
from nowplaying_tray.services.worker import TaskRunner

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class AccountParts:
    access: SpotifyAccess
    poller: Poller
    account: AccountService
    session: Session


def account_parts(
    settings: Settings,
    runner: TaskRunner,
    budget: RequestBudget,
    *,
    keyring_backend: keyring.backend.KeyringBackend | None = None,
    open_url: Callable[[str], object] | None = None,
    poll_config: PollConfig | None = None,
    clock: Callable[[], float] = time.monotonic,
    wall_clock: Callable[[], float] = time.time,
    day: ListeningDay | None = None,
    parent: QObject | None = None,
) -> AccountParts:
    """``open_url``: the browser for a login (None: the system's); ``poll_config``: None
    for the defaults, the settings' poll interval in either case."""
    access = build_access(
        settings,
        keyring_backend=keyring_backend,
        budget=budget,
        wall_clock=wall_clock,
        clock=clock,
    )
    poller = Poller(
        runner,
        access.gateway.current_playback,
        access.gateway.rate_limit,  # the gateway's: it opens the window on any 429
        replace(poll_config or PollConfig(), playing_interval_s=settings.poll_interval_s),
        clock=clock,
        budget=budget.view,
        day=day,
        parent=parent,
    )
    account = AccountService(
        runner, access.gateway, lambda: access.login_flow(open_url=open_url), parent=parent
    )
    session = Session(access, poller, account, runner, budget, day=day, parent=parent)
    return AccountParts(access, poller, account, session)
