"""Lyrics and the LRC format: lines with times, and which line is sung at a position.

LRC as LRCLIB and players write it: ``[mm:ss.xx]``, ``[mm:ss.xxx]`` or ``[mm:ss]`` before
the text, several time tags on one line for a repeated line, ``[offset:+/-ms]`` (a positive
offset shows the lines sooner), metadata tags such as ``[ar:...]`` (ignored), word times
``<mm:ss.xx>`` inside a line (dropped), and lines with a time but no text: pauses.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any

from nowplaying_tray.core.limits import MAX_TEXT_CHARS

PROVIDER = "lrclib"
MAX_LYRIC_LINES = 5000  # a song has a few hundred at most; anything more is not lyrics
MAX_LYRICS_CHARS = 200_000

_TIME_TAG = re.compile(r"\[(\d{1,3}):(\d{1,2})(?:[.:](\d{1,3}))?\]")
_OFFSET_TAG = re.compile(r"^\s*\[offset:\s*([+-]?\d{1,7})\s*\]\s*$", re.IGNORECASE)
_WORD_TIME = re.compile(r"<\d{1,3}:\d{1,2}(?:[.:]\d{1,3})?>")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class LyricLine:
    at_ms: int  # when the line starts, the file's offset applied
    text: str  # "" for a pause


@dataclass(frozen=True)
class Lyrics:
    """One item's lyrics: timed lines, plain text, or the word that it is instrumental."""

    lines: tuple[LyricLine, ...] = ()  # sorted by time; empty when not synced
    plain: str = ""
    instrumental: bool = False
    provider: str = PROVIDER

    @property
    def synced(self) -> bool:
        return bool(self.lines)

    @property
    def text(self) -> str:
        """The words as plain text (the timed lines' words when no plain text came)."""
        if self.plain:
            return self.plain
        return "\n".join(line.text for line in self.lines)


@dataclass(frozen=True)
class LyricsNow:
    """What is sung at one position: for the card, templates and ``now --json``."""

    synced: bool
    line: str | None  # None before the first line, in a pause, or when not synced
    next: str | None  # the next line with words
    text: str
    instrumental: bool
    provider: str = PROVIDER
    index: int | None = None  # the line's place in ``Lyrics.lines`` (a pause included)

    def to_json(self) -> dict[str, Any]:
        return {
            "synced": self.synced,
            "line": self.line,
            "next": self.next,
            "text": self.text,
            "instrumental": self.instrumental,
            "provider": self.provider,
        }


def _clean(text: str) -> str:
    return _CONTROL.sub("", _WORD_TIME.sub("", text)).strip()[:MAX_TEXT_CHARS]


def parse_lrc(text: str) -> tuple[LyricLine, ...]:
    """The timed lines of an LRC text, in time order (equal times keep the file's order)."""
    offset_ms = 0
    lines: list[LyricLine] = []
    stamped: list[tuple[int, str]] = []
    for raw in text[:MAX_LYRICS_CHARS].splitlines():
        if (offset := _OFFSET_TAG.match(raw)) is not None:
            offset_ms = int(offset[1])
            continue
        times: list[int] = []
        position = 0
        raw = raw.lstrip()
        while (tag := _TIME_TAG.match(raw, position)) is not None:
            times.append(_tag_ms(tag))
            position = tag.end()
            while position < len(raw) and raw[position] in " \t":
                position += 1
        if not times:
            continue  # metadata ([ar:], [ti:], ...), a comment, or text without a time
        words = _clean(raw[position:])
        stamped.extend((at, words) for at in times)
        if len(stamped) >= MAX_LYRIC_LINES:
            break
    for at, words in sorted(stamped[:MAX_LYRIC_LINES], key=lambda pair: pair[0]):
        lines.append(LyricLine(max(0, at - offset_ms), words))
    return tuple(lines)


def _tag_ms(tag: re.Match[str]) -> int:
    minutes, seconds, fraction = int(tag[1]), int(tag[2]), tag[3] or ""
    # ".5" is tenths, ".50" hundredths, ".500" thousandths.
    fraction_ms = int(fraction.ljust(3, "0")) if fraction else 0
    return (minutes * 60 + seconds) * 1000 + fraction_ms


def line_index_at(lines: tuple[LyricLine, ...], position_ms: int) -> int | None:
    """The index of the line sung at ``position_ms``; None before the first line."""
    index = bisect.bisect_right([line.at_ms for line in lines], position_ms) - 1
    return index if index >= 0 else None


def next_change_ms(lines: tuple[LyricLine, ...], position_ms: int) -> int | None:
    """When the next line after ``position_ms`` starts; None after the last one."""
    index = bisect.bisect_right([line.at_ms for line in lines], position_ms)
    return lines[index].at_ms if index < len(lines) else None


def lyrics_at(lyrics: Lyrics, position_ms: int | None, offset_ms: int = 0) -> LyricsNow:
    """What is sung at ``position_ms``; a positive ``offset_ms`` shows the lines sooner."""
    if not lyrics.synced or position_ms is None:
        return LyricsNow(
            lyrics.synced, None, None, lyrics.text, lyrics.instrumental, lyrics.provider
        )
    lines = lyrics.lines
    index = line_index_at(lines, position_ms + offset_ms)
    current = (lines[index].text or None) if index is not None else None
    start = 0 if index is None else index + 1
    upcoming = next((line.text for line in lines[start:] if line.text), None)
    return LyricsNow(
        True, current, upcoming, lyrics.text, lyrics.instrumental, lyrics.provider, index
    )


__all__ = [
    "MAX_LYRIC_LINES",
    "PROVIDER",
    "LyricLine",
    "Lyrics",
    "LyricsNow",
    "line_index_at",
    "lyrics_at",
    "next_change_ms",
    "parse_lrc",
]
