"""What the popup card says and which of its controls work, for a playback.

Pure functions of the playback (no Qt), so the card's wording and rules can be
checked without a window. Everything Spotify sends is treated as plain text.
"""

from __future__ import annotations

import html
import logging
import unicodedata
from dataclasses import dataclass

from nowplaying_tray.core.local_art import is_file_url
from nowplaying_tray.core.model import ItemKind, Playback, PlaybackState
from nowplaying_tray.core.text import NOTHING_PLAYING, elide

logger = logging.getLogger(__name__)

NOTHING_PLAYING_HINT = "Start Spotify on any device"
ADVERTISEMENT = "Advertisement"
UNKNOWN_TITLE = "Unknown title"
_TOOLTIP_CHARS = 300


def single_line(text: str | None) -> str:
    """Spotify text fit for a single-line label: control characters and runs of
    whitespace become one space; bidi and joiner marks are kept."""
    if not text:
        return ""
    cleaned = "".join(" " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in text)
    return " ".join(cleaned.split())


FSI, PDI = "\u2068", "\u2069"  # first-strong isolate ... pop directional isolate


def isolate(text: str) -> str:
    """``text`` as one unit of its own direction inside other text: an Arabic artist
    beside a Latin album stays in place ("Artist — Album" does not reorder)."""
    return f"{FSI}{text}{PDI}" if text else ""


def first_strong_is_rtl(text: str) -> bool:
    """Whether the first letter with a direction is right-to-left (Arabic, Hebrew)."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def plain_tooltip(text: str) -> str:
    """A tooltip that shows ``text`` literally.

    Qt renders tooltips as rich text whenever they look like HTML, so the text is
    escaped and wrapped in a tag that forces rich text.
    """
    return f"<p>{html.escape(elide(text, _TOOLTIP_CHARS))}</p>" if text else ""


@dataclass(frozen=True)
class CardText:
    """The card's four lines of text."""

    title: str
    artist: str
    album: str  # the album of a track, or the show of an episode
    device: str


def card_text(playback: Playback | None) -> CardText:
    if playback is None or playback.state is PlaybackState.IDLE:
        return CardText(NOTHING_PLAYING, NOTHING_PLAYING_HINT, "", "")
    device = single_line(playback.device)
    if playback.kind is ItemKind.AD:
        return CardText(ADVERTISEMENT, "", "", device)
    return CardText(
        title=single_line(playback.title) or UNKNOWN_TITLE,
        artist=artists_line(playback.artists),
        album=single_line(playback.album_line),
        device=device,
    )


def artists_line(artists: tuple[str, ...]) -> str:
    """ "A, B": when the names run in different directions (a Hebrew and an English
    one), each keeps its own, isolated, so the list does not reorder."""
    names = [single_line(name) for name in artists if name.strip()]
    if len({first_strong_is_rtl(name) for name in names}) > 1:
        return ", ".join(isolate(name) for name in names)
    return ", ".join(names)


@dataclass(frozen=True)
class ControlState:
    """Which of the card's buttons can be used, and what play/pause shows."""

    previous: bool
    play_pause: bool
    next: bool
    save: bool
    open: bool
    playing: bool  # decides the play/pause glyph
    spotify_actions: bool = True  # "save" and "open" are shown: a Spotify item


def control_state(playback: Playback | None, saved: bool | None) -> ControlState:
    if playback is None or playback.state is PlaybackState.IDLE:
        return ControlState(False, False, False, False, False, playing=False)
    playing = playback.is_playing
    saveable = can_save(playback) and saved is not None
    return ControlState(
        previous=playback.allows("skipping_prev"),
        play_pause=playback.allows("pausing" if playing else "resuming"),
        next=playback.allows("skipping_next"),
        save=saveable,
        open=playback.spotify_url is not None,
        playing=playing,
        spotify_actions=playback.is_spotify_item,
    )


def can_save(playback: Playback) -> bool:
    """Only a catalogue item can go in the library: not an ad, not a local file."""
    return bool(playback.uri) and not playback.is_local and playback.kind is not ItemKind.AD


def shows_cover(playback: Playback | None) -> bool:
    """Ads, Spotify's local files and idle get the placeholder whatever art arrives; a
    local player's file shows the cover the player found beside it."""
    return (
        playback is not None
        and playback.state is not PlaybackState.IDLE
        and playback.kind is not ItemKind.AD
        and (not playback.is_local or any(is_file_url(image.url) for image in playback.images))
    )


__all__ = [
    "ADVERTISEMENT",
    "NOTHING_PLAYING",
    "NOTHING_PLAYING_HINT",
    "UNKNOWN_TITLE",
    "CardText",
    "ControlState",
    "artists_line",
    "can_save",
    "card_text",
    "control_state",
    "first_strong_is_rtl",
    "isolate",
    "plain_tooltip",
    "shows_cover",
    "single_line",
]
