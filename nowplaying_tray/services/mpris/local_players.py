"""Local players over MPRIS: what a desktop Spotify client plays, with no Web API request.

``LocalPlayers`` watches the session bus for ``org.mpris.MediaPlayer2.*`` names
matching ``local_players``, reads each one's ``Player`` properties and follows
their ``PropertiesChanged`` signals. The player that is Playing (else Paused) is
authoritative; its playback is reported as a ``Playback``. Everything bus-side
runs on the D-Bus thread (``BusThread``, in wire order); results reach Qt by signals.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject

from nowplaying_tray.bus.thread import DBUS, PROPERTIES, BusThread, BusUnavailable, unwrap
from nowplaying_tray.core.model import Playback
from nowplaying_tray.core.mpris import (
    MPRIS_PATH,
    MPRIS_PLAYER,
    MPRIS_PREFIX,
    MPRIS_ROOT,
    is_wanted_player,
    keep_position,
    player_playback,
    player_short_name,
    seek_target,
)
from nowplaying_tray.core.playback_choice import SourceKind, choose_player
from nowplaying_tray.core.settings import Settings
from nowplaying_tray.services.playback.source import PlaybackSource

logger = logging.getLogger(__name__)

READ_ATTEMPTS = 3  # reads of a new player's properties while signals keep changing them


@dataclass
class _Player:
    name: str  # the well-known name
    owner: str  # its unique name, which signals come from
    identity: str
    props: dict[str, Any] = field(default_factory=dict)
    position_us: Any = None
    read_at: float = 0.0
    playback: Playback | None = None
    read: bool = False  # its properties were read once; until then signals only mark them stale
    changes: int = 0  # signals seen, so that a read overtaken by one is done again

    @property
    def status(self) -> str:
        value = self.props.get("PlaybackStatus")
        return value if isinstance(value, str) else "Stopped"


class LocalPlayers(PlaybackSource):
    """The local players as one source: the playback of the one followed (see
    ``core.playback_choice.choose_player``); ``changed`` on every change of it."""

    kind = SourceKind.LOCAL

    def __init__(
        self,
        bus: BusThread,
        wanted: Sequence[str],
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._bus = bus
        self._wanted = tuple(wanted)
        self._clock = clock
        self._players: dict[str, _Player] = {}  # by well-known name; D-Bus thread only
        self._current: str | None = None  # the followed player's name
        # Read on the GUI thread; written on the D-Bus thread before ``changed`` goes out.
        self.active = False
        self._shown: Playback | None = None
        self._settled = False

    @property
    def playback(self) -> Playback | None:
        return self._shown if self.active else None

    @property
    def settled(self) -> bool:
        return self._settled

    def start(self) -> None:
        self._bus.submit(self._start)

    def apply_settings(self, settings: Settings) -> None:
        """Which players count as local, from the settings."""
        self.set_wanted(settings.local_players)

    def set_wanted(self, wanted: Sequence[str]) -> None:
        self._wanted = tuple(wanted)
        self._bus.submit(self._rescan)

    def control(self, method: str) -> None:
        """``PlayPause``, ``Next`` or ``Previous`` on the authoritative player."""
        self._bus.submit(lambda: self._control(method))

    def seek(self, position_ms: int) -> None:
        """Move the authoritative player to ``position_ms`` in its current item."""
        self._bus.submit(lambda: self._seek(position_ms))

    def set_volume(self, percent: int) -> None:
        """Set the authoritative player's ``Volume`` (shown only for a player that has one)."""
        self._bus.submit(lambda: self._set_volume(percent))

    # D-Bus thread ---------------------------------------------------------------------

    def _start(self) -> None:
        try:
            self._bus.connect()
        except BusUnavailable as exc:
            logger.info("No local players over MPRIS: %s", exc)
            self._settled = True
            self.changed.emit()
            return
        self._bus.on_message(self._on_message)
        for rule in (
            f"type='signal',interface='{DBUS}',member='NameOwnerChanged',arg0namespace='{MPRIS_ROOT}'",
            f"type='signal',interface='{PROPERTIES}',member='PropertiesChanged',path='{MPRIS_PATH}'",
            f"type='signal',interface='{MPRIS_PLAYER}',member='Seeked',path='{MPRIS_PATH}'",
        ):
            self._bus.call_bus("AddMatch", "s", (rule,))
        self._rescan()
        self._settled = True
        self.changed.emit()

    def _rescan(self) -> None:
        names = self._bus.call_bus("ListNames")
        present = {n for n in (names or []) if is_wanted_player(n, self._wanted)}
        for name in list(self._players):
            if name not in present:
                del self._players[name]
        for name in sorted(present - set(self._players)):
            owner = self._bus.call_bus("GetNameOwner", "s", (name,))
            if owner:
                self._add(name, owner)
        self._choose()

    def _add(self, name: str, owner: str) -> None:
        identity = self._bus.get_property(name, MPRIS_PATH, MPRIS_ROOT, "Identity")
        player = _Player(
            name, owner, identity if isinstance(identity, str) else player_short_name(name)
        )
        self._players[name] = player
        for _ in range(READ_ATTEMPTS):
            # A signal that came before the reply (handled before ``call`` returns) is
            # newer than the reply: read again rather than let the reply undo it.
            seen = player.changes
            props = self._bus.call(name, MPRIS_PATH, PROPERTIES, "GetAll", "s", (MPRIS_PLAYER,))
            if player.changes == seen:
                break
        player.props = unwrap(props[0]) if props else {}
        player.read = True
        player.position_us = player.props.get("Position")
        player.read_at = self._clock()
        logger.info("Local player found: %s (%s)", name, player.status)

    def _on_message(self, msg: Any) -> None:
        from jeepney import HeaderFields, MessageType

        if msg.header.message_type is not MessageType.signal:
            return
        fields, body = msg.header.fields, msg.body
        member, interface = fields.get(HeaderFields.member), fields.get(HeaderFields.interface)
        if member == "NameOwnerChanged" and interface == DBUS:
            name, _old, new = body
            if is_wanted_player(name, self._wanted):
                self._bus.submit(lambda: self._owner_changed(name, new))
            return
        sender = fields.get(HeaderFields.sender)
        player = next((p for p in self._players.values() if p.owner == sender), None)
        if player is None or fields.get(HeaderFields.path) != MPRIS_PATH:
            return
        player.changes += 1
        if not player.read:
            return  # _add reads its properties again
        if member == "PropertiesChanged" and body and body[0] == MPRIS_PLAYER:
            self._changed(player, unwrap(body[1]))
        elif member == "Seeked" and body:
            player.position_us, player.read_at = body[0], self._clock()
            self._choose()

    def _owner_changed(self, name: str, owner: str) -> None:
        self._players.pop(name, None)
        if owner:
            self._add(name, owner)
        else:
            logger.info("Local player gone: %s", name)
        self._choose()

    def _changed(self, player: _Player, changed: dict[str, Any]) -> None:
        """Reported at once, from the signal alone; the position is re-read after."""
        status_before, meta_before = player.status, player.props.get("Metadata")
        player.props.update(changed)
        new_item = player.props.get("Metadata") != meta_before
        player.read_at = self._clock()
        if "Position" in changed:
            player.position_us = changed["Position"]
        elif new_item:
            player.position_us = 0
        elif player.status != status_before:
            player.position_us = None  # keep_position extrapolates until the re-read
        self._choose()
        if "Position" not in changed and (new_item or player.status != status_before):
            # The Spotify client sends no Seeked and rarely Position: read it on every
            # status or item change (it may still say 0; keep_position covers that).
            self._bus.submit(lambda: self._reread_position(player))

    def _reread_position(self, player: _Player) -> None:
        seen = player.changes
        position = self._bus.get_property(player.name, MPRIS_PATH, MPRIS_PLAYER, "Position")
        if player.changes != seen:
            return  # a newer signal was handled meanwhile: what it said stands
        if position and self._players.get(player.name) is player:
            player.position_us, player.read_at = position, self._clock()
            self._choose()

    def _choose(self) -> None:
        statuses = [(p.name, p.status) for p in self._players.values()]
        name = choose_player(statuses, self._current)
        current = self._players.get(name or "")
        self._current = name
        was_active, shown_before = self.active, self._shown
        if current is not None:
            self._report(current)
            self._shown = current.playback
        self.active = current is not None
        if was_active != self.active:
            logger.info("Local player %s", f"{name} answers" if name else "none")
        if was_active != self.active or (self.active and self._shown != shown_before):
            self.changed.emit()

    def _report(self, player: _Player) -> None:
        read = player_playback(player.props, player.identity, player.position_us, player.read_at)
        player.playback = keep_position(player.playback, read)

    def _control(self, method: str) -> None:
        name = self._current
        if name is None:
            logger.info("Control %s: no local player any more", method)
            return
        self._bus.call(name, MPRIS_PATH, MPRIS_PLAYER, method)

    def _seek(self, position_ms: int) -> None:
        player = self._players.get(self._current or "")
        if player is None or player.playback is None:
            logger.info("Seek: no local player any more")
            return
        position_us = max(0, position_ms) * 1000
        trackid = seek_target((player.props.get("Metadata") or {}).get("mpris:trackid"))
        if trackid is not None:
            body: tuple[Any, ...] = (trackid, position_us)
            reply = self._bus.call(player.name, MPRIS_PATH, MPRIS_PLAYER, "SetPosition", "ox", body)
        else:  # a URI for a trackid: SetPosition cannot name the item, a relative Seek can
            now_ms = player.playback.progress_at(self._clock()) or 0
            offset_us = position_us - now_ms * 1000
            reply = self._bus.call(player.name, MPRIS_PATH, MPRIS_PLAYER, "Seek", "x", (offset_us,))
        if reply is None or self._players.get(player.name) is not player:
            return
        # No Seeked comes (the Spotify client never sends it): take the new position as
        # read now, then ask the player where it really is.
        player.position_us, player.read_at = position_us, self._clock()
        player.playback = None  # not kept as before, even for a seek to 0 (keep_position)
        self._choose()
        self._reread_position(player)

    def _set_volume(self, percent: int) -> None:
        player = self._players.get(self._current or "")
        if player is None or "Volume" not in player.props:
            logger.info("Volume: no local player with a volume")
            return
        value = min(100, max(0, percent)) / 100
        body = (MPRIS_PLAYER, "Volume", ("d", value))
        reply = self._bus.call(player.name, MPRIS_PATH, PROPERTIES, "Set", "ssv", body)
        if reply is not None and self._players.get(player.name) is player:
            player.props["Volume"] = value  # a PropertiesChanged may or may not follow
            self._choose()


__all__ = ["MPRIS_PREFIX", "LocalPlayers"]
