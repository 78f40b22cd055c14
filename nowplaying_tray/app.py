"""The composition root: builds the objects, wires their signals, and runs Qt.

No behaviour lives here. Collaborators are made by the caller or by
``run_app``, so tests build a ``TrayApp`` around a simulator and drive it.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import keyring.backend
from PySide6.QtCore import QObject, QPoint, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from nowplaying_tray.core.art_cache import ArtCache, fetch_art
from nowplaying_tray.core.autostart import Autostart, autostart_for_this_platform
from nowplaying_tray.core.budget import DAY_S, RequestBudget, budget_file
from nowplaying_tray.core.factory import build_core
from nowplaying_tray.core.login_expiry import LoginReminder, reminder_text
from nowplaying_tray.core.nowplaying_file import NowPlayingFileConfig
from nowplaying_tray.core.paths import AppPaths
from nowplaying_tray.core.policy import PollConfig
from nowplaying_tray.core.recent import recent_file
from nowplaying_tray.core.settings import Settings, SettingsStore
from nowplaying_tray.core.track_changes import NotifyRules, TrackChangeDetector
from nowplaying_tray.core.window_position import load_position, save_position, window_file
from nowplaying_tray.services.account import AccountService
from nowplaying_tray.services.announcer import TrackAnnouncer
from nowplaying_tray.services.artwork import ArtworkLoader
from nowplaying_tray.services.controls import PlaybackControls
from nowplaying_tray.services.login_watch import LoginWatch
from nowplaying_tray.services.media_hub import MediaHub
from nowplaying_tray.services.notifier import LOGIN_ACTIONS, DBusNotifier, Notification
from nowplaying_tray.services.nowplaying_export import NowPlayingExport
from nowplaying_tray.services.poller import Poller
from nowplaying_tray.services.preferences import Preferences
from nowplaying_tray.services.recent import RecentlyPlayed
from nowplaying_tray.services.throttle import Throttle
from nowplaying_tray.services.wake import WakeWatcher
from nowplaying_tray.services.worker import TaskRunner
from nowplaying_tray.ui.popup import PopupWindow
from nowplaying_tray.ui.presenter import Presenter
from nowplaying_tray.ui.tray import TrayView
from nowplaying_tray.ui.windows import WindowController

if TYPE_CHECKING:
    from nowplaying_tray.services.dbus_loop import DBusLoop
    from nowplaying_tray.services.mpris_client import LocalPlayers
    from nowplaying_tray.services.mpris_server import MprisServer

logger = logging.getLogger(__name__)

WINDOW_SAVE_MS = 1000  # a window dragged about is saved about once a second


@dataclass
class AppOptions:
    """How this run differs from a plain start; tests and the demo set these."""

    keyring_backend: keyring.backend.KeyringBackend | None = None
    open_url: Callable[[str], object] | None = None  # the browser; None: the system's
    use_dbus_notifications: bool = sys.platform.startswith("linux")
    tray_wait_attempts: int = 6  # 6 x 500 ms: without a tray, a window within seconds
    clock: Callable[[], float] = time.monotonic
    wall_clock: Callable[[], float] = time.time  # the request budget and the login's age
    budget_window_s: float = DAY_S  # shorter only in accelerated runs
    autostart: Autostart | None = None  # None: this platform's
    poll_config: PollConfig | None = None  # None: the defaults, with the settings' interval
    tray_icon: QSystemTrayIcon | None = None  # one already on screen, shown before we loaded
    mpris: bool = False  # local players and our own player on the session bus (Linux)


class TrayApp(QObject):
    """Everything the running app is made of, wired together."""

    def __init__(
        self, settings: Settings, paths: AppPaths, options: AppOptions | None = None
    ) -> None:
        super().__init__()
        options = options or AppOptions()
        self.paths = paths
        self.budget = RequestBudget(
            settings.daily_request_budget,
            path=budget_file(paths.state_dir),
            clock=options.wall_clock,
            window_s=options.budget_window_s,
        )
        self.core = build_core(
            settings,
            keyring_backend=options.keyring_backend,
            budget=self.budget,
            wall_clock=options.wall_clock,
        )
        gateway = self.core.gateway

        self.runner = TaskRunner(self)
        self.preferences = Preferences(
            settings,
            SettingsStore(paths),
            options.autostart or autostart_for_this_platform(),
            self.runner,
            parent=self,
        )
        self.poller = Poller(
            self.runner,
            gateway.current_playback,
            replace(
                options.poll_config or PollConfig(), playing_interval_s=settings.poll_interval_s
            ),
            clock=options.clock,
            budget=self.budget.view,
            parent=self,
        )
        art_cache = ArtCache(paths.cache_dir / "art")
        self.artwork = ArtworkLoader(
            self.runner,
            lambda url: fetch_art(url, art_cache, gateway.session, settings.request_timeout_s),
            parent=self,
        )
        self.controls = PlaybackControls(self.runner, gateway, self.poller, parent=self)
        self.account = AccountService(
            self.runner,
            gateway,
            lambda: self.core.login_flow(open_url=options.open_url),
            parent=self,
        )
        self.login_watch = LoginWatch(
            self.runner,
            lambda: LoginReminder(self.core.store, paths.state_dir),
            wall_clock=options.wall_clock,
            parent=self,
        )
        self.announcer = TrackAnnouncer(
            TrackChangeDetector(_notify_rules(settings)), self.artwork, parent=self
        )
        self.notifier = DBusNotifier(parent=self) if options.use_dbus_notifications else None
        self.wake = WakeWatcher(parent=self)
        self.export = NowPlayingExport(
            self.runner,
            self.artwork,
            NowPlayingFileConfig.from_settings(settings),
            clock=options.clock,
            parent=self,
        )

        self.recent = RecentlyPlayed(self.runner, recent_file(paths.state_dir), parent=self)

        self.popup = PopupWindow(clock=options.clock)
        self.tray = TrayView(
            lambda: replace(self.presenter.menu_state(), recent=self.recent.menu_entries()),
            icon=options.tray_icon,
            tray_wait_attempts=options.tray_wait_attempts,
            parent=self,
        )
        self.presenter = Presenter(
            self.tray,
            self.popup,
            self.poller,
            self.controls,
            self.account,
            self.artwork,
            tooltip_template=lambda: self.preferences.current.tooltip_template,
            notifications_on=lambda: self.preferences.current.notifications,
            clock=options.clock,
            login_days_left=lambda: self.login_watch.days_left,
            parent=self,
        )
        self.dbus, self.mpris_server, self.local_players = _mpris_parts(
            options.mpris, settings, options.clock, self
        )
        self.media = MediaHub(
            self.poller,
            self.controls,
            self.mpris_server,
            self.local_players,
            self.presenter.show_popup,
            parent=self,
        )
        self.windows = WindowController(
            self.preferences,
            self.account,
            self.runner,
            display_name=gateway.display_name,
            open_logs=self.open_log_folder,
            budget=self.budget.view,
            parent=self,
        )
        self._wire()

    @property
    def settings(self) -> Settings:
        return self.preferences.current

    def _wire(self) -> None:
        tray, popup, controls, poller = self.tray, self.popup, self.controls, self.poller
        tray.play_pause_requested.connect(controls.play_pause)
        tray.next_requested.connect(controls.next)
        tray.previous_requested.connect(controls.previous)
        tray.save_requested.connect(controls.toggle_save)
        tray.open_requested.connect(self.open_in_spotify)
        tray.copy_link_requested.connect(self.copy_link)
        tray.refresh_requested.connect(self.refresh)
        tray.notifications_toggled.connect(self.set_notifications)
        tray.login_requested.connect(self.account.login)
        tray.setup_requested.connect(self.windows.open_setup)
        tray.settings_requested.connect(self.windows.open_settings)
        tray.logout_requested.connect(self.account.logout)
        self.presenter.setup_wanted.connect(self.windows.open_setup)
        self.presenter.login_wanted.connect(self.account.login)
        tray.open_logs_requested.connect(self.open_log_folder)
        tray.quit_requested.connect(QApplication.quit)
        tray.unavailable.connect(self.run_without_tray)
        popup.previous_clicked.connect(controls.previous)
        popup.play_pause_clicked.connect(controls.play_pause)
        popup.next_clicked.connect(controls.next)
        popup.next_clicked.connect(self.announcer.quiet_next_change)
        popup.previous_clicked.connect(self.announcer.quiet_next_change)
        popup.save_clicked.connect(controls.toggle_save)
        popup.seek_requested.connect(controls.seek)
        popup.volume_requested.connect(controls.set_volume)
        popup.open_clicked.connect(self.open_in_spotify)
        poller.playback_changed.connect(self.announcer.observe)
        poller.playback_changed.connect(self.export.update)
        poller.playback_changed.connect(self.recent.observe)
        self.recent.changed.connect(self.tray.update_menu)
        tray.open_url_requested.connect(self.open_url)
        self.preferences.changed.connect(self._apply_settings)
        self.announcer.announce.connect(self._notify)
        self.presenter.message.connect(self.tell)
        self.preferences.save_failed.connect(lambda error: self.tell(error.title, error.message))
        self.account.logged_in.connect(lambda _name: self.login_watch.check())
        self.account.logged_out.connect(self.login_watch.forget)
        self.login_watch.remind.connect(self.remind_login)
        self.login_watch.changed.connect(lambda _days: self.tray.update_menu())
        self.wake.woke.connect(poller.poll_now)
        poller.error_changed.connect(self.wake.note_error)
        if self.notifier is not None:
            self.notifier.activated.connect(self.presenter.show_popup)
            self.notifier.next_requested.connect(controls.next)
            self.notifier.login_requested.connect(self.account.login)
            self.notifier.unavailable.connect(self._notify_in_tray)

    # lifecycle ----------------------------------------------------------------------------

    def start(self) -> None:
        self.tray.show()
        self.presenter.refresh()
        self.runner.submit(self.budget.load)  # the worker runs it before the first poll
        self.recent.start()
        self.media.start()  # a local player found first means no poll at all
        self.poller.start()
        self.login_watch.start()
        self.wake.start()
        if not self.settings.client_id:
            self.windows.open_setup()  # first run: walk the person through

    def shutdown(self) -> None:
        self.account.cancel_login()
        self.windows.close_all()
        self.poller.stop()
        self.login_watch.stop()
        self.wake.stop()
        self.tray.dispose()
        self.popup.hide()
        self.popup.deleteLater()  # a top-level widget: nobody else owns it
        if self.dbus is not None:
            self.dbus.close()
        self.runner.shutdown(last=self._save_on_quit)
        if self.notifier is not None:
            self.notifier.close()

    def _save_on_quit(self) -> None:
        """On the worker, as it ends."""
        self.budget.save_if_changed()
        self.recent.save_now()

    # small actions ------------------------------------------------------------------------

    def run_without_tray(self) -> None:
        """No system tray appeared: the popup becomes the app's window, with the tray's
        menu on a button, where it was left last time; closing it quits."""
        self.popup.set_standalone(True, self.tray.menu)
        QApplication.instance().setQuitOnLastWindowClosed(True)  # type: ignore[union-attr]
        path = window_file(self.paths.state_dir)

        def save(x: int, y: int) -> None:
            self.runner.submit(lambda: save_position(path, (x, y)))

        saver = Throttle(
            save,
            WINDOW_SAVE_MS,
            name="window-position-save",
            parent=self,
        )
        self.popup.moved.connect(saver)

        def show(position: tuple[int, int] | None) -> None:
            self.popup.show_window_at(QPoint(*position) if position is not None else None)
            self.poller.set_popup_visible(True)

        self.runner.submit(lambda: load_position(path), show, lambda _error: show(None))

    def show_on_request(self) -> None:
        logger.info("Shown at the request of another start")
        self.presenter.show_popup()

    def refresh(self) -> None:
        self.poller.poll_now("refresh from the menu")

    def open_in_spotify(self) -> None:
        playback = self.poller.playback
        if playback is not None and playback.url:
            QDesktopServices.openUrl(QUrl(playback.url))

    def open_url(self, url: str) -> None:
        QDesktopServices.openUrl(QUrl(url))

    def copy_link(self) -> None:
        playback = self.poller.playback
        if playback is not None and playback.url:
            QGuiApplication.clipboard().setText(playback.url)

    def open_log_folder(self) -> None:
        self.paths.log_dir.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.paths.log_dir)))

    def set_notifications(self, on: bool) -> None:
        self.preferences.apply(self.settings.with_changes(notifications=on))

    def _apply_settings(self, settings: Settings) -> None:
        """A settings change takes effect at once; a new account starts a fresh session."""
        account_changed = self.core.apply(settings)
        self.poller.config = replace(
            self.poller.config, playing_interval_s=settings.poll_interval_s
        )
        self.announcer.detector.rules = _notify_rules(settings)
        self.export.reconfigure(NowPlayingFileConfig.from_settings(settings))
        if self.local_players is not None:
            self.local_players.set_wanted(settings.local_players)
        if account_changed:
            self.poller.reset(None)
            self.poller.start()
        self.presenter.refresh()

    def remind_login(self, days_left: int) -> None:
        title, text = reminder_text(days_left)
        self._notify(Notification(title, text, actions=LOGIN_ACTIONS))

    def tell(self, title: str, text: str) -> None:
        """A message that is not a track change: the same notification channel."""
        self._notify(Notification(title, text))

    def _notify(self, notification: Notification) -> None:
        if self.notifier is not None:
            self.notifier.show(notification)
        else:
            self._notify_in_tray(notification)

    def _notify_in_tray(self, notification: Notification) -> None:
        self.tray.show_message(notification.summary, notification.body)


def _mpris_parts(
    on: bool, settings: Settings, clock: Callable[[], float], parent: QObject
) -> tuple[DBusLoop | None, MprisServer | None, LocalPlayers | None]:
    """The D-Bus thread, our MPRIS player and the local-player watch; imported only when on."""
    if not on:
        return None, None, None
    from nowplaying_tray.services.dbus_loop import DBusLoop
    from nowplaying_tray.services.mpris_client import LocalPlayers
    from nowplaying_tray.services.mpris_server import MprisServer

    loop = DBusLoop()
    return (
        loop,
        MprisServer(loop, clock=clock, parent=parent),
        LocalPlayers(loop, settings.local_players, clock=clock, parent=parent),
    )


def _notify_rules(settings: Settings) -> NotifyRules:
    return NotifyRules(
        enabled=settings.notifications,
        at_startup=settings.notify_at_startup,
        episodes=settings.notify_episodes,
        ads=settings.notify_ads,
    )
