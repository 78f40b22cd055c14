"""``now`` from a local player: one look at the session bus, no Web API request.

The tray app follows local players with ``services.mpris_client``; a one-shot command
only has to read them once, so this asks over the bus thread directly, without Qt.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Sequence
from typing import Any

from nowplaying_tray.core.model import Playback
from nowplaying_tray.core.mpris import (
    MPRIS_PATH,
    MPRIS_PLAYER,
    MPRIS_ROOT,
    is_wanted_player,
    player_playback,
    player_short_name,
)
from nowplaying_tray.core.playback_choice import choose_player

logger = logging.getLogger(__name__)

READ_TIMEOUT_S = 3.0  # the whole look; a call that gets no answer gives up after 2 s


def read_local_playback(wanted: Sequence[str]) -> Playback | None:
    """What the local player plays: the one that is Playing, else the first Paused one.

    None when no player named in ``wanted`` (the ``local_players`` setting) is playing
    or paused, or when there is no session bus to ask (not Linux, no desktop session).
    """
    if not sys.platform.startswith("linux") or not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return None
    from nowplaying_tray.bus.thread import BusThread, bus_problem

    bus = BusThread("mpris-now")
    try:
        found = bus.wait(lambda: _read_players(bus, wanted), timeout=READ_TIMEOUT_S)
    except Exception as exc:  # no daemon, a bus that went away: the Web API answers then
        logger.info("No local players over MPRIS: %s", bus_problem(exc))
        return None
    finally:
        bus.close()
    players = found if isinstance(found, list) else []
    # The tray app's rule (core.playback_choice), with no player followed before.
    statuses = [(name, str(props.get("PlaybackStatus", ""))) for name, _, props in players]
    chosen = choose_player(statuses)
    for name, identity, props in players:
        if name == chosen:
            return player_playback(props, identity, props.get("Position"), time.monotonic())
    return None


def _read_players(bus: Any, wanted: Sequence[str]) -> list[tuple[str, str, dict[str, Any]]]:
    """On the bus thread: (name, identity, Player properties) of each wanted player."""
    from nowplaying_tray.bus.thread import PROPERTIES, unwrap

    bus.connect()  # raises BusUnavailable: no daemon at that address
    names = bus.call_bus("ListNames") or []
    players = []
    for name in sorted(n for n in names if is_wanted_player(n, wanted)):
        reply = bus.call(name, MPRIS_PATH, PROPERTIES, "GetAll", "s", (MPRIS_PLAYER,))
        if not reply:
            continue  # it quit while we looked, or does not answer
        identity = bus.get_property(name, MPRIS_PATH, MPRIS_ROOT, "Identity")
        shown = identity if isinstance(identity, str) else player_short_name(name)
        players.append((name, shown, unwrap(reply[0])))
    return players
