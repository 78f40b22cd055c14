"""Text shown to people: templates, tooltips and durations. Plain strings only."""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from nowplaying_tray.core.model import Playback, PlaybackState

NOTHING_PLAYING = "Nothing playing"
TOOLTIP_LIMIT = 127  # Windows truncates tray tooltips beyond this
TEMPLATE_KEYS = ("title", "artist", "album", "progress", "duration", "state", "device", "url")


def format_duration(ms: int | None) -> str:
    if ms is None:
        return ""
    seconds = ms // 1000
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def template_values(playback: Playback, now: float) -> dict[str, str]:
    return {
        "title": playback.title or "",
        "artist": playback.artist_text,
        "album": playback.album or "",
        "progress": format_duration(playback.progress_at(now)),
        "duration": format_duration(playback.duration_ms),
        "state": playback.state.value,
        "device": playback.device or "",
        "url": playback.url or "",
    }


class _Lenient(dict[str, str]):
    """Unknown placeholders stay as typed, so a typo shows instead of crashing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


# An empty field is marked while the template renders, then removed with its separator.
_EMPTY = "\x00"
_SEP = r"[ \t\u00a0\-–—·•|/:,;~]*"
_EMPTY_IN_BRACKETS = re.compile(rf"[(\[]\s*{_EMPTY}\s*[)\]]")
_EMPTY_AT_END = re.compile(rf"(?:{_SEP}{_EMPTY})+{_SEP}$", re.MULTILINE)
_EMPTY_WITH_SEPARATOR = re.compile(rf"{_EMPTY}{_SEP}")


def render_template(template: str, values: Mapping[str, Any]) -> str:
    """``str.format_map`` that never raises: bad braces give the template back as typed.

    A field without a value takes its separator along, so an advert with no artist
    reads "Advertisement", never "Advertisement — " or " — Advertisement".
    """
    marked = {
        key: _EMPTY if value is None or value == "" else value for key, value in values.items()
    }
    try:
        text = string.Formatter().vformat(template, (), _Lenient(marked))
    except (ValueError, IndexError, AttributeError, KeyError):
        return template
    if _EMPTY not in text:
        return text
    text = _EMPTY_IN_BRACKETS.sub(_EMPTY, text)
    text = _EMPTY_AT_END.sub("", text)
    return _EMPTY_WITH_SEPARATOR.sub("", text).replace(_EMPTY, "")


def is_valid_template(template: str) -> bool:
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(template) if name]
    except ValueError:
        return False
    return all(name in TEMPLATE_KEYS for name in fields)


def one_line(playback: Playback) -> str:
    """``Title — Artist 1, Artist 2``, or ``Nothing playing``."""
    if playback.state is PlaybackState.IDLE or not playback.title:
        return NOTHING_PLAYING
    if playback.artists:
        return f"{playback.title} — {playback.artist_text}"
    return playback.title


def elide(text: str, limit: int) -> str:
    """Cut to ``limit`` characters with an ellipsis, never inside a character."""
    if len(text) <= limit:
        return text
    cut = limit - 1
    # Do not separate a base character from its combining marks or joiners.
    while cut > 0 and (
        unicodedata.combining(text[cut]) or text[cut] in "\u200d\ufe0f" or text[cut - 1] == "\u200d"
    ):
        cut -= 1
    return text[:cut].rstrip() + "…"


LONG_WAIT_S = 90  # from here on a countdown in seconds says less than a time of day


def when_again(seconds: float, now: datetime | None = None) -> str:
    """When a wait of ``seconds`` ends, for a person: "at 14:05 (in 2 h 10 min)"."""
    now = now or datetime.now()
    at = now + timedelta(seconds=seconds)
    if at.date() == now.date():
        day = ""
    elif at.date() == (now + timedelta(days=1)).date():
        day = "tomorrow "
    else:
        day = f"{at:%A} "
    return f"{day}at {at:%H:%M} (in {_span(seconds)})"


def _span(seconds: float) -> str:
    minutes = max(1, round(seconds / 60))
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"
