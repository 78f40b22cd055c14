"""The composition root: the parts (``app_parts``) wired together, one area each.

No behaviour lives here, and no other module connects another object's signals.
Options come from the caller (``run_app``, tests, the demo), so tests build a
``TrayApp`` around a simulator and drive it.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QTimer, SignalInstance
from PySide6.QtWidgets import QApplication

from nowplaying_tray.app_parts import AppOptions, AppParts
from nowplaying_tray.core.paths import AppPaths
from nowplaying_tray.core.settings import Settings
from nowplaying_tray.services.session import Session
from nowplaying_tray.ui.desktop_links import open_folder, open_url

logger = logging.getLogger(__name__)
__all__ = ["AppOptions", "TrayApp", "connect_session"]


def connect_session(session: Session) -> None:
    """The session's own parts report to it: the poller (a login answered, an error) and
    the account service (logins and logouts). The session's tests connect it so too."""
    poller, account = session.poller, session.account
    poller.playback_changed.connect(session.on_poll_answered)
    poller.error_changed.connect(session.on_poll_error)
    account.login_started.connect(session.login_started)
    account.logged_in.connect(session.on_logged_in)
    account.login_failed.connect(session.on_login_failed)
    account.logged_out.connect(session.on_logged_out)


# What the first playback does not need starts once it is usually shown: its reads would
# run beside the first poll's (one interpreter lock), its imports before the display.
LATER_START_MS = 1000


class TrayApp(AppParts):
    """Everything the running app is made of (``AppParts``), wired together here, one
    area each, and started and stopped."""

    def __init__(
        self, settings: Settings, paths: AppPaths, options: AppOptions | None = None
    ) -> None:
        super().__init__(settings, paths, options or AppOptions())
        self._stopped = False
        self._wire_session()  # first: the login state is settled before any view reads it
        self._wire_account()
        self._wire_playback()
        self._wire_tray()
        self._wire_popup()
        self._wire_notifications()
        self._wire_mpris()
        self._wire_settings()
        self._wire_console()
        self._wire_overlay()
        self._wire_desktop()
        self._wire_windows()
        self._wire_lyrics(self.hub.playback_changed)
        self._wire_library()
        self._wire_clock_steps()
        self._wire_login_age()

    # wiring, one area each ------------------------------------------------------------

    def _wire_session(self) -> None:
        """The session follows the poller's answers and the account's logins."""
        connect_session(self.session)

    def _wire_account(self) -> None:
        session, presenter = self.session, self.presenter
        session.login_started.connect(presenter.refresh)
        session.logged_in.connect(presenter.on_logged_in)
        session.login_failed.connect(presenter.on_login_failed)
        session.logged_in.connect(self.login_watch.check)
        session.logged_out.connect(self.login_watch.forget)
        session.error_changed.connect(self.wake.note_error)
        self.login_watch.changed.connect(presenter.refresh_menu)
        self.wake.woke.connect(session.poll_now)

    def _wire_playback(self) -> None:
        """Sources report to the hub; every view listens to the hub only."""
        hub = self.hub
        for source in (self.local_players, self.web_api):
            source.changed.connect(hub.on_source_changed)
        self.poller.playback_changed.connect(self.web_api.on_poller_changed)
        self.poller.error_changed.connect(self.web_api.on_poller_changed)
        hub.playback_changed.connect(self.presenter.show_playback)
        hub.error_changed.connect(self.presenter.show_error)
        hub.playback_changed.connect(self.announcer.observe)
        hub.playback_changed.connect(self.export.update)
        hub.playback_changed.connect(self.recent.observe)
        self.recent.changed.connect(self.presenter.refresh_menu)
        self.artwork.loaded.connect(self.presenter.on_art_loaded)
        self.artwork.failed.connect(self.presenter.on_art_failed)

    def _wire_tray(self) -> None:
        tray, controls, session, presenter = self.tray, self.controls, self.session, self.presenter
        tray.activated.connect(presenter.on_tray_clicked)
        tray.menu.aboutToShow.connect(presenter.refresh_menu)  # the clock moves too
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
        tray.open_logs_requested.connect(self.open_log_folder)
        tray.open_url_requested.connect(open_url)
        tray.quit_requested.connect(QApplication.quit)
        presenter.setup_wanted.connect(self.windows.open_setup)
        presenter.login_wanted.connect(session.login)
        if self.options.window_without_tray:
            tray.unavailable.connect(self.no_tray.open)
        self.controls.saved_changed.connect(presenter.refresh_menu)

    def _wire_popup(self) -> None:
        popup, controls, presenter = self.popup, self.controls, self.presenter
        popup.previous_clicked.connect(controls.previous)
        popup.play_pause_clicked.connect(controls.play_pause)
        popup.next_clicked.connect(controls.next)
        popup.next_clicked.connect(self.announcer.quiet_next_change)
        popup.previous_clicked.connect(self.announcer.quiet_next_change)
        popup.save_clicked.connect(controls.toggle_save)
        popup.seek_requested.connect(controls.seek)
        popup.volume_requested.connect(controls.set_volume)
        popup.open_clicked.connect(presenter.open_in_spotify)
        popup.hidden.connect(presenter.on_popup_hidden)  # bound slots: dropped with it
        popup.about_to_show.connect(presenter.on_popup_about_to_show)
        controls.message.connect(popup.show_message)
        controls.saved_changed.connect(popup.show_saved)

    def _wire_notifications(self) -> None:
        notices = self.notices
        self.announcer.announce.connect(notices.show)
        self.session.message.connect(notices.tell)
        notices.in_tray.connect(self.tray.show_message)
        self.preferences.save_failed.connect(notices.tell_error)
        self.login_watch.remind.connect(notices.remind_login)
        if self.notifier is not None:
            self.notifier.unavailable.connect(notices.show_in_tray)
            self.notifier.activated.connect(self.presenter.show_popup)
            self.notifier.next_requested.connect(self.controls.next)
            self.notifier.login_requested.connect(self.session.login)

    def _wire_mpris(self) -> None:
        server, published = self.mpris_server, self.published
        if server is None or published is None:
            return
        controls = self.controls
        server.play_pause_requested.connect(controls.play_pause)
        server.play_requested.connect(controls.play_pause)  # only sent when paused
        server.pause_requested.connect(controls.play_pause)  # only sent when playing
        server.next_requested.connect(controls.next)
        server.previous_requested.connect(controls.previous)
        server.seek_requested.connect(controls.seek)  # Seek, SetPosition: one burst, one request
        server.raise_requested.connect(self.presenter.show_popup)
        server.volume_requested.connect(controls.set_volume)
        server.shuffle_requested.connect(controls.set_shuffle)
        server.repeat_requested.connect(controls.set_repeat)
        self.hub.playback_changed.connect(published.follow)
        self.hub.error_changed.connect(published.follow)
        self.hub.source_changed.connect(published.follow)

    def _wire_settings(self) -> None:
        session = self.session
        self.preferences.changed.connect(session.apply_settings)
        session.settings_applied.connect(self.presenter.on_settings_applied)
        session.settings_applied.connect(self.announcer.apply_settings)
        session.settings_applied.connect(self.export.apply_settings)
        if self.local_watch is not None:
            session.settings_applied.connect(self.local_watch.apply_settings)

    def _wire_overlay(self) -> None:
        """The stream overlay (served only while ``overlay_port`` is set); its
        ``show_lyric`` takes the current lyric line."""
        overlay = self.overlay
        self.hub.playback_changed.connect(overlay.show_playback)
        self.artwork.loaded.connect(overlay.art_ready)
        self.session.settings_applied.connect(overlay.apply_settings)
        overlay.failed.connect(self.notices.tell_error)
        overlay.apply_settings(self.settings)

    def _wire_windows(self) -> None:
        """The setup and settings windows follow the account and the settings."""
        account, windows = self.account, self.windows
        account.login_started.connect(windows.on_login_started)
        account.logged_in.connect(windows.on_logged_in)
        account.login_failed.connect(windows.on_login_failed)
        account.logged_out.connect(windows.on_logged_out)
        self.preferences.changed.connect(windows.on_settings_changed)

    def _wire_console(self) -> None:
        """Headless: each track change on stdout, each problem and its changes on stderr."""
        if self.console is not None:
            self.hub.playback_changed.connect(self.console.show_playback)
            self.session.error_changed.connect(self.console.show_error)

    def _wire_desktop(self) -> None:
        """Closing the no-tray window quits; no bubble over the open card at a change."""
        self.no_tray.quit_requested.connect(QApplication.quit)
        self.popup.about_to_show.connect(
            lambda: self.announcer.set_card_open(not self.popup.standalone)
        )
        self.popup.hidden.connect(lambda: self.announcer.set_card_open(False))

    def _wire_lyrics(self, playback: SignalInstance) -> None:
        """Lyrics follow ``playback`` (the local player's MPRIS position or the Web API's
        extrapolated progress); each line goes to the card, the file and the overlay."""
        lyrics = self.lyrics
        playback.connect(lyrics.observe)
        self.session.settings_applied.connect(lyrics.apply_settings)
        self.popup.seek_requested.connect(lyrics.seek)
        lyrics.lyrics_changed.connect(self.popup.show_lyrics)
        lyrics.line_changed.connect(self.export.show_lyric)
        lyrics.line_changed.connect(self.overlay.show_lyric)

    def _wire_library(self) -> None:
        """The library state is read only when it is about to be seen: the card opens, the
        menu is about to show (a D-Bus tray host's AboutToShow arrives as aboutToShow)."""
        self.popup.about_to_show.connect(self.presenter.check_library)
        self.tray.menu.aboutToShow.connect(self.presenter.check_library)

    def _wire_clock_steps(self) -> None:
        """A resume steps the wall clock: checked then, with no timer running meanwhile."""
        self.clock_steps.stepped.connect(self.wake.check)
        self.clock_steps.failed.connect(self.wake.check_on_timer)

    def _wire_login_age(self) -> None:
        """The login-age check waits on a timer for when its answer can change; a
        wall-clock step or a resume moves that moment, so it looks again then."""
        self.clock_steps.stepped.connect(self.login_watch.check)
        self.wake.woke.connect(self.login_watch.check)

    def start(self) -> None:
        self.presenter.refresh()  # D-Bus tray hosts read the menu before anyone clicks
        self.tray.show()
        self.recent.start()  # read at once: what is seen is saved at a quit only once it is
        self.session.start()  # the poller waits for the hub's first look at local players
        self.hub.start()  # which arms the first poll
        self.wake.start()
        QTimer.singleShot(LATER_START_MS, self, self._start_later)
        if not self.settings.client_id:
            self.windows.open_setup()  # first run: walk the person through

    def _start_later(self) -> None:
        """What the first playback does not wait for: the login's age, the login item,
        the clock-step watch."""
        if self._stopped:
            return
        self.login_watch.start()
        self.preferences.apply_autostart()
        self.clock_steps.start()  # or its failed(): the wake checks on a timer

    def shutdown(self) -> None:
        self._stopped = True
        self.session.stop()
        self.lyrics.shutdown()
        self.overlay.close()
        self.windows.close_all()
        self.login_watch.stop()
        self.wake.stop()
        self.clock_steps.close()
        self.tray.dispose()
        self.popup.hide()
        self.popup.deleteLater()  # a top-level widget: nobody else owns it
        if self.dbus is not None:
            self.dbus.close()
        self.runner.shutdown(last=self._save_on_quit)
        self.downloads.shutdown()

    def _save_on_quit(self) -> None:
        """On the worker, as it ends."""
        self.budget.save_if_changed()
        self.day.save()
        self.recent.save_now()

    # small actions ------------------------------------------------------------------------

    def show_on_request(self) -> None:
        logger.info("Shown at the request of another start")
        self.presenter.show_popup()

    def refresh(self) -> None:
        self.session.poll_now("refresh from the menu")

    def open_log_folder(self) -> None:
        open_folder(self.paths.log_dir)

    def state_answer(self) -> bytes:
        """What ``now`` is told over the instance socket: what the tray shows, no request."""
        from nowplaying_tray.core.tray_answer import encode_state

        hub = self.hub
        error = hub.error
        return encode_state(
            hub.playback,
            hub.source.value if hub.source is not None else None,
            error,
            self.session.retry_in_s() if error is not None else None,
            self.budget.view().to_json(),
            self.options.clock(),
            self.options.wall_clock(),
        )
