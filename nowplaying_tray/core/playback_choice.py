"""Which source tells what is playing: the one rule, for the tray app and for ``now``.

1. A source that plays beats one that is paused, and a paused one beats one with
   nothing to show (stopped, idle, unknown).
2. Between two sources in the same state, a local player beats the Web API: it is
   exact, and it costs no request.
3. Among local players in the same state, the one already followed stays (no
   flapping between two paused players); otherwise the first by name.

So a local player paused in the background never hides what the phone plays, and
a second mpv that starts playing takes over from a paused one.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from nowplaying_tray.core.model import Playback, PlaybackState


class SourceKind(str, enum.Enum):
    """Where a playback comes from; ``now --json`` prints the value as ``source``."""

    LOCAL = "local"  # an MPRIS player on this computer
    WEB_API = "web_api"  # Spotify's Web API, for every device of the account


# MPRIS PlaybackStatus -> our state; anything else ("Stopped", missing) shows nothing.
_STATUS = {"Playing": PlaybackState.PLAYING, "Paused": PlaybackState.PAUSED}
_STATE_RANK = {PlaybackState.PLAYING: 0, PlaybackState.PAUSED: 1}
_NOTHING = len(_STATE_RANK)
_KIND_RANK = {SourceKind.LOCAL: 0, SourceKind.WEB_API: 1}


@dataclass(frozen=True)
class Candidate:
    """One source's answer, as the rule sees it."""

    kind: SourceKind
    playback: Playback | None


def state_rank(state: PlaybackState | None) -> int:
    """0 playing, 1 paused, 2 nothing to show."""
    return _STATE_RANK.get(state, _NOTHING) if state is not None else _NOTHING


def choose_source(candidates: Sequence[Candidate]) -> Candidate | None:
    """The candidate to show, by rules 1 and 2; None when none has anything to show."""

    def rank(candidate: Candidate) -> tuple[int, int]:
        playback = candidate.playback
        return (state_rank(playback.state if playback else None), _KIND_RANK[candidate.kind])

    best = min(candidates, key=rank, default=None)
    if best is None or rank(best)[0] == _NOTHING:
        return None
    return best


def choose_player(statuses: Sequence[tuple[str, str]], current: str | None = None) -> str | None:
    """The local player to follow, by rules 1 and 3.

    ``statuses``: each player's bus name and MPRIS ``PlaybackStatus``; ``current``:
    the player followed so far, if any. None when no player plays or is paused.
    """

    def rank(entry: tuple[str, str]) -> tuple[int, int, str]:
        name, status = entry
        return (state_rank(_STATUS.get(status)), 0 if name == current else 1, name)

    best = min(statuses, key=rank, default=None)
    if best is None or rank(best)[0] == _NOTHING:
        return None
    return best[0]
