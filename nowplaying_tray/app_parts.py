"""The parts of the tray app, each made with its collaborators (``AppParts``), and
how a run differs from a plain start (``AppOptions``). Parts that not every run has
(D-Bus, MPRIS, the console, the overlay) are imported only when made. ``app.py``
wires the parts together; nothing here connects a signal."""

from __future__ import annotations

import functools
import linecache
import logging
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import keyring.backend
from PySide6.QtCore import QObject

from nowplaying_tray.account_parts import account_parts
from nowplaying_tray.core.art_cache import ArtCache, art_session
from nowplaying_tray.core.autostart import Autostart, autostart_for_this_platform
from nowplaying_tray.core.budget import DAY_S, RequestBudget, budget_file
from nowplaying_tray.core.listening_day import ListeningDay, listening_day_file
from nowplaying_tray.core.login_expiry import LoginReminder
from nowplaying_tray.core.nowplaying_file import NowPlayingFileConfig
from nowplaying_tray.core.paths import AppPaths
from nowplaying_tray.core.policy import PollConfig
from nowplaying_tray.core.recent_list import recent_file
from nowplaying_tray.core.settings import Settings, SettingsStore
from nowplaying_tray.core.track_changes import NotifyRules, TrackChangeDetector
from nowplaying_tray.services.art_fetch import ArtFetcher
from nowplaying_tray.services.artwork import ArtworkLoader
from nowplaying_tray.services.clock_steps import ClockSteps
from nowplaying_tray.services.controls import PlaybackControls
from nowplaying_tray.services.login_watch import LoginWatch
from nowplaying_tray.services.lyrics import LYRICS_WORKER_NAME, LyricsService
from nowplaying_tray.services.notifications.channel import NotificationChannel
from nowplaying_tray.services.notifications.track_change import TrackAnnouncer
from nowplaying_tray.services.nowplaying_export import NowPlayingExport
from nowplaying_tray.services.playback.hub import PlaybackHub
from nowplaying_tray.services.playback.source import NullSource, PlaybackSource
from nowplaying_tray.services.playback.web_api import WebApiSource
from nowplaying_tray.services.preferences import Preferences
from nowplaying_tray.services.recently_played import RecentlyPlayed
from nowplaying_tray.services.wake import WakeWatcher
from nowplaying_tray.services.worker import DOWNLOADS_NAME, TaskRunner
from nowplaying_tray.ui.desktop_links import open_folder
from nowplaying_tray.ui.no_tray import NoTrayWindow
from nowplaying_tray.ui.popup.window import PopupWindow
from nowplaying_tray.ui.presenter import Presenter
from nowplaying_tray.ui.tray import TrayView
from nowplaying_tray.ui.windows import WindowController

if TYPE_CHECKING:
    from nowplaying_tray.bus.thread import BusThread
    from nowplaying_tray.core.lyrics_lookup import LyricsClient
    from nowplaying_tray.services.artwork import ArtworkLoader
    from nowplaying_tray.services.mpris.local_players import LocalPlayers
    from nowplaying_tray.services.mpris.published_player import MprisServer
    from nowplaying_tray.services.mpris.publishing import PublishedPlayerFeed
    from nowplaying_tray.services.notifications.desktop import DesktopNotifications
    from nowplaying_tray.services.overlay.overlay import StreamOverlay
    from nowplaying_tray.services.playback.hub import PlaybackHub
    from nowplaying_tray.ui.bus_tray_icon import TrayIcon
    from nowplaying_tray.ui.console import ConsoleView

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
    tray_icon: TrayIcon | None = None  # one already on screen, shown before we loaded
    bus: BusThread | None = None  # the session bus the early tray icon opened (Linux)
    mpris: bool = False  # local players and our own player on the session bus (Linux)
    # Without a tray the card becomes a window; a headless run prints to the console instead.
    window_without_tray: bool = True
    console: bool = False  # headless: track changes and problems as lines on the terminal


def bus_thread() -> BusThread:
    """The app's one session-bus connection (jeepney is imported only where it is used)."""
    from nowplaying_tray.bus.thread import BusThread

    return BusThread("dbus")


def mpris_parts(
    bus: BusThread | None, settings: Settings, clock: Callable[[], float], parent: QObject
) -> tuple[LocalPlayers, MprisServer] | None:
    """The local-player watch and our MPRIS player, on ``bus``."""
    if bus is None:
        return None
    from nowplaying_tray.services.mpris.local_players import LocalPlayers
    from nowplaying_tray.services.mpris.published_player import MprisServer

    return (
        LocalPlayers(bus, settings.local_players, clock=clock, parent=parent),
        MprisServer(bus, clock=clock, parent=parent),
    )


def published_feed(
    hub: PlaybackHub, server: MprisServer | None, parent: QObject
) -> PublishedPlayerFeed | None:
    if server is None:
        return None
    from nowplaying_tray.services.mpris.publishing import PublishedPlayerFeed

    return PublishedPlayerFeed(hub, server, parent=parent)


def desktop_notifications(
    bus: BusThread | None, on: bool, parent: QObject
) -> DesktopNotifications | None:
    """Notifications over the app's bus, where it has one and they are wanted."""
    if bus is None or not on:
        return None
    from nowplaying_tray.services.notifications.desktop import DesktopNotifications

    return DesktopNotifications(bus, parent=parent)


def stream_overlay(
    artwork: ArtworkLoader, hub: PlaybackHub, clock: Callable[[], float], parent: QObject
) -> StreamOverlay:
    """The stream overlay (its server runs only while ``overlay_port`` is set)."""
    from nowplaying_tray.core.playback_choice import SourceKind
    from nowplaying_tray.services.overlay.cover_files import CoverFiles
    from nowplaying_tray.services.overlay.overlay import StreamOverlay

    return StreamOverlay(
        CoverFiles(artwork).lookup,
        lambda: (hub.source or SourceKind.WEB_API).value,
        clock=clock,
        parent=parent,
    )


def lyrics_client_maker(cache_dir: Path) -> Callable[[Settings], LyricsClient]:
    """LRCLIB clients on one cache. The first call imports the lookup, on the lyrics
    worker once a track plays, so none of it is loaded before the first playback."""
    made: list[Callable[[Settings], LyricsClient]] = []

    def make(settings: Settings) -> LyricsClient:
        if not made:
            from nowplaying_tray.core.lyrics_lookup import lyrics_clients

            linecache.clearcache()  # its source text, read by PySide, is not kept (launch.py)
            made.append(lyrics_clients(cache_dir))
        return made[0](settings)

    return make


def console_view(parent: QObject) -> ConsoleView:
    from nowplaying_tray.ui.console import ConsoleView

    return ConsoleView(parent=parent)


class AppParts(QObject):
    """Every part of the running app, each made with its collaborators; ``TrayApp``
    (app.py) wires them together. Nothing here connects a signal."""

    def __init__(self, settings: Settings, paths: AppPaths, options: AppOptions) -> None:
        super().__init__()
        self.paths = paths
        self.options = options
        self._build_account(settings, options)
        self._build_playback(settings, options)
        self._build_views(settings, options)

    @property
    def settings(self) -> Settings:
        return self.preferences.current

    # building -----------------------------------------------------------------------

    def _build_account(self, settings: Settings, options: AppOptions) -> None:
        self.runner = TaskRunner(self)
        self.budget = RequestBudget(
            settings.daily_request_budget,
            path=budget_file(self.paths.state_dir),
            clock=options.wall_clock,
            window_s=options.budget_window_s,
        )
        self.day = ListeningDay(listening_day_file(self.paths.state_dir), options.wall_clock)
        parts = account_parts(
            settings,
            self.runner,
            self.budget,
            keyring_backend=options.keyring_backend,
            open_url=options.open_url,
            poll_config=options.poll_config,
            clock=options.clock,
            wall_clock=options.wall_clock,
            day=self.day,
            parent=self,
        )
        self.access, self.poller, self.account = parts.access, parts.poller, parts.account
        self.session = parts.session
        self.preferences = Preferences(
            settings,
            SettingsStore(self.paths),
            options.autostart or autostart_for_this_platform(),
            self.runner,
            parent=self,
        )
        state_dir = self.paths.state_dir
        self.login_watch = LoginWatch(
            self.runner,
            lambda: LoginReminder(self.session.access.store, state_dir),
            wall_clock=options.wall_clock,
            parent=self,
        )
        self.clock_steps = ClockSteps(self)  # its failed(), at start: check on a timer
        self.wake = WakeWatcher(on_timer=False, parent=self)

    def _build_playback(self, settings: Settings, options: AppOptions) -> None:
        # One D-Bus connection for the app's own work: the tray icon (where launch.py put
        # it there, with a StatusNotifierItem host), local players, our MPRIS player and
        # notifications.
        wants_bus = options.mpris or options.use_dbus_notifications
        self.dbus = options.bus or (bus_thread() if wants_bus else None)
        mpris = mpris_parts(self.dbus, settings, options.clock, self) if options.mpris else None
        self.local_watch: LocalPlayers | None = mpris[0] if mpris else None
        self.mpris_server: MprisServer | None = mpris[1] if mpris else None
        self.local_players: PlaybackSource = self.local_watch or NullSource(self)
        self.web_api = WebApiSource(self.poller, parent=self)
        self.hub = PlaybackHub((self.local_players, self.web_api), options.clock, parent=self)
        self.controls = PlaybackControls(
            self.runner, self.access.gateway, self.poller, self.hub, self.local_watch, parent=self
        )
        self.downloads = TaskRunner(self, name=DOWNLOADS_NAME)  # art never holds up a poll
        self.art = ArtFetcher(  # the request timeout in effect at each download
            ArtCache(self.paths.cache_dir / "art"),
            art_session(),
            lambda: self.session.settings.request_timeout_s,
        )
        self.artwork = ArtworkLoader(self.downloads, self.art.fetch, parent=self)
        self.recent = RecentlyPlayed(self.runner, recent_file(self.paths.state_dir), parent=self)
        self.export = NowPlayingExport(
            self.runner,
            self.artwork,
            NowPlayingFileConfig.from_settings(settings),
            clock=options.clock,
            parent=self,
        )
        self.lyrics = LyricsService(  # on a worker thread of its own, never the Spotify one
            TaskRunner(self, name=LYRICS_WORKER_NAME),
            lyrics_client_maker(self.paths.cache_dir / "lyrics"),
            settings,
            clock=options.clock,
            parent=self,
        )

    def _build_views(self, settings: Settings, options: AppOptions) -> None:
        self.announcer = TrackAnnouncer(
            TrackChangeDetector(NotifyRules.from_settings(settings)), self.artwork, parent=self
        )
        self.notifier = desktop_notifications(self.dbus, options.use_dbus_notifications, self)
        self.notices = NotificationChannel(self.notifier, parent=self)
        self.popup = PopupWindow(clock=options.clock)
        self.tray = TrayView(
            icon=options.tray_icon, tray_wait_attempts=options.tray_wait_attempts, parent=self
        )
        self.presenter = Presenter(
            self.tray,
            self.popup,
            self.hub,
            self.session,
            self.controls,
            self.artwork,
            self.login_watch,
            self.recent,
            clock=options.clock,
            parent=self,
        )
        self.no_tray = NoTrayWindow(
            self.popup, self.tray.menu, self.session, self.runner, self.paths.state_dir, parent=self
        )
        self.windows = WindowController(
            self.preferences,
            self.account,
            self.runner,
            display_name=self.access.gateway.display_name,
            open_logs=functools.partial(open_folder, self.paths.log_dir),
            budget=self.budget.view,
            parent=self,
        )
        self.published = published_feed(self.hub, self.mpris_server, self)
        self.console = console_view(self) if options.console else None
        self.overlay = stream_overlay(self.artwork, self.hub, options.clock, self)
