"""Opens the setup and settings windows on demand and keeps them in step with the account.

The windows only emit signals; this class turns them into service calls, so
the windows themselves never touch the network, the keyring or the disk. The
windows are built (and their modules imported) when first opened, so their
signals are connected here then; ``app.py`` connects the account's to the
``on_*`` slots.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QDesktopServices

from nowplaying_tray.core.budget import BudgetView
from nowplaying_tray.core.errors import NowPlayingError
from nowplaying_tray.core.settings import Settings
from nowplaying_tray.services.account import AccountService
from nowplaying_tray.services.preferences import Preferences
from nowplaying_tray.services.worker import TaskRunner
from nowplaying_tray.ui.window_screen import present_where_the_pointer_is

if TYPE_CHECKING:  # imported when first opened: most starts never show either window
    from nowplaying_tray.ui.settings.window import SettingsWindow
    from nowplaying_tray.ui.setup.window import SetupWindow

logger = logging.getLogger(__name__)


class WindowController(QObject):
    """Opens, raises and forgets the setup and settings windows."""

    def __init__(
        self,
        preferences: Preferences,
        account: AccountService,
        runner: TaskRunner,
        display_name: Callable[[], str],
        open_logs: Callable[[], None],
        budget: Callable[[], BudgetView] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._preferences = preferences
        self._account = account
        self._runner = runner
        self._display_name = display_name
        self._open_logs = open_logs
        self._budget = budget
        self.setup: SetupWindow | None = None
        self.settings: SettingsWindow | None = None
        self._account_name: str | None = None

    # setup ------------------------------------------------------------------------------

    def open_setup(self) -> SetupWindow:
        if self.setup is None:
            from nowplaying_tray.ui.setup.window import SetupWindow

            current = self._preferences.current
            self.setup = SetupWindow(current.redirect_uri, current.client_id)
            self.setup.login_requested.connect(self._log_in_with)
            self.setup.cancel_requested.connect(self._account.cancel_login)
            self.setup.link_requested.connect(lambda url: QDesktopServices.openUrl(QUrl(url)))
        present_where_the_pointer_is(self.setup)
        return self.setup

    def _log_in_with(self, client_id: str) -> None:
        self._preferences.apply(self._preferences.current.with_changes(client_id=client_id))
        self._account.login()

    # settings ---------------------------------------------------------------------------

    def open_settings(self) -> SettingsWindow:
        if self.settings is None:
            from nowplaying_tray.ui.settings.window import SettingsWindow

            self.settings = SettingsWindow(self._preferences.current, budget=self._budget)
            self.settings.settings_changed.connect(self._preferences.apply)
            self.settings.logout_requested.connect(self._account.logout)
            self.settings.login_requested.connect(self._login_or_setup)
            self.settings.open_logs_requested.connect(self._open_logs)
        self.settings.set_account(self._account_name)
        self._refresh_account_name()
        present_where_the_pointer_is(self.settings)
        return self.settings

    def _login_or_setup(self) -> None:
        if self._preferences.current.client_id:
            self._account.login()
        else:
            self.open_setup()

    def _refresh_account_name(self) -> None:
        self._runner.submit(self._display_name, self._set_account_name, self._no_account_name)

    def _set_account_name(self, name: str | None) -> None:
        self._account_name = name
        if self.settings is not None:
            self.settings.set_account(name)

    def _no_account_name(self, error: NowPlayingError) -> None:
        logger.info("No account to show: %s", error.message)
        self._set_account_name(None)

    # account and settings events ----------------------------------------------------------

    def on_settings_changed(self, settings: Settings) -> None:
        if self.settings is not None:
            self.settings.set_settings(settings)
        if self.setup is not None:
            self.setup.set_redirect_uri(settings.redirect_uri)

    def on_login_started(self) -> None:
        if self.setup is not None and self.setup.isVisible():
            self.setup.show_logging_in()

    def on_logged_in(self, name: str) -> None:
        self._set_account_name(name)
        if self.setup is not None and self.setup.isVisible():
            self.setup.show_logged_in(name)

    def on_login_failed(self, error: NowPlayingError) -> None:
        if self.setup is not None and self.setup.isVisible():
            self.setup.show_error(error)

    def on_logged_out(self) -> None:
        self._set_account_name(None)

    def close_all(self) -> None:
        for window in (self.setup, self.settings):
            if window is not None:
                window.close()
                window.deleteLater()
        self.setup = self.settings = None
