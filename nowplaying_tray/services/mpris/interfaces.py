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

from nowplaying_tray.bus.exported import CallError, ExportedObject, Interface, Method, Property
from nowplaying_tray.core.model import Playback
from nowplaying_tray.core.mpris import (
    MPRIS_PATH,
    MPRIS_PLAYER,
    MPRIS_ROOT,
    REPEAT_STATE,
    loop_status,
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
    set_volume: Callable[[int], None] = lambda percent: None  # 0-100
    set_shuffle: Callable[[bool], None] = lambda on: None
    set_repeat: Callable[[str], None] = lambda state: None  # track, context or off


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
        # Stop: the item shows as Stopped (and Play starts it again) until it plays again
        # after the pause was seen, or another item comes.
        self._stopped: str | None = None  # the stopped item's key
        self._stop_seen = False  # a paused reading of it came after the Stop
        self._play_after_stop = False  # Play came before that reading
        self.exported = ExportedObject(MPRIS_PATH, [root_interface(actions), self._interface()])

    def _interface(self) -> Interface:
        methods = {
            "Next": Method(self.next),
            "Previous": Method(self.previous),
            "Pause": Method(self.pause),
            "PlayPause": Method(self.play_pause),
            "Stop": Method(self.stop),
            "Play": Method(self.play),
            "Seek": Method(self.seek, (("Offset", "x"),)),
            "SetPosition": Method(self.set_position, (("TrackId", "o"), ("Position", "x"))),
            "OpenUri": Method(self.open_uri, (("Uri", "s"),)),
        }
        props = {
            "PlaybackStatus": Property("s", self._status),
            "Metadata": Property("a{sv}", self._metadata),
            "Position": Property("x", self._position_us),
            "Rate": Property("d", _constant(1.0), self.set_rate),
            "MinimumRate": Property("d", _constant(1.0)),
            "MaximumRate": Property("d", _constant(1.0)),
            "Volume": Property("d", self._volume, self.set_volume),
            "Shuffle": Property("b", self._shuffle, self.set_shuffle),
            "LoopStatus": Property("s", lambda: loop_status(self.playback), self.set_loop_status),
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
        self._follow_stop(playback)
        after = self._snapshot()
        changed = {name: value for name, value in after.items() if before.get(name) != value}
        if changed:
            self._send(self.exported.properties_changed(MPRIS_PLAYER, changed))
        if self._jumped(last, playback):
            self._send(self.exported.signal(MPRIS_PLAYER, "Seeked", "x", (self._position_us(),)))

    def _snapshot(self) -> dict[str, Any]:
        return {
            "PlaybackStatus": self._status(),
            "Metadata": self._metadata(),
            "Volume": self._volume(),
            "Shuffle": self._shuffle(),
            "LoopStatus": loop_status(self.playback),
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

    def _follow_stop(self, playback: Playback | None) -> None:
        if self._stopped is None:
            return
        if playback is None or playback.item_key != self._stopped:
            self._stopped, self._play_after_stop = None, False  # another item, or none
        elif not playback.is_playing:
            self._stop_seen = True
            if self._play_after_stop:
                self._play_after_stop = False
                self._actions.play()
        elif self._stop_seen:
            self._stopped = None  # played again (from here or another device)

    def _status(self) -> str:
        return "Stopped" if self._stopped is not None else playback_status(self.playback)

    def _volume(self) -> float:
        """The device's volume; 1.0 where it is unknown or cannot be set."""
        percent = self.playback.volume_percent if self.playback is not None else None
        return percent / 100 if percent is not None else 1.0

    def _shuffle(self) -> bool:
        return self.playback is not None and self.playback.shuffle is True

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
        if self._stopped is not None:
            return 0
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
        if self.playback is not None and self.playback.is_playing and self._stopped is None:
            self._actions.pause()

    def play_pause(self) -> None:
        if self._stopped is not None:
            self.play()
        elif self.playback is not None and self.playback.title is not None:
            self._actions.play_pause()

    def play(self) -> None:
        if self._stopped is not None:  # the spec: Play after Stop starts the item again
            if self._can_seek():
                self._actions.seek_to(0)
            if self._stop_seen:
                self._actions.play()
            else:  # the pause is on its way; play once it is seen
                self._play_after_stop = True
            return
        if self.playback is not None and not self.playback.is_playing:
            self._actions.play()

    def stop(self) -> None:
        """Paused on Spotify, shown as Stopped at the start of the item."""
        playback = self.playback
        if playback is None or playback.title is None or self._stopped is not None:
            return
        self._stopped, self._stop_seen = playback.item_key, not playback.is_playing
        if playback.is_playing:
            self._actions.pause()
        self._send(self.exported.properties_changed(MPRIS_PLAYER, {"PlaybackStatus": "Stopped"}))

    def seek(self, offset: int) -> None:
        self._seek_to((self._position_us() + offset) // 1000)

    def set_position(self, track_id: str, position: int) -> None:
        """The spec: a stale id, a negative position or one past the end does nothing."""
        duration = self._duration_ms()
        if track_id != track_path(self.playback) or duration is None or not self._can_seek():
            return
        if 0 <= position <= duration * 1000:
            self._actions.seek_to(position // 1000)

    # writable properties (a refusal is a D-Bus error reply) ---------------------------

    def set_rate(self, rate: float) -> None:
        if rate == 1.0:
            return
        if rate == 0.0:  # the spec: as Pause
            self.pause()
            return
        raise CallError("InvalidArgs", f"Rate {rate} is not possible: Spotify plays at 1.0")

    def set_volume(self, volume: float) -> None:
        if volume != volume:  # NaN
            raise CallError("InvalidArgs", "Volume is not a number")
        if self.playback is None or self.playback.volume_percent is None:
            raise CallError("NotSupported", "The device playing does not let its volume be set")
        self._actions.set_volume(round(min(1.0, max(0.0, volume)) * 100))

    def set_shuffle(self, on: bool) -> None:
        shuffle = self.playback.shuffle if self.playback is not None else None
        self._settable("Shuffle", shuffle, "toggling_shuffle")
        self._actions.set_shuffle(bool(on))

    def set_loop_status(self, status: str) -> None:
        repeat = REPEAT_STATE.get(status)
        if repeat is None:
            raise CallError("InvalidArgs", f"LoopStatus is None, Track or Playlist, not {status}")
        now = self.playback.repeat if self.playback is not None else None
        toggled = now if repeat == "off" else repeat  # turning off toggles the mode that is on
        self._settable("LoopStatus", now, f"toggling_repeat_{toggled}")
        self._actions.set_repeat(repeat)

    def _settable(self, name: str, value: object, action: str) -> None:
        """Refuses ``name`` while Spotify's player does not say it (or does not allow it)."""
        playback = self.playback
        if playback is None or value is None or playback.title is None:
            raise CallError("NotSupported", f"{name} is not known for what plays now")
        if action != "toggling_repeat_off" and not playback.allows(action):
            raise CallError("NotSupported", f"Spotify does not allow changing {name} now")

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
