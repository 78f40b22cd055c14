"""Playback controls from the tray menu, the popup and notifications.

Each control runs on the worker; afterwards the poller is asked to look again,
so the display follows within a fraction of a second. Failures the person can
act on (Premium required, no active device) come back as a short message.

Every press costs a request from the daily budget, so a burst is one request:
Next and Previous take the first press of a burst; Play/Pause sends where the
burst ends up, and nothing if it ends where it started.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, Signal

from nowplaying_tray.core.errors import NowPlayingError, RestrictionViolated
from nowplaying_tray.core.gateway import SpotifyGateway
from nowplaying_tray.core.model import Playback
from nowplaying_tray.core.playback_choice import SourceKind
from nowplaying_tray.services.playback.hub import PlaybackHub
from nowplaying_tray.services.poller import Poller
from nowplaying_tray.services.throttle import Throttle
from nowplaying_tray.services.worker import TaskRunner

logger = logging.getLogger(__name__)

BURST_MS = 400  # presses closer together than this are one burst


class LocalPlayer(Protocol):
    """The players on this computer (MPRIS): the one followed takes the controls."""

    def control(self, method: str) -> None: ...

    def seek(self, position_ms: int) -> None: ...

    def set_volume(self, percent: int) -> None: ...


class PlaybackControls(QObject):
    """Signals:
    message(object): a sentence for the person (str), or None to clear it.
    saved_changed(object): whether the current item is in the library (bool), or None if unknown.
    """

    message = Signal(object)
    saved_changed = Signal(object)

    def __init__(
        self,
        runner: TaskRunner,
        gateway: SpotifyGateway,
        poller: Poller,
        hub: PlaybackHub,
        local: LocalPlayer | None = None,
        parent: QObject | None = None,
    ) -> None:
        """``local``: the local players, where they are watched; they take the controls
        while the hub shows one of them."""
        super().__init__(parent)
        self._runner = runner
        self._gateway = gateway
        self._poller = poller
        self._saved: dict[str, bool] = {}  # the library state, per item, once read
        self._asking: set[str] = set()  # items whose library state is being read
        self._hub = hub
        self._local = local
        self._wanted_playing = False  # where the current Play/Pause burst is heading
        self._sent_playing = False  # what the last request of the burst asked for
        self._play_state = Throttle(self._set_playing, BURST_MS, name="play-pause", parent=self)
        self._next = Throttle(
            lambda: self._send("next", self._gateway.next),
            BURST_MS,
            trailing=False,
            name="next-burst",
            parent=self,
        )
        self._previous = Throttle(
            lambda: self._send("previous", self._gateway.previous),
            BURST_MS,
            trailing=False,
            name="previous-burst",
            parent=self,
        )

        # A drag is one request (the widgets send at its end); wheel steps and quick
        # clicks in a row are merged into the first and the last.
        self._seek = Throttle(self._send_seek, BURST_MS, name="seek-burst", parent=self)
        self._volume = Throttle(self._send_volume, BURST_MS, name="volume-burst", parent=self)
        # Shuffle and repeat come from MPRIS clients (playerctl, shell widgets): the last
        # setting of a burst wins.
        self._shuffle = Throttle(
            lambda on: self._send("shuffle", lambda: self._gateway.set_shuffle(on)),
            BURST_MS,
            name="shuffle-burst",
            parent=self,
        )
        self._repeat = Throttle(
            lambda state: self._send("repeat", lambda: self._gateway.set_repeat(state)),
            BURST_MS,
            name="repeat-burst",
            parent=self,
        )

    @property
    def idle(self) -> bool:
        """No burst open and no merged press waiting."""
        throttles = (
            self._play_state, self._next, self._previous, self._seek, self._volume,
            self._shuffle, self._repeat,
        )  # fmt: skip
        return all(throttle.idle for throttle in throttles)

    def seek(self, position_ms: int) -> None:
        self._seek(position_ms)

    def set_volume(self, percent: int) -> None:
        self._volume(percent)

    def set_shuffle(self, on: bool) -> None:
        self._shuffle(on)

    def set_repeat(self, state: str) -> None:
        """``track``, ``context`` or ``off``, as the Web API names them."""
        self._repeat(state)

    def _send_seek(self, position_ms: int) -> None:
        if (local := self._local_for("seek")) is not None:
            local.seek(position_ms)  # no request, and nothing to poll for
            return
        self._send("seek", lambda: self._gateway.seek(position_ms))

    def _send_volume(self, percent: int) -> None:
        if (local := self._local_for("volume")) is not None:
            local.set_volume(percent)
            return
        self._send("volume", lambda: self._gateway.set_volume(percent))

    def _local_for(self, what: str) -> LocalPlayer | None:
        """The local player, if it takes the controls now."""
        if self._local is None or self._hub.source is not SourceKind.LOCAL:
            return None
        logger.info("Control: %s on the local player", what)
        return self._local

    def _local_takes(self, method: str) -> bool:
        if (local := self._local_for(method)) is None:
            return False
        local.control(method)
        return True

    def play_pause(self) -> None:
        if self._local_takes("PlayPause"):
            return
        if self._play_state.idle:  # a new burst starts from what is on screen
            playback = self._poller.playback
            self._sent_playing = playback is not None and playback.is_playing
            self._wanted_playing = self._sent_playing
        self._wanted_playing = not self._wanted_playing
        self._play_state(self._wanted_playing)

    def next(self) -> None:
        if not self._local_takes("Next"):
            self._next()

    def previous(self) -> None:
        if not self._local_takes("Previous"):
            self._previous()

    def _set_playing(self, playing: bool) -> None:
        if playing == self._sent_playing:
            return  # the burst came back to where it was
        self._sent_playing = playing
        if playing:
            self._send("play", self._gateway.play)
        else:
            self._send("pause", self._gateway.pause)

    def saved_state(self, uri: str | None) -> bool | None:
        return self._saved.get(uri) if uri else None

    def toggle_save(self) -> None:
        playback = self._poller.playback
        uri = playback.uri if playback else None
        if not uri or (playback is not None and playback.is_local):
            return
        if self._saved.get(uri):
            self._send(
                "unsave", lambda: self._gateway.unsave(uri), lambda: self._set_saved(uri, False)
            )
        else:
            self._send("save", lambda: self._gateway.save(uri), lambda: self._set_saved(uri, True))

    def refresh_saved(self, playback: Playback) -> None:
        """Ask whether the item is saved, once per item. Called only when the answer is
        about to be seen (the card or the menu opens): each ask is a counted request."""
        uri = playback.uri
        if self._hub.source is SourceKind.LOCAL:
            self.saved_changed.emit(self._saved.get(uri) if uri else None)
            return  # no Web API request while a local player answers
        if not uri or playback.is_local or uri in self._saved:
            self.saved_changed.emit(self._saved.get(uri) if uri else None)
            return
        budget = self._gateway.budget
        if uri in self._asking or (budget is not None and budget.view().remaining <= 0):
            return  # already on its way, or the day's budget is spent: the heart stays unknown
        self._asking.add(uri)

        def failed(error: NowPlayingError) -> None:
            self._asking.discard(uri)
            logger.info("Could not read the library: %s", error.message)

        self._runner.submit(
            lambda: self._gateway.is_saved(uri),
            lambda saved: self._set_saved(uri, bool(saved)),
            failed,
        )

    def _set_saved(self, uri: str, saved: bool) -> None:
        self._asking.discard(uri)
        self._saved[uri] = saved
        current = self._poller.playback
        if current is not None and current.uri == uri:
            self.saved_changed.emit(saved)

    def _send(
        self, name: str, call: Callable[[], None], after: Callable[[], None] | None = None
    ) -> None:
        logger.info("Control: %s", name)

        def done(_: object) -> None:
            self.message.emit(None)
            if after is not None:
                after()
            self._poller.note_interaction()

        def failed(error: NowPlayingError) -> None:
            if isinstance(error, RestrictionViolated):
                # What we showed was out of date (already paused, an ad began): no error,
                # just look again.
                logger.info("Control %s not allowed right now; reading the state again", name)
                self.message.emit(None)
                self._poller.poll_now(f"after refused {name}")
                return
            logger.info("Control %s failed: %s", name, error.message)
            self.message.emit(error.message)
            self._poller.note_interaction()

        self._runner.submit(call, done, failed)
