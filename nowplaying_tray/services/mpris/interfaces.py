"""The two MPRIS2 interfaces we publish, declared for ``ExportedObject`` (jeepney).

They live on the D-Bus thread: properties read the last ``Playback`` handed in,
and method calls go to ``PlayerActions`` callbacks, which emit Qt signals (so the
Web API work happens on the Qt side, never here). No D-Bus error escapes a call.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from nowplaying_tray.bus.exported import ExportedObject, Interface, Method, Property
from nowplaying_tray.core.model import Playback
from nowplaying_tray.core.mpris import (
    MPRIS_PATH,
    MPRIS_PLAYER,
    MPRIS_ROOT,
    mpris_metadata,
    playback_status,
    track_path,
)

logger = logging.getLogger(__name__)

JUMP_MS = 1500  # a position this far from the extrapolated one was a seek
Send = Callable[[Any], None]  # sends a jeepney message


@dataclass
class PlayerActions:
    """What a call from the bus does; each runs on the D-Bus thread and must not block."""

    play_pause: Callable[[], None]
    play: Callable[[], None]
    pause: Callable[[], None]
    next: Callable[[], None]
    previous: Callable[[], None]
    seek_to: Callable[[int], None]  # milliseconds
    raise_window: Callable[[], None]


def _constant(value: object) -> Callable[[], object]:
    return lambda: value


def root_interface(actions: PlayerActions) -> Interface:
    props = {
        "CanQuit": ("b", False),
        "CanRaise": ("b", True),
        "HasTrackList": ("b", False),
        "Identity": ("s", "Now Playing (Spotify)"),
        "DesktopEntry": ("s", "nowplaying-tray"),
        "SupportedUriSchemes": ("as", []),
        "SupportedMimeTypes": ("as", []),
    }
    return Interface(
        MPRIS_ROOT,
        methods={
            "Raise": Method(actions.raise_window),
            "Quit": Method(lambda: logger.info("MPRIS Quit ignored: CanQuit is false")),
        },
        properties={name: Property(sig, _constant(value)) for name, (sig, value) in props.items()},
    )


class MprisPlayer:
    """Our object at ``/org/mpris/MediaPlayer2``: its state, its calls, its signals."""

    def __init__(
        self,
        actions: PlayerActions,
        send: Send,
        clock: Callable[[], float] = time.monotonic,
        seekable: bool = False,  # whether our controls can seek (the Web API can)
    ) -> None:
        self._actions = actions
        self._send = send
        self._seekable = seekable
        self._clock = clock
        self.playback: Playback | None = None
        self.exported = ExportedObject(MPRIS_PATH, [root_interface(actions), self._interface()])

    def _interface(self) -> Interface:
        methods = {
            "Next": Method(self.next),
            "Previous": Method(self.previous),
            "Pause": Method(self.pause),
            "PlayPause": Method(self.play_pause),
            "Stop": Method(self.pause),
            "Play": Method(self.play),
            "Seek": Method(self.seek, (("Offset", "x"),)),
            "SetPosition": Method(self.set_position, (("TrackId", "o"), ("Position", "x"))),
            "OpenUri": Method(self.open_uri, (("Uri", "s"),)),
        }
        props = {
            "PlaybackStatus": Property("s", lambda: playback_status(self.playback)),
            "Metadata": Property("a{sv}", self._metadata),
            "Position": Property("x", self._position_us),
            "Rate": Property("d", _constant(1.0)),
            "MinimumRate": Property("d", _constant(1.0)),
            "MaximumRate": Property("d", _constant(1.0)),
            "Volume": Property("d", _constant(1.0)),
            "CanGoNext": Property("b", lambda: self._allows("skipping_next")),
            "CanGoPrevious": Property("b", lambda: self._allows("skipping_prev")),
            "CanPlay": Property("b", self._can_play),
            "CanPause": Property("b", self._can_pause),
            "CanSeek": Property("b", self._can_seek),
            "CanControl": Property("b", _constant(True)),
        }
        return Interface(MPRIS_PLAYER, methods, props, signals={"Seeked": (("Position", "x"),)})

    def show(self, playback: Playback | None) -> None:
        """New playback: store it and signal the properties that changed."""
        before, last = self._snapshot(), self.playback
        self.playback = playback
        after = self._snapshot()
        changed = {name: value for name, value in after.items() if before.get(name) != value}
        if changed:
            self._send(self.exported.properties_changed(MPRIS_PLAYER, changed))
        if self._jumped(last, playback):
            self._send(self.exported.signal(MPRIS_PLAYER, "Seeked", "x", (self._position_us(),)))

    def _snapshot(self) -> dict[str, Any]:
        return {
            "PlaybackStatus": playback_status(self.playback),
            "Metadata": self._metadata(),
            "CanGoNext": self._allows("skipping_next"),
            "CanGoPrevious": self._allows("skipping_prev"),
            "CanPlay": self._can_play(),
            "CanPause": self._can_pause(),
            "CanSeek": self._can_seek(),
        }

    def _jumped(self, last: Playback | None, new: Playback | None) -> bool:
        """Position is not signalled as it moves; a jump within one item is (``Seeked``)."""
        if last is None or new is None or last.item_key != new.item_key or new.item_key is None:
            return False
        now = self._clock()
        expected, reported = last.progress_at(now), new.progress_at(now)
        return expected is not None and reported is not None and abs(expected - reported) > JUMP_MS

    def _metadata(self) -> dict[str, tuple[str, Any]]:
        return mpris_metadata(self.playback)

    def _allows(self, action: str) -> bool:
        playback = self.playback
        return playback is not None and playback.title is not None and playback.allows(action)

    # Spotify disallows "resuming" what plays and "pausing" what is paused; MPRIS asks
    # whether the player can play or pause at all (playerctl skips a player that cannot play).
    def _can_play(self) -> bool:
        playback = self.playback
        return self._allows("resuming") or (playback is not None and playback.is_playing)

    def _can_pause(self) -> bool:
        playback = self.playback
        paused = playback is not None and playback.title is not None and not playback.is_playing
        return self._allows("pausing") or paused

    def _can_seek(self) -> bool:
        return self._seekable and self._allows("seeking") and self._duration_ms() is not None

    def _duration_ms(self) -> int | None:
        return self.playback.duration_ms if self.playback is not None else None

    def _position_us(self) -> int:
        playback = self.playback
        progress = playback.progress_at(self._clock()) if playback is not None else None
        return (progress or 0) * 1000

    # methods --------------------------------------------------------------------------

    def next(self) -> None:
        if self._allows("skipping_next"):
            self._actions.next()

    def previous(self) -> None:
        if self._allows("skipping_prev"):
            self._actions.previous()

    def pause(self) -> None:
        if self.playback is not None and self.playback.is_playing:
            self._actions.pause()

    def play_pause(self) -> None:
        if self.playback is not None and self.playback.title is not None:
            self._actions.play_pause()

    def play(self) -> None:
        if self.playback is not None and not self.playback.is_playing:
            self._actions.play()

    def seek(self, offset: int) -> None:
        self._seek_to((self._position_us() + offset) // 1000)

    def set_position(self, track_id: str, position: int) -> None:
        if track_id == track_path(self.playback):  # the spec: a stale id is ignored
            self._seek_to(position // 1000)

    def open_uri(self, uri: str) -> None:
        logger.info("MPRIS OpenUri ignored (no URI schemes supported)")

    def _seek_to(self, position_ms: int) -> None:
        duration = self._duration_ms()
        if duration is None or not self._can_seek():
            return
        if position_ms >= duration:
            self.next()  # the spec: seeking past the end acts like Next
            return
        self._actions.seek_to(max(0, position_ms))
