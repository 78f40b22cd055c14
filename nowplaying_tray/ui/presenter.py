"""Keeps the tray and the popup in step with the poller, the account and the controls.

It holds no Spotify logic of its own: it turns signals from the services into
what the widgets show, and widget clicks into service calls.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QPoint, QTimer, Signal
from PySide6.QtGui import QImage, QPixmap

from nowplaying_tray.core.errors import (
    AuthRequired,
    LoginExpired,
    MissingClientId,
    NowPlayingError,
)
from nowplaying_tray.core.model import Playback, PlaybackState
from nowplaying_tray.core.presentation import error_line, tray_status
from nowplaying_tray.core.text import one_line
from nowplaying_tray.services.account import AccountService
from nowplaying_tray.services.artwork import ArtworkLoader
from nowplaying_tray.services.controls import PlaybackControls
from nowplaying_tray.services.poller import Poller
from nowplaying_tray.ui.popup import PopupWindow
from nowplaying_tray.ui.popup_content import can_save
from nowplaying_tray.ui.tray import TrayView
from nowplaying_tray.ui.tray_menu import MenuState

logger = logging.getLogger(__name__)

POPUP_ART_SIZE = 300
REOPEN_GUARD_S = 0.3


class Presenter(QObject):
    """Signals: setup_wanted() / login_wanted(): the tray was clicked while set-up or a
    login is needed (the tooltip promised that a click does it)."""

    setup_wanted = Signal()
    login_wanted = Signal()
    # A short message for a desktop notification (title, text); the app decides how.
    message = Signal(str, str)

    def __init__(
        self,
        tray: TrayView,
        popup: PopupWindow,
        poller: Poller,
        controls: PlaybackControls,
        account: AccountService,
        artwork: ArtworkLoader,
        tooltip_template: Callable[[], str],
        notifications_on: Callable[[], bool],
        clock: Callable[[], float] = time.monotonic,
        login_days_left: Callable[[], int | None] = lambda: None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._tray = tray
        self._popup = popup
        self._poller = poller
        self._controls = controls
        self._account = account
        self._artwork = artwork
        self._tooltip_template = tooltip_template
        self._notifications_on = notifications_on
        self._clock = clock
        self._login_days_left = login_days_left
        # An ended login starts one login at once; never again until a poll succeeds.
        self._relogin_started = False
        self._art_url: str | None = None
        self._item_key: str | None = None
        self.logged_in = False
        self._quiet_login = False  # a login the person did not ask for is not announced
        # Ticks only while an error countdown is on screen.
        self._countdown = QTimer(self)
        self._countdown.setObjectName("retry-countdown")
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self.refresh)

        poller.playback_changed.connect(self._on_playback)
        poller.error_changed.connect(self._on_error)
        account.login_started.connect(self.refresh)
        account.logged_in.connect(self._on_logged_in)
        account.login_failed.connect(self._on_login_failed)
        account.logged_out.connect(self._on_logged_out)
        controls.message.connect(popup.show_message)
        controls.saved_changed.connect(popup.show_saved)
        controls.saved_changed.connect(self._on_saved_changed)
        artwork.loaded.connect(self._on_art_loaded)
        artwork.failed.connect(self._on_art_failed)
        tray.activated.connect(self._on_tray_clicked)
        # A bound slot, not a lambda: Qt drops it when the presenter goes away.
        popup.hidden.connect(self._on_popup_hidden)

    # what the menu shows --------------------------------------------------------------

    def menu_state(self) -> MenuState:
        playback = self._poller.playback
        error = self._poller.error
        setup_needed = isinstance(error, MissingClientId)
        expiring = self.logged_in and self._login_days_left() is not None
        if playback is None or playback.state is PlaybackState.IDLE:
            header = (
                self._tray.status.tooltip.splitlines()[0] if self._tray.status else "Now Playing"
            )
            return MenuState(
                header=header,
                notifications_on=self._notifications_on(),
                logged_in=self.logged_in,
                setup_needed=setup_needed,
                login_expiring=expiring,
            )
        return MenuState(
            header=one_line(playback),
            has_item=True,
            playing=playback.is_playing,
            can_play_pause=playback.allows("pausing" if playback.is_playing else "resuming"),
            can_next=playback.allows("skipping_next"),
            can_previous=playback.allows("skipping_prev"),
            can_save=can_save(playback),
            saved=self._controls.saved_state(playback.uri),
            has_link=bool(playback.url),
            notifications_on=self._notifications_on(),
            logged_in=self.logged_in,
            setup_needed=setup_needed,
            login_expiring=expiring,
        )

    def _on_saved_changed(self, _saved: object) -> None:
        self._tray.update_menu()  # "Save to" / "Remove from Your Library"

    # popup ----------------------------------------------------------------------------

    def _on_tray_clicked(self) -> None:
        error = self._poller.error
        if isinstance(error, MissingClientId):
            self.setup_wanted.emit()
        elif isinstance(error, AuthRequired) and not self._account.logging_in:
            self.login_wanted.emit()
        else:
            self.toggle_popup(self._tray.click_pos)

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

    def _on_popup_hidden(self) -> None:
        self._poller.set_popup_visible(False)

    def show_popup(self, pointer: QPoint | None = None) -> None:
        """Open the card by the tray icon; ``pointer`` is where the icon was clicked."""
        self._popup.show_near(self._tray.geometry(), pointer)
        self._poller.set_popup_visible(True)

    # state → widgets ------------------------------------------------------------------

    def refresh(self) -> None:
        error = self._poller.error
        retry_in = self._poller.retry_in_s() if error is not None else None
        status = tray_status(
            playback=self._poller.playback,
            error=error,
            retry_in_s=retry_in,
            now=self._clock(),
            template=self._tooltip_template(),
            logging_in=self._account.logging_in,
        )
        self._tray.set_status(status)
        if self._account.logging_in:
            self._popup.show_status("Logging in — finish in your browser")
        elif error is not None:
            self._popup.show_status(error_line(error, retry_in))
        else:
            self._popup.show_status(None)
        counting = error is not None and retry_in is not None
        if counting and not self._countdown.isActive():
            self._countdown.start()
        elif not counting:
            self._countdown.stop()

    def _on_playback(self, playback: Playback) -> None:
        if playback.item_key != self._item_key:
            self._item_key = playback.item_key
            logger.info("Now playing: %s", one_line(playback))
        self.logged_in = True
        self._relogin_started = False
        self._popup.show_playback(playback)
        self._show_art_for(playback)
        if playback.state is not PlaybackState.IDLE:
            self._controls.refresh_saved(playback)
        self.refresh()

    def _on_error(self, error: NowPlayingError | None) -> None:
        if isinstance(error, AuthRequired | MissingClientId):
            self.logged_in = False
            self._popup.show_playback(None)
            self._show_art_for(None)
        if isinstance(error, LoginExpired) and not self._relogin_started:
            # Straight to the login, once: a failed or cancelled one leaves "Log in" in the
            # menu and the tooltip, never a loop of browser tabs.
            self._relogin_started = True
            self.message.emit(error.title, f"{error.message} Your browser opens for it now.")
            self.login_wanted.emit()
        self.refresh()

    def login_quietly(self) -> None:
        """Log in without a "Logged in" notification (the demo, at every start)."""
        self._quiet_login = True
        self._account.login()

    def _on_logged_in(self, name: str) -> None:
        self.logged_in = True
        self._popup.show_message(None)
        if not self._quiet_login:
            self.message.emit("Now Playing", f"Logged in as {name}")
        self._quiet_login = False
        self._poller.start()
        self.refresh()

    def _on_login_failed(self, error: NowPlayingError) -> None:
        self._quiet_login = False
        self._popup.show_message(error.message)
        self.message.emit(error.title, error.message)
        self.refresh()

    def _on_logged_out(self) -> None:
        self.logged_in = False
        self._poller.reset(AuthRequired())

    # art --------------------------------------------------------------------------------

    def _show_art_for(self, playback: Playback | None) -> None:
        url = playback.art_url(POPUP_ART_SIZE) if playback is not None else None
        if url == self._art_url:
            return
        self._art_url = url
        if url is None:
            self._popup.show_art(None)
            return
        hit = self._artwork.cached(url)
        if hit is not None:
            self._popup.show_art(QPixmap.fromImage(hit[0]))
        else:
            self._popup.show_art(None)  # placeholder until it arrives
            self._artwork.request(url)

    def _on_art_loaded(self, url: str, image: QImage, _path: str) -> None:
        if url == self._art_url:
            self._popup.show_art(QPixmap.fromImage(image))

    def _on_art_failed(self, url: str) -> None:
        if url == self._art_url:
            self._popup.show_art(None)
