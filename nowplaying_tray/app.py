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
from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from nowplaying_tray.core.autostart import Autostart, autostart_for_this_platform
from nowplaying_tray.core.budget import DAY_S, RequestBudget, budget_file
from nowplaying_tray.core.login_expiry import LoginReminder
from nowplaying_tray.core.nowplaying_file import NowPlayingFileConfig
from nowplaying_tray.core.paths import AppPaths
from nowplaying_tray.core.policy import PollConfig
from nowplaying_tray.core.recent_list import recent_file
from nowplaying_tray.core.settings import Settings, SettingsStore
from nowplaying_tray.core.track_changes import NotifyRules, TrackChangeDetector
from nowplaying_tray.services.artwork import ArtworkLoader
from nowplaying_tray.services.controls import PlaybackControls
from nowplaying_tray.services.login_watch import LoginWatch
from nowplaying_tray.services.media_hub import MediaHub
from nowplaying_tray.services.notifications.channel import NotificationChannel
from nowplaying_tray.services.notifications.desktop import DesktopNotifications
from nowplaying_tray.services.notifications.track_change import TrackAnnouncer
from nowplaying_tray.services.nowplaying_export import NowPlayingExport
from nowplaying_tray.services.overlay.cover_files import CoverFiles
from nowplaying_tray.services.overlay.overlay import StreamOverlay
from nowplaying_tray.services.preferences import Preferences
from nowplaying_tray.services.recently_played import RecentlyPlayed
from nowplaying_tray.services.session import Session
from nowplaying_tray.services.wake import WakeWatcher
from nowplaying_tray.services.worker import TaskRunner
from nowplaying_tray.ui.no_tray import NoTrayWindow
from nowplaying_tray.ui.popup.window import PopupWindow
from nowplaying_tray.ui.presenter import Presenter
from nowplaying_tray.ui.tray import TrayView
from nowplaying_tray.ui.windows import WindowController

if TYPE_CHECKING:
    from nowplaying_tray.bus.thread import BusThread
    from nowplaying_tray.services.mpris.local_players import LocalPlayers
    from nowplaying_tray.services.mpris.published_player import MprisServer

logger = logging.getLogger(__name__)


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
    # Without a tray the card becomes a window; a headless run prints to the console instead.
    window_without_tray: bool = True
    console: bool = False  # headless: track changes and problems as lines on the terminal


class TrayApp(QObject):
    """Everything the running app is made of, wired together."""

    def __init__(
        self, settings: Settings, paths: AppPaths, options: AppOptions | None = None
    ) -> None:
        super().__init__()
        options = options or AppOptions()
        self.paths = paths
        self.runner = TaskRunner(self)
        self.budget = RequestBudget(
            settings.daily_request_budget,
            path=budget_file(paths.state_dir),
            clock=options.wall_clock,
            window_s=options.budget_window_s,
        )
        self.session = Session(
            settings,
            self.runner,
            self.budget,
            paths.cache_dir / "art",
            keyring_backend=options.keyring_backend,
            open_url=options.open_url,
            poll_config=options.poll_config,
            clock=options.clock,
            wall_clock=options.wall_clock,
            parent=self,
        )
        self.access = self.session.access
        self.poller = self.session.poller
        self.account = self.session.account
        self.preferences = Preferences(
            settings,
            SettingsStore(paths),
            options.autostart or autostart_for_this_platform(),
            self.runner,
            parent=self,
        )
        self.artwork = ArtworkLoader(self.runner, self.session.fetch_art, parent=self)
        self.controls = PlaybackControls(self.runner, self.access.gateway, self.poller, parent=self)
        self.login_watch = LoginWatch(
            self.runner,
            lambda: LoginReminder(self.session.access.store, paths.state_dir),
            wall_clock=options.wall_clock,
            parent=self,
        )
        self.announcer = TrackAnnouncer(
            TrackChangeDetector(NotifyRules.from_settings(settings)), self.artwork, parent=self
        )
        self.notifier = (
            DesktopNotifications(parent=self) if options.use_dbus_notifications else None
        )
        self.notices = NotificationChannel(self.notifier, parent=self)
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
            self.session,
            self.controls,
            self.artwork,
            self.login_watch,
            clock=options.clock,
            parent=self,
        )
        self.no_tray = NoTrayWindow(
            self.popup, self.tray.menu, self.session, self.runner, paths.state_dir, parent=self
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
            display_name=self.access.gateway.display_name,
            open_logs=self.open_log_folder,
            budget=self.budget.view,
            parent=self,
        )
        self._window_without_tray = options.window_without_tray
        self._wire()
        self._wire_published_player_settings()
        self._wire_overlay(options.clock)
        self._wire_desktop()
        if options.console:
            self._wire_console()

    @property
    def settings(self) -> Settings:
        return self.preferences.current

    def _wire(self) -> None:
        tray, popup, controls, session = self.tray, self.popup, self.controls, self.session
        presenter, notices = self.presenter, self.notices
        tray.play_pause_requested.connect(controls.play_pause)
        tray.next_requested.connect(controls.next)
        tray.previous_requested.connect(controls.previous)
        tray.save_requested.connect(controls.toggle_save)
        tray.open_requested.connect(presenter.open_in_spotify)
        tray.copy_link_requested.connect(presenter.copy_link)
        tray.refresh_requested.connect(self.refresh)
        tray.notifications_toggled.connect(self.preferences.set_notifications)
        tray.login_requested.connect(session.login)
        tray.setup_requested.connect(self.windows.open_setup)
        tray.settings_requested.connect(self.windows.open_settings)
        tray.logout_requested.connect(session.logout)
        presenter.setup_wanted.connect(self.windows.open_setup)
        presenter.login_wanted.connect(session.login)
        tray.open_logs_requested.connect(self.open_log_folder)
        tray.quit_requested.connect(QApplication.quit)
        if self._window_without_tray:
            tray.unavailable.connect(self.no_tray.open)
        popup.previous_clicked.connect(controls.previous)
        popup.play_pause_clicked.connect(controls.play_pause)
        popup.next_clicked.connect(controls.next)
        popup.next_clicked.connect(self.announcer.quiet_next_change)
        popup.previous_clicked.connect(self.announcer.quiet_next_change)
        popup.save_clicked.connect(controls.toggle_save)
        popup.seek_requested.connect(controls.seek)
        popup.volume_requested.connect(controls.set_volume)
        popup.open_clicked.connect(presenter.open_in_spotify)
        session.playback_changed.connect(self.announcer.observe)
        session.playback_changed.connect(self.export.update)
        session.playback_changed.connect(self.recent.observe)
        self.recent.changed.connect(tray.update_menu)
        tray.open_url_requested.connect(self.open_url)
        self.preferences.changed.connect(session.apply_settings)
        session.settings_applied.connect(self.announcer.apply_settings)
        session.settings_applied.connect(self.export.apply_settings)
        if self.local_players is not None:
            session.settings_applied.connect(self.local_players.apply_settings)
        self.announcer.announce.connect(notices.show)
        session.message.connect(notices.tell)
        notices.in_tray.connect(tray.show_message)
        self.preferences.save_failed.connect(notices.tell_error)
        session.logged_in.connect(self.login_watch.check)
        session.logged_out.connect(self.login_watch.forget)
        self.login_watch.remind.connect(notices.remind_login)
        self.login_watch.changed.connect(tray.update_menu)
        self.wake.woke.connect(session.poll_now)
        session.error_changed.connect(self.wake.note_error)
        if self.notifier is not None:
            self.notifier.activated.connect(presenter.show_popup)
            self.notifier.next_requested.connect(controls.next)
            self.notifier.login_requested.connect(session.login)

    def _wire_published_player_settings(self) -> None:
        """Volume, Shuffle and LoopStatus written to our MPRIS player go to Spotify."""
        if self.mpris_server is None:
            return
        self.mpris_server.volume_requested.connect(self.controls.set_volume)
        self.mpris_server.shuffle_requested.connect(self.controls.set_shuffle)
        self.mpris_server.repeat_requested.connect(self.controls.set_repeat)

    def _wire_overlay(self, clock: Callable[[], float]) -> None:
        """The stream overlay: fed the playback every view gets, its cover from the art
        loader; ``overlay.show_lyric`` takes the current lyric line."""
        self.overlay = StreamOverlay(
            CoverFiles(self.artwork).lookup,
            lambda: "local" if self.media.local_active else "web_api",
            clock=clock,
            parent=self,
        )
        self.session.playback_changed.connect(self.overlay.show_playback)
        self.artwork.loaded.connect(self.overlay.art_ready)
        self.session.settings_applied.connect(self.overlay.apply_settings)
        self.overlay.failed.connect(self.notices.tell_error)
        self.overlay.apply_settings(self.settings)

    def _wire_desktop(self) -> None:
        """Closing the no-tray window quits; no bubble over the open card at a change."""
        self.no_tray.quit_requested.connect(QApplication.quit)
        self.popup.about_to_show.connect(
            lambda: self.announcer.set_card_open(not self.popup.standalone)
        )
        self.popup.hidden.connect(lambda: self.announcer.set_card_open(False))

    def _wire_console(self) -> None:
        """Headless: each track change on stdout, each problem and its changes on stderr."""
        from nowplaying_tray.ui.console import ConsoleView

        self.console = ConsoleView(parent=self)
        self.session.playback_changed.connect(self.console.show_playback)
        self.session.error_changed.connect(self.console.show_error)

    # lifecycle ----------------------------------------------------------------------------

    def start(self) -> None:
        self.tray.show()
        self.presenter.refresh()
        self.recent.start()
        self.media.start()  # a local player found first means no poll at all
        self.session.start()
        self.login_watch.start()
        self.wake.start()
        self.preferences.apply_autostart()
        if not self.settings.client_id:
            self.windows.open_setup()  # first run: walk the person through

    def shutdown(self) -> None:
        self.session.stop()
        self.overlay.close()
        self.windows.close_all()
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
        """No system tray appeared: the popup becomes the app's window."""
        self.no_tray.open()

    def show_on_request(self) -> None:
        logger.info("Shown at the request of another start")
        self.presenter.show_popup()

    def refresh(self) -> None:
        self.session.poll_now("refresh from the menu")

    def open_url(self, url: str) -> None:
        QDesktopServices.openUrl(QUrl(url))

    def open_log_folder(self) -> None:
        self.paths.log_dir.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.paths.log_dir)))


def _mpris_parts(
    on: bool, settings: Settings, clock: Callable[[], float], parent: QObject
) -> tuple[BusThread | None, MprisServer | None, LocalPlayers | None]:
    """The D-Bus thread, our MPRIS player and the local-player watch; imported only when on."""
    if not on:
        return None, None, None
    from nowplaying_tray.bus.thread import BusThread
    from nowplaying_tray.services.mpris.local_players import LocalPlayers
    from nowplaying_tray.services.mpris.published_player import MprisServer

    bus = BusThread("mpris")
    return (
        bus,
        MprisServer(bus, clock=clock, parent=parent),
        LocalPlayers(bus, settings.local_players, clock=clock, parent=parent),
    )
