"""Keeps the tray and the popup in step with the playback hub and the account.

It holds no Spotify logic and no state of its own beyond what is on screen: what
is playing comes from the hub, whether a login exists from the session (never from
playback). ``app.py`` connects its slots; it connects nothing itself.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QObject, QPoint, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication, QPixmap

from nowplaying_tray.core.budget_words import OUT_OF_DATE, budget_notice
from nowplaying_tray.core.errors import AuthRequired, MissingClientId, NowPlayingError
from nowplaying_tray.core.model import Playback, PlaybackState
from nowplaying_tray.core.playback_choice import SourceKind
from nowplaying_tray.core.settings import Settings
from nowplaying_tray.core.text import one_line
from nowplaying_tray.core.tray_status import TrayStatus, error_line, tray_status
from nowplaying_tray.services.artwork import ArtworkLoader
from nowplaying_tray.services.controls import PlaybackControls
from nowplaying_tray.services.login_watch import LoginWatch
from nowplaying_tray.services.playback.hub import PlaybackHub
from nowplaying_tray.services.recently_played import RecentlyPlayed
from nowplaying_tray.services.session import Session
from nowplaying_tray.ui import style
from nowplaying_tray.ui.popup.content import can_save
from nowplaying_tray.ui.popup.window import PopupWindow
from nowplaying_tray.ui.tray import TrayView
from nowplaying_tray.ui.tray_menu import MenuState

logger = logging.getLogger(__name__)

POPUP_ART_SIZE = 300
REOPEN_GUARD_S = 0.3


class Presenter(QObject):
    """Turns the hub's and the session's state into the tray's and the popup's."""

    setup_wanted = Signal()
    """The tray was clicked while set-up is needed (the tooltip promised it)."""
    login_wanted = Signal()
    """The tray was clicked while a login is needed (the tooltip promised it)."""

    def __init__(
        self,
        tray: TrayView,
        popup: PopupWindow,
        hub: PlaybackHub,
        session: Session,
        controls: PlaybackControls,
        artwork: ArtworkLoader,
        login_watch: LoginWatch,
        recent: RecentlyPlayed,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._tray = tray
        self._popup = popup
        self._hub = hub
        self._session = session
        self._controls = controls
        self._artwork = artwork
        self._login_watch = login_watch
        self._recent = recent
        self._clock = clock
        self._status: TrayStatus | None = None
        self._art_url: str | None = None
        self._item_key: str | None = None
        # Ticks only while an error countdown is on screen.
        self._countdown = QTimer(self)
        self._countdown.setObjectName("retry-countdown")
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self.refresh)  # its own timer

    # what the menu shows --------------------------------------------------------------

    def menu_state(self) -> MenuState:
        session = self._session
        playback = self._hub.playback
        logged_in = session.is_logged_in  # the account's state, whatever plays
        idle = playback is None or playback.state is PlaybackState.IDLE
        base = MenuState(
            header=(self._status.header if self._status is not None else "Now Playing"),
            notifications_on=session.settings.notifications,
            recent=self._recent.menu_entries(),
            logged_in=logged_in,
            setup_needed=session.setup_needed,
            login_expiring=logged_in and self._login_watch.days_left is not None,
            notice=(self.budget_notice() or "") if logged_in else "",
        )
        if idle or playback is None:
            return base
        marked = self._status is not None and self._status.headline.endswith(f"({OUT_OF_DATE})")
        return replace(
            base,
            header=f"{one_line(playback)} ({OUT_OF_DATE})" if marked else one_line(playback),
            has_item=True,
            playing=playback.is_playing,
            can_play_pause=playback.allows("pausing" if playback.is_playing else "resuming"),
            can_next=playback.allows("skipping_next"),
            can_previous=playback.allows("skipping_prev"),
            can_save=logged_in and can_save(playback),
            saved=self._controls.saved_state(playback.uri),
            has_link=playback.spotify_url is not None,
            spotify_item=playback.is_spotify_item,
        )

    def check_library(self) -> None:
        """The card or the menu is about to show: whether the item is saved, read once
        per item (a counted request), never for an item no one sees."""
        playback = self._hub.playback
        if playback is not None and playback.state is not PlaybackState.IDLE:
            self._controls.refresh_saved(playback)

    def refresh_menu(self) -> None:
        """The menu as the state is now (the library, recently played, a login reminder)."""
        self._tray.update_menu(self.menu_state())

    # clicks -----------------------------------------------------------------------------

    def on_tray_clicked(self) -> None:
        error = self._hub.error
        if isinstance(error, MissingClientId):
            self.setup_wanted.emit()
        elif isinstance(error, AuthRequired) and not self._session.logging_in:
            self.login_wanted.emit()
        else:
            self.toggle_popup(self._tray.click_pos)

    def open_in_spotify(self) -> None:
        playback = self._hub.playback
        if playback is not None and playback.spotify_url:
            QDesktopServices.openUrl(QUrl(playback.spotify_url))

    def copy_link(self) -> None:
        playback = self._hub.playback
        if playback is not None and playback.spotify_url:
            QGuiApplication.clipboard().setText(playback.spotify_url)

    # popup ----------------------------------------------------------------------------

    def toggle_popup(self, pointer: QPoint | None = None) -> None:
        if self._popup.isVisible():
            self._popup.hide()
            return
        hidden_at = self._popup.last_hidden_at()
        if hidden_at is not None and self._clock() - hidden_at < REOPEN_GUARD_S:
            # On X11 the click on the tray icon first takes focus from the popup,
            # which hides it; that same click must not open it again.
            return
        self.show_popup(pointer)

    def on_popup_hidden(self) -> None:
        self._session.set_popup_visible(False)

    def show_popup(self, pointer: QPoint | None = None) -> None:
        """Open the card by the tray icon; ``pointer`` is where the icon was clicked.

        Opened without a click (a second start, a notification, Raise over MPRIS), it
        goes where the icon was last clicked: the tray does not always say where it is.
        """
        self._popup.show_near(
            self._tray.geometry(), pointer if pointer is not None else self._tray.click_pos
        )
        self._session.set_popup_visible(True)

    # state → widgets ------------------------------------------------------------------

    def refresh(self) -> None:
        session = self._session
        error = self._hub.error
        retry_in = session.retry_in_s() if error is not None else None
        notice = self.budget_notice()
        self._status = tray_status(
            playback=self._hub.playback,
            error=error,
            retry_in_s=retry_in,
            now=self._clock(),
            template=session.settings.tooltip_template,
            logging_in=session.logging_in,
            notice=notice,
        )
        self._tray.set_status(self._status)
        self.refresh_menu()
        if session.logging_in:
            self._popup.show_status("Logging in — finish in your browser")
        elif error is not None:
            self._popup.show_status(error_line(error, retry_in))
        else:
            self._popup.show_status(notice)
        counting = error is not None and retry_in is not None
        if counting and not self._countdown.isActive():
            self._countdown.start()
        elif not counting:
            self._countdown.stop()

    def budget_notice(self) -> str | None:
        """Why the daily budget holds polling back and when the next look is, or None
        (and None while a local player answers: no request is waited for)."""
        poller = self._session.poller
        if self._hub.source is SourceKind.LOCAL or not poller.running:
            return None
        return budget_notice(
            self._session.budget.view(), poller.config.budget_reserve, poller.retry_in_s()
        )

    def show_playback(self, playback: Playback) -> None:
        if playback.item_key != self._item_key:
            self._item_key = playback.item_key
            logger.info("Now playing: %s", one_line(playback))
        self._popup.show_playback(playback)
        self._show_art_for(playback)
        if self._popup.isVisible() or self._tray.menu.isVisible():
            self.check_library()  # a new item while someone looks
        self.refresh()

    def show_error(self, error: NowPlayingError | None) -> None:
        if isinstance(error, AuthRequired | MissingClientId):
            self._popup.show_playback(None)
            self._show_art_for(None)
        self.refresh()

    def on_logged_in(self, _name: str) -> None:
        self._popup.show_message(None)
        self.refresh()

    def on_login_failed(self, error: NowPlayingError) -> None:
        self._popup.show_message(error.message)
        self.refresh()

    def on_settings_applied(self, _settings: Settings) -> None:
        self.refresh()

    # art --------------------------------------------------------------------------------

    def _show_art_for(self, playback: Playback | None) -> None:
        url = playback.art_url(POPUP_ART_SIZE) if playback is not None else None
        if url == self._art_url:
            return
        self._art_url = url
        self._render_art(self._popup.isVisible())

    def on_popup_about_to_show(self) -> None:
        """Covers are decoded only for a card that is seen, so each showing asks for one
        (before it shows: no placeholder flash), by the icon or as the no-tray window."""
        self._render_art(True)

    def _render_art(self, visible: bool, fetch: bool = True) -> None:
        """The cover, decoded only for a card that is (about to be) seen."""
        url = self._art_url
        image = self._artwork.image(url, art_pixels()) if url is not None and visible else None
        self._popup.show_art(QPixmap.fromImage(image) if image is not None else None)
        if url is not None and visible and image is None and fetch:
            self._artwork.request(url)  # the placeholder until it arrives

    def on_art_loaded(self, url: str, _path: str) -> None:
        if url == self._art_url and self._popup.isVisible():
            self._render_art(True, fetch=False)  # a file that will not decode stays a placeholder

    def on_art_failed(self, url: str) -> None:
        if url == self._art_url:
            self._popup.show_art(None)


def art_pixels() -> int:
    """The card's cover size in device pixels, on the sharpest screen."""
    ratios = [screen.devicePixelRatio() for screen in QGuiApplication.screens()]
    return round(style.ART_SIZE * max(ratios, default=1.0))
