"""What the running tray app tells ``now`` over the instance socket, both ways.

The tray answers with what it shows (the playback with its progress as of the
answer, its source, the problem it shows and until when, the request budget), so
``now`` beside a tray sends no request at all. Everything read back is bounded and
validated: a broken answer is no answer, and ``now`` asks Spotify itself.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from typing import Any, TypeGuard

from nowplaying_tray.core.errors import (
    ApiUnavailable,
    AuthRequired,
    KeyringUnavailable,
    MissingClientId,
    NowPlayingError,
    Offline,
    RateLimited,
    SpotifyRequestFailed,
)
from nowplaying_tray.core.json_reader import read_json
from nowplaying_tray.core.limits import MAX_TEXT_CHARS
from nowplaying_tray.core.model import Image, ItemKind, Playback, PlaybackState

logger = logging.getLogger(__name__)

VERSION = 1
MAX_ARTISTS = 50
# The problem kinds, as ``now --json`` names them.
PROBLEM_KINDS = ("login_needed", "rate_limited", "unreachable", "no_keyring", "failed")


@dataclass(frozen=True)
class TrayState:
    """The tray's answer, read back by ``now``."""

    playback: Playback | None  # ``read_at`` is the reader's monotonic clock at reading
    source: str | None  # "web_api" or "local"
    problem: str | None  # one of PROBLEM_KINDS
    message: str | None  # the problem in words
    until: float | None  # wall-clock time the problem lasts until, if it says
    budget: dict[str, Any] | None


def problem_kind(error: NowPlayingError) -> str:
    if isinstance(error, AuthRequired | MissingClientId):
        return "login_needed"
    if isinstance(error, RateLimited):
        return "rate_limited"
    if isinstance(error, KeyringUnavailable):
        return "no_keyring"
    if isinstance(error, Offline | ApiUnavailable | SpotifyRequestFailed):
        return "unreachable"
    return "failed"


def encode_state(
    playback: Playback | None,
    source: str | None,
    error: NowPlayingError | None,
    until_in_s: float | None,
    budget: dict[str, Any] | None,
    now: float,
    wall_now: float,
) -> bytes:
    """The answer: one JSON line. ``now``: the playback's clock; ``until_in_s``: how long
    the problem lasts, if known."""
    data: dict[str, Any] = {
        "version": VERSION,
        "playback": playback.to_json(now) if playback is not None else None,
        "source": source,
        "problem": problem_kind(error) if error is not None else None,
        "message": error.message if error is not None else None,
        "until": wall_now + until_in_s if error is not None and until_in_s is not None else None,
        "budget": budget,
    }
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8", errors="replace") + b"\n"  # a lone surrogate cannot fail it


def decode_state(raw: bytes, clock: Any = time.monotonic) -> TrayState | None:
    """The tray's answer, or None if it cannot be read (then ``now`` asks Spotify)."""
    try:
        data = read_json(raw)  # bounded in size and depth, like every JSON we read
        if not isinstance(data, dict) or data.get("version") != VERSION:
            raise ValueError("not an answer of this version")
        playback = _playback(data.get("playback"), clock())
        problem = data.get("problem")
        if problem is not None and problem not in PROBLEM_KINDS:
            raise ValueError("unknown problem")
        until = data.get("until")
        budget = data.get("budget")
        return TrayState(
            playback=playback,
            source=_choice(data.get("source"), ("web_api", "local")),
            problem=problem,
            message=_text(data.get("message")),
            until=float(until) if _finite(until) else None,
            budget=budget if isinstance(budget, dict) and len(budget) <= 16 else None,
        )
    except (ValueError, TypeError, KeyError, OverflowError) as exc:
        logger.info("The tray's answer could not be read (%s)", exc)
        return None


def _finite(value: Any) -> TypeGuard[int | float]:
    # A wall-clock time: a 400-digit number or infinity is none.
    return isinstance(value, int | float) and not isinstance(value, bool) and abs(value) < 1e12


def _playback(value: Any, read_at: float) -> Playback | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ValueError("playback is not an object")
    state = PlaybackState(value["state"])
    kind_value = value.get("kind")
    artists = value.get("artists") or []
    if not isinstance(artists, list) or len(artists) > MAX_ARTISTS:
        raise ValueError("artists")
    art = _text(value.get("art_url"))
    return Playback(
        state=state,
        read_at=read_at,
        kind=ItemKind(kind_value) if kind_value is not None else ItemKind.UNKNOWN,
        title=_text(value.get("title")),
        artists=tuple(text for a in artists if (text := _text(a)) is not None),
        album=_text(value.get("album")),
        duration_ms=_count(value.get("duration_ms")),
        progress_ms=_count(value.get("progress_ms")),
        images=(Image(art, None, None),) if art else (),
        url=_text(value.get("url")),
        uri=_text(value.get("uri")),
        is_local=value.get("is_local") is True,
        device=_text(value.get("device")),
    )


def _text(value: Any) -> str | None:
    return value[:MAX_TEXT_CHARS] if isinstance(value, str) else None


def _count(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 0 <= value < 2**40 else None


def _choice(value: Any, allowed: tuple[str, ...]) -> str | None:
    return value if value in allowed else None
