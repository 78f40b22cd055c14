"""What LRCLIB is asked about one track: small, so that the lyrics service can tell at
start-up which items to look up without loading the lookup itself (``lyrics_lookup``)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from nowplaying_tray.core.limits import MAX_TEXT_CHARS
from nowplaying_tray.core.model import ItemKind, Playback


@dataclass(frozen=True)
class LyricsQuery:
    """What LRCLIB is asked about one track."""

    title: str
    artist: str
    album: str
    duration_s: int

    @classmethod
    def for_playback(cls, playback: Playback) -> LyricsQuery | None:
        """The query for a track (not an episode or an advert); None when there is none."""
        if playback.kind is not ItemKind.TRACK or not playback.title or not playback.artists:
            return None
        if not playback.duration_ms:
            return None
        return cls(
            playback.title[:MAX_TEXT_CHARS],
            playback.artists[0][:MAX_TEXT_CHARS],  # LRCLIB knows a track by its main artist
            (playback.album or "")[:MAX_TEXT_CHARS],
            round(playback.duration_ms / 1000),
        )

    @property
    def key(self) -> str:
        fields = "\x1f".join((self.title, self.artist, self.album, str(self.duration_s)))
        return hashlib.sha256(fields.casefold().encode("utf-8")).hexdigest()[:32]

    def describe(self) -> str:
        return f"{self.title!r} by {self.artist!r}"


__all__ = ["LyricsQuery"]
