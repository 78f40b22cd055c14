"""What the tray shows for a given state: the icon kind and the tooltip text."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from nowplaying_tray.core.budget_words import OUT_OF_DATE
from nowplaying_tray.core.errors import (
    ApiUnavailable,
    AuthRequired,
    LoginExpired,
    MissingClientId,
    NowPlayingError,
    Offline,
    RateLimited,
)
from nowplaying_tray.core.model import Playback, PlaybackState
from nowplaying_tray.core.text import (
    LONG_WAIT_S,
    NOTHING_PLAYING,
    TOOLTIP_LIMIT,
    elide,
    one_line,
    render_template,
    template_values,
    when_again,
)


class StatusKind(str, enum.Enum):
    SETUP = "setup"  # no client ID, or logged out
    IDLE = "idle"
    PLAYING = "playing"
    PAUSED = "paused"
    ERROR = "error"


@dataclass(frozen=True)
class TrayStatus:
    """The tray icon's kind, its tooltip, and one line for the menu's header."""

    kind: StatusKind
    tooltip: str
    headline: str = ""  # the item, when one plays; else the tooltip is the one line

    @property
    def header(self) -> str:
        """The tray menu's first line."""
        return self.headline or self.tooltip


NOT_LOGGED_IN = "Not logged in — click to log in"
LOGIN_ENDED = "Spotify login ended — click to log in again"
SETUP_NEEDED = "Set up needed — click to set up"
LOGGING_IN = "Logging in — finish in your browser"


def tray_status(
    *,
    playback: Playback | None,
    error: NowPlayingError | None,
    retry_in_s: float | None,
    now: float,
    template: str = "{title} — {artist}\n{album}",
    logging_in: bool = False,
    notice: str | None = None,
) -> TrayStatus:
    """``notice``: why the budget holds polling back (``core.budget_words``); the item
    then stays shown, marked as possibly out of date."""
    status = _tray_status(playback, error, retry_in_s, now, template, logging_in)
    if notice is None or status.kind in (StatusKind.SETUP, StatusKind.ERROR):
        return status
    if playback is None:
        return TrayStatus(StatusKind.IDLE, _cap(notice))  # never "connecting"
    if not status.headline:
        return TrayStatus(status.kind, _cap(f"{status.tooltip}\n{notice}"))
    # The notice first: Windows cuts tooltips at 127 characters, the item's end may go.
    marked = f"{status.headline} ({OUT_OF_DATE})"
    return TrayStatus(status.kind, _cap(f"{notice}\n{marked}"), marked)


def _tray_status(
    playback: Playback | None,
    error: NowPlayingError | None,
    retry_in_s: float | None,
    now: float,
    template: str,
    logging_in: bool,
) -> TrayStatus:
    if logging_in:
        return TrayStatus(StatusKind.SETUP, LOGGING_IN)
    if isinstance(error, MissingClientId):
        return TrayStatus(StatusKind.SETUP, SETUP_NEEDED)
    if isinstance(error, LoginExpired):
        return TrayStatus(StatusKind.SETUP, LOGIN_ENDED)
    if isinstance(error, AuthRequired):
        return TrayStatus(StatusKind.SETUP, NOT_LOGGED_IN)
    if error is not None:
        return TrayStatus(StatusKind.ERROR, _cap(error_line(error, retry_in_s)))
    if playback is None:
        return TrayStatus(StatusKind.IDLE, "Now Playing — connecting to Spotify…")
    if playback.state is PlaybackState.IDLE or not playback.title:
        return TrayStatus(StatusKind.IDLE, NOTHING_PLAYING)
    values = template_values(playback, now) | {"album": playback.album_line or ""}
    prefix = "Paused: " if playback.state is PlaybackState.PAUSED else ""
    text = _tooltip_text(template, values, playback.title)
    overflow = len(prefix) + len(text) - TOOLTIP_LIMIT
    if overflow > 0:
        # A long title is shortened so the artist and the album still show.
        title = elide(playback.title, max(MIN_TITLE_CHARS, len(playback.title) - overflow))
        text = _tooltip_text(template, values | {"title": title}, title)
    headline = one_line(playback)
    if prefix:
        return TrayStatus(StatusKind.PAUSED, _cap(prefix + text), headline)
    return TrayStatus(StatusKind.PLAYING, _cap(text), headline)


def _tooltip_text(template: str, values: dict[str, Any], title: str) -> str:
    text = render_template(template, values).strip()
    # Drop empty lines, e.g. the album line of an item without one.
    return "\n".join(line for line in text.splitlines() if line.strip(" —-")) or title


MIN_TITLE_CHARS = 24  # a title is never shortened below this to make room


def error_line(
    error: NowPlayingError, retry_in_s: float | None, now: datetime | None = None
) -> str:
    """One line about an error, with the retry countdown where there is one; a long
    wait (a spent quota) says at what time it should work again."""
    retry = ""
    if retry_in_s is not None and retry_in_s >= LONG_WAIT_S:
        retry = f" — works again {when_again(retry_in_s, now)}"
    elif retry_in_s is not None:
        retry = f" — retrying in {max(1, round(retry_in_s))} s"
    if isinstance(error, RateLimited):
        if error.quota_exceeded:
            return f"Spotify's quota for this app is used up{retry}"
        return f"Rate-limited by Spotify{retry}"
    if isinstance(error, Offline | ApiUnavailable):
        return f"Spotify unreachable{retry}"
    return error.message


def _cap(text: str) -> str:
    return elide(text, TOOLTIP_LIMIT)
