"""The two MPRIS2 interfaces we publish, as dbus-fast service interfaces.

They live on the D-Bus thread: properties read the last ``Playback`` handed in,
and method calls go to ``PlayerActions`` callbacks, which emit Qt signals (so the
Web API work happens on the Qt side, never here). No D-Bus error escapes a call.

No ``from __future__ import annotations`` here: dbus-fast reads the signatures
from the annotations at class creation.
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from dbus_fast import PropertyAccess, Variant
from dbus_fast.annotations import (
    DBusBool,
    DBusDict,
    DBusDouble,
    DBusInt64,
    DBusObjectPath,
    DBusSignature,
    DBusStr,
)
from dbus_fast.service import ServiceInterface, dbus_method, dbus_property, dbus_signal

from nowplaying_tray.core.model import Playback
from nowplaying_tray.core.mpris import mpris_metadata, playback_status, track_path

logger = logging.getLogger(__name__)

READ = PropertyAccess.READ
DBusStrList = Annotated[list[str], DBusSignature("as")]
JUMP_MS = 1500  # a position this far from the extrapolated one was a seek


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


class RootInterface(ServiceInterface):
    def __init__(self, actions: PlayerActions) -> None:
        super().__init__("org.mpris.MediaPlayer2")
        self._actions = actions

    @dbus_method()
    def Raise(self) -> None:  # noqa: N802 - D-Bus names
        self._actions.raise_window()

    @dbus_method()
    def Quit(self) -> None:  # noqa: N802
        logger.info("MPRIS Quit ignored: CanQuit is false")

    @dbus_property(access=READ)
    def CanQuit(self) -> DBusBool:  # noqa: N802
        return False

    @dbus_property(access=READ)
    def CanRaise(self) -> DBusBool:  # noqa: N802
        return True

    @dbus_property(access=READ)
    def HasTrackList(self) -> DBusBool:  # noqa: N802
        return False

    @dbus_property(access=READ)
    def Identity(self) -> DBusStr:  # noqa: N802
        return "Now Playing (Spotify)"

    @dbus_property(access=READ)
    def DesktopEntry(self) -> DBusStr:  # noqa: N802
        return "nowplaying-tray"

    @dbus_property(access=READ)
    def SupportedUriSchemes(self) -> DBusStrList:  # noqa: N802
        return []

    @dbus_property(access=READ)
    def SupportedMimeTypes(self) -> DBusStrList:  # noqa: N802
        return []


class PlayerInterface(ServiceInterface):
    def __init__(
        self,
        actions: PlayerActions,
        clock: Callable[[], float] = time.monotonic,
        seekable: bool = False,  # whether our controls can seek (the Web API can)
    ) -> None:
        super().__init__("org.mpris.MediaPlayer2.Player")
        self._actions = actions
        self._seekable = seekable
        self._clock = clock
        self.playback: Playback | None = None

    def show(self, playback: Playback | None) -> None:
        """New playback: store it and signal the properties that changed."""
        before, last = self._snapshot(), self.playback
        self.playback = playback
        after = self._snapshot()
        changed = {name: value for name, value in after.items() if before.get(name) != value}
        if changed:
            self.emit_properties_changed(changed)
        if self._jumped(last, playback):
            self.Seeked()

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

    def _metadata(self) -> dict[str, Variant]:
        return {
            key: Variant(sig, value) for key, (sig, value) in mpris_metadata(self.playback).items()
        }

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

    @dbus_method()
    def Next(self) -> None:  # noqa: N802
        if self._allows("skipping_next"):
            self._actions.next()

    @dbus_method()
    def Previous(self) -> None:  # noqa: N802
        if self._allows("skipping_prev"):
            self._actions.previous()

    @dbus_method()
    def Pause(self) -> None:  # noqa: N802
        if self.playback is not None and self.playback.is_playing:
            self._actions.pause()

    @dbus_method()
    def PlayPause(self) -> None:  # noqa: N802
        if self.playback is not None and self.playback.title is not None:
            self._actions.play_pause()

    @dbus_method()
    def Stop(self) -> None:  # noqa: N802
        self.Pause()

    @dbus_method()
    def Play(self) -> None:  # noqa: N802
        if self.playback is not None and not self.playback.is_playing:
            self._actions.play()

    @dbus_method()
    def Seek(self, offset: DBusInt64) -> None:  # noqa: N802
        self._seek_to((self._position_us() + offset) // 1000)

    @dbus_method()
    def SetPosition(self, track_id: DBusObjectPath, position: DBusInt64) -> None:  # noqa: N802
        if track_id == track_path(self.playback):  # the spec: a stale id is ignored
            self._seek_to(position // 1000)

    @dbus_method()
    def OpenUri(self, uri: DBusStr) -> None:  # noqa: N802
        logger.info("MPRIS OpenUri ignored (no URI schemes supported)")

    def _seek_to(self, position_ms: int) -> None:
        duration = self._duration_ms()
        if duration is None or not self._can_seek():
            return
        if position_ms >= duration:
            self.Next()  # the spec: seeking past the end acts like Next
            return
        self._actions.seek_to(max(0, position_ms))

    @dbus_signal()
    def Seeked(self) -> DBusInt64:  # noqa: N802
        return self._position_us()

    # properties -----------------------------------------------------------------------

    @dbus_property(access=READ)
    def PlaybackStatus(self) -> DBusStr:  # noqa: N802
        return playback_status(self.playback)

    @dbus_property(access=READ)
    def Metadata(self) -> DBusDict:  # noqa: N802
        return self._metadata()

    @dbus_property(access=READ)
    def Position(self) -> DBusInt64:  # noqa: N802
        return self._position_us()

    @dbus_property(access=READ)
    def Rate(self) -> DBusDouble:  # noqa: N802
        return 1.0

    @dbus_property(access=READ)
    def MinimumRate(self) -> DBusDouble:  # noqa: N802
        return 1.0

    @dbus_property(access=READ)
    def MaximumRate(self) -> DBusDouble:  # noqa: N802
        return 1.0

    @dbus_property(access=READ)
    def Volume(self) -> DBusDouble:  # noqa: N802
        return 1.0

    @dbus_property(access=READ)
    def CanGoNext(self) -> DBusBool:  # noqa: N802
        return self._allows("skipping_next")

    @dbus_property(access=READ)
    def CanGoPrevious(self) -> DBusBool:  # noqa: N802
        return self._allows("skipping_prev")

    @dbus_property(access=READ)
    def CanPlay(self) -> DBusBool:  # noqa: N802
        return self._can_play()

    @dbus_property(access=READ)
    def CanPause(self) -> DBusBool:  # noqa: N802
        return self._can_pause()

    @dbus_property(access=READ)
    def CanSeek(self) -> DBusBool:  # noqa: N802
        return self._can_seek()

    @dbus_property(access=READ)
    def CanControl(self) -> DBusBool:  # noqa: N802
        return True
