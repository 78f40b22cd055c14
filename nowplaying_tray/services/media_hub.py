"""Which source tells what is playing: a local MPRIS player, or the Web API poller.

While a local player (the Spotify desktop client, spotifyd...) is Playing or
Paused, its playback goes to the same ``Poller.playback_changed`` every view
listens to, polling is suspended, controls go to that player over MPRIS, and
our own MPRIS player is withdrawn (the local one already is one). When it stops
or quits, polling resumes at once and Web API playback is published again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from nowplaying_tray.core.errors import AuthRequired, MissingClientId, NowPlayingError
from nowplaying_tray.core.model import Playback
from nowplaying_tray.services.controls import PlaybackControls
from nowplaying_tray.services.poller import Poller

if TYPE_CHECKING:  # jeepney is imported only where MPRIS is on (Linux)
    from nowplaying_tray.services.mpris.local_players import LocalPlayers
    from nowplaying_tray.services.mpris.published_player import MprisServer

logger = logging.getLogger(__name__)

LOOKING = "looking for a local player"


class MediaHub(QObject):
    """Chooses the source of playback: a local player while one answers, else polling."""

    def __init__(
        self,
        poller: Poller,
        controls: PlaybackControls,
        server: MprisServer | None,
        players: LocalPlayers | None,
        show_popup: Callable[[], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._poller = poller
        self._controls = controls
        self._server = server
        self._players = players
        poller.playback_changed.connect(self._on_playback)
        poller.error_changed.connect(self._on_error)
        if server is not None:
            server.play_pause_requested.connect(controls.play_pause)
            server.play_requested.connect(controls.play_pause)  # only sent when paused
            server.pause_requested.connect(controls.play_pause)  # only sent when playing
            server.next_requested.connect(controls.next)
            server.previous_requested.connect(controls.previous)
            server.seek_requested.connect(
                controls.seek
            )  # Seek, SetPosition: one burst, one request
            server.raise_requested.connect(show_popup)
        if players is not None:
            controls.local = players
            players.playback_changed.connect(self._on_local_playback)
            players.active_changed.connect(self._on_local_active)
            players.scanned.connect(self._on_scanned)

    @property
    def local_active(self) -> bool:
        return self._players is not None and self._players.active

    def start(self) -> None:
        """Before the poller starts: no poll until the bus was looked at."""
        if self._players is None:
            return
        self._poller.suspend(LOOKING)
        self._players.start()

    # sources ------------------------------------------------------------------------

    def _on_scanned(self, active: bool) -> None:
        if not active:
            self._resume_polling()

    def _on_local_playback(self, playback: Playback) -> None:
        if self.local_active:
            self._poller.show(playback)

    def _on_local_active(self, active: bool) -> None:
        if active:
            self._poller.suspend("a local player answers")
            if self._server is not None:
                self._server.withdraw()
        else:
            self._poller.show(Playback.idle(playback_read_at(self._poller)))
            self._resume_polling()

    def _resume_polling(self) -> None:
        self._poller.resume()
        if not self._poller.running:  # stopped earlier (no client ID): look once more
            self._poller.start()

    # our MPRIS player ---------------------------------------------------------------

    def _on_playback(self, playback: Playback) -> None:
        if self._server is None or self.local_active:
            return
        self._server.update(playback)
        if not self._poller.suspended:  # from the Web API
            self._server.publish()

    def _on_error(self, error: NowPlayingError | None) -> None:
        if self._server is not None and isinstance(error, AuthRequired | MissingClientId):
            self._server.update(None)
            self._server.withdraw()


def playback_read_at(poller: Poller) -> float:
    playback = poller.playback
    return playback.read_at if playback is not None else 0.0
