"""The Spotify session: the one owner of the login state, polling and the settings in effect.

It receives the account's parts (the Spotify access, the poller, the account service),
made in ``app_parts``; ``app.py`` connects their signals to its ``on_*`` slots. It
starts polling when a login arrives and resets it on logout or when the account
changes. Views listen to its signals and read its properties; none of them calls the
poller or keeps a login flag.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from PySide6.QtCore import QObject, Signal

from nowplaying_tray.core.budget import RequestBudget
from nowplaying_tray.core.errors import AuthRequired, LoginExpired, MissingClientId, NowPlayingError
from nowplaying_tray.core.listening_day import ListeningDay
from nowplaying_tray.core.model import Playback
from nowplaying_tray.core.settings import Settings
from nowplaying_tray.core.spotify_access import SpotifyAccess
from nowplaying_tray.services.account import AccountService
from nowplaying_tray.services.poller import Poller
from nowplaying_tray.services.worker import TaskRunner

logger = logging.getLogger(__name__)


class Session(QObject):
    """Who is logged in, what is playing, and when Spotify may be asked again."""

    error_changed = Signal(NowPlayingError)
    """The Web API's current error (None once it clears): the account's, not playback's."""
    login_started = Signal()
    """A login began: the browser is open, waiting for the person."""
    logged_in = Signal(str)
    """A login succeeded, with the account's display name."""
    login_failed = Signal(NowPlayingError)
    """A login failed or was cancelled, with why."""
    logged_out = Signal()
    """The login was removed at the person's request."""
    message = Signal(str, str)
    """A title and text for a desktop notification."""
    settings_applied = Signal(Settings)
    """New settings, already in effect for the session; the rest follow them."""

    def __init__(
        self,
        access: SpotifyAccess,
        poller: Poller,
        account: AccountService,
        runner: TaskRunner,
        budget: RequestBudget,
        day: ListeningDay | None = None,
        parent: QObject | None = None,
    ) -> None:
        """``poller`` reads ``access``'s gateway and honours its rate-limit window;
        ``account`` logs in and out through ``access``."""
        super().__init__(parent)
        self._runner = runner
        self.budget = budget
        self.day = day
        self.access = access
        self.poller = poller
        self.account = account
        self._logged_in = False
        self._quiet_login = False  # a login the person did not ask for is not announced
        # An ended login starts one login at once; never again until a poll succeeds.
        self._relogin_started = False

    # state ----------------------------------------------------------------------------

    @property
    def settings(self) -> Settings:
        return self.access.settings

    @property
    def error(self) -> NowPlayingError | None:
        """Why the Web API cannot answer (no client ID, not logged in, offline...)."""
        return self.poller.error

    @property
    def setup_needed(self) -> bool:
        """No Spotify app is configured yet (no client ID): a login cannot even start."""
        return not self.settings.client_id or isinstance(self.error, MissingClientId)

    @property
    def is_logged_in(self) -> bool:
        """Spotify's Web API answered with this login, or a login just succeeded; never
        from a local player's playback."""
        return self._logged_in

    @property
    def logging_in(self) -> bool:
        return self.account.logging_in

    def retry_in_s(self) -> float | None:
        """Seconds until the next poll, while there is an error to retry."""
        return self.poller.retry_in_s() if self.error is not None else None

    # lifecycle ------------------------------------------------------------------------

    def start(self) -> None:
        self._runner.submit(self.budget.load)  # the worker runs it before the first poll
        if self.day is not None:
            self._runner.submit(self.day.load)
        # A stored login counts at once: a spent budget may hold the first poll back for a
        # while, and the menu must not offer "Log in" meanwhile.
        self._runner.submit(
            self.access.gateway.has_login,
            self._on_login_known,
            lambda error: logger.info("Could not look for a stored login: %s", error),
        )
        self.poller.start()

    def _on_login_known(self, stored: object) -> None:
        if stored and not isinstance(self.error, AuthRequired | MissingClientId):
            self._logged_in = True

    def stop(self) -> None:
        self.account.cancel_login()
        self.poller.stop()

    def apply_settings(self, settings: Settings) -> None:
        """A settings change takes effect at once; a new account starts a fresh session."""
        account_changed = self.access.apply(settings)
        self.poller.reconfigure(
            replace(self.poller.config, playing_interval_s=settings.poll_interval_s)
        )
        if account_changed:
            logger.info("The account changed; polling starts afresh")
            self._logged_in = False
            self.poller.reset(None)
            self.poller.start()
        self.settings_applied.emit(settings)

    # what the person asks for ---------------------------------------------------------

    def login(self) -> None:
        self.account.login()

    def login_quietly(self) -> None:
        """Log in without a "Logged in" notification (the demo, at every start)."""
        self._quiet_login = True
        self.account.login()

    def logout(self) -> None:
        self.account.logout()

    def poll_now(self, reason: str = "") -> None:
        self.poller.poll_now(reason)

    def set_popup_visible(self, visible: bool) -> None:
        """The card is open: poll more often, starting now."""
        self.poller.set_popup_visible(visible)

    # signals in (connected in app.py) -------------------------------------------------

    def on_poll_answered(self, _playback: Playback) -> None:
        """The poller read the playback: the Web API answered this login."""
        self._logged_in = True  # the poller asks the Web API only: a login answered
        self._relogin_started = False

    def on_poll_error(self, error: NowPlayingError | None) -> None:
        """The poller's error changed (None once it clears)."""
        if isinstance(error, AuthRequired | MissingClientId):
            self._logged_in = False
        self.error_changed.emit(error)
        if isinstance(error, LoginExpired) and not self._relogin_started:
            # Straight to the login, once: a failed or cancelled one leaves "Log in" in the
            # menu and the tooltip, never a loop of browser tabs.
            self._relogin_started = True
            self.message.emit(error.title, f"{error.message} Your browser opens for it now.")
            self.account.login()

    def on_logged_in(self, name: str) -> None:
        self._logged_in = True
        if not self._quiet_login:
            self.message.emit("Now Playing", f"Logged in as {name}")
        self._quiet_login = False
        self.logged_in.emit(name)
        self.poller.start()

    def on_login_failed(self, error: NowPlayingError) -> None:
        self._quiet_login = False
        self.message.emit(error.title, error.message)
        self.login_failed.emit(error)

    def on_logged_out(self) -> None:
        self._logged_in = False
        self.logged_out.emit()
        self.poller.reset(AuthRequired())
