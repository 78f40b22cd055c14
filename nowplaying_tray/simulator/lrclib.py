"""LRCLIB's two read endpoints (``/api/get``, ``/api/search``) for the simulator's catalogue.

Answers are shaped as lrclib.net sends them: a track record
``{id, trackName, artistName, albumName, duration, instrumental, plainLyrics,
syncedLyrics}``, or 404 ``{"code": 404, "name": "TrackNotFound", "message": ...}``.
The demo playlist covers every case: synced lyrics (with pauses, a repeated line and a
file offset), plain lyrics only, an instrumental, and tracks LRCLIB does not know.
"""

from __future__ import annotations

import itertools
import logging
import threading
from dataclasses import dataclass
from typing import Any

from .http_types import Request, Response, json_response

logger = logging.getLogger(__name__)

PATHS = ("/api/get", "/api/search")
DURATION_TOLERANCE_S = 2


@dataclass(frozen=True)
class LyricsRecord:
    title: str
    artist: str
    album: str
    duration_s: int
    synced: str | None = None
    plain: str | None = None
    instrumental: bool = False

    def to_json(self, record_id: int) -> dict[str, Any]:
        return {
            "id": record_id,
            "name": self.title,
            "trackName": self.title,
            "artistName": self.artist,
            "albumName": self.album,
            "duration": float(self.duration_s),
            "instrumental": self.instrumental,
            "plainLyrics": self.plain,
            "syncedLyrics": self.synced,
        }


PAPER_LANTERNS_LRC = """[ar:The Velvet Orchard]
[ti:Paper Lanterns]
[al:Night Market Radio]
[length:00:32]
[00:01.00]Paper lanterns on the river
[00:05.50]Every light a small goodbye
[00:10.00]
[00:12.20]We were counting down the neon
[00:16.75]Till the morning found the sky
[00:21.00][00:27.00]Float away, float away
[00:24.500]Carry what we could not say
"""

PAPER_LANTERNS_PLAIN = """Paper lanterns on the river
Every light a small goodbye

We were counting down the neon
Till the morning found the sky
Float away, float away
Carry what we could not say
Float away, float away"""

YOAKE_LRC = """[offset:+250]
[00:02.25]夜明けのシグナル
[00:06.5]眠らない街を抜けて
[00:11]君の声が聞こえる
[00:16.00]
[00:18.40]まだ見ぬ朝へ
"""

MARKUP_LRC = """[00:01.00]<b>Bold</b> moves in the <i>view source</i>
[00:07.00]Escape & ampersand & angle <brackets>
[00:13.00]Close every tag you open
[00:19.00]</b>
"""

NORTHBOUND_PLAIN = """Static on the northbound line
Mile markers counting time
Juno's on the radio
Kestrel calling, here we go

Every exit looks the same
Every town forgets my name"""


def demo_lyrics() -> list[LyricsRecord]:
    """LRCLIB's answers for the demo playlist; the others are not found."""
    return [
        LyricsRecord(
            "Paper Lanterns",
            "The Velvet Orchard",
            "Night Market Radio",
            32,
            PAPER_LANTERNS_LRC,
            PAPER_LANTERNS_PLAIN,
        ),
        LyricsRecord("夜明けのシグナル", "星野カイト", "東京ループ", 28, YOAKE_LRC),
        LyricsRecord(
            "Northbound Static", "Kestrel Avenue", "Mile Markers", 35, None, NORTHBOUND_PLAIN
        ),
        LyricsRecord("رسائل الصحراء", "ليلى والقمر", "Desert Letters", 30, instrumental=True),
        LyricsRecord(
            "Bold <b>HTML</b> Moves", "Markup & The Escapes", "View Source", 26, MARKUP_LRC
        ),
    ]


class LrclibService:
    """The records LRCLIB knows, and the User-Agent of each request it answered."""

    def __init__(self, records: list[LyricsRecord] | None = None) -> None:
        self._lock = threading.Lock()
        self._records: list[LyricsRecord] = list(demo_lyrics() if records is None else records)
        self._ids = itertools.count(1001)
        self._record_ids: dict[LyricsRecord, int] = {}
        self.user_agents: list[str] = []

    def add(self, record: LyricsRecord) -> None:
        with self._lock:
            self._records.append(record)

    def clear(self) -> None:
        with self._lock:
            self._records.clear()

    def handle(self, request: Request) -> Response:
        with self._lock:
            self.user_agents.append(request.header("User-Agent") or "")
            if request.path == "/api/get":
                return self._get(request)
            return self._search(request)

    def _record_json(self, record: LyricsRecord) -> dict[str, Any]:
        if record not in self._record_ids:
            self._record_ids[record] = next(self._ids)
        return record.to_json(self._record_ids[record])

    def _get(self, request: Request) -> Response:
        title, artist = request.arg("track_name"), request.arg("artist_name")
        if not title or not artist:
            return _validation_error("track_name and artist_name are required")
        album, duration = request.arg("album_name"), request.arg("duration")
        try:
            duration_s = float(duration) if duration else None
        except ValueError:
            return _validation_error("duration must be a number")
        for record in self._records:
            if (
                _same(record.title, title)
                and _same(record.artist, artist)
                and (album is None or _same(record.album, album))
                and (duration_s is None or abs(record.duration_s - duration_s) <= 2)
            ):
                return json_response(200, self._record_json(record))
        return json_response(
            404,
            {
                "code": 404,
                "name": "TrackNotFound",
                "message": "Failed to find specified track",
            },
        )

    def _search(self, request: Request) -> Response:
        words = request.arg("q")
        title, artist = request.arg("track_name"), request.arg("artist_name")
        if not words and not title:
            return _validation_error("q or track_name is required")
        found = [
            self._record_json(record)
            for record in self._records
            if (
                words is not None
                and words.casefold() in f"{record.title} {record.artist}".casefold()
            )
            or (
                title is not None
                and title.casefold() in record.title.casefold()
                and (not artist or artist.casefold() in record.artist.casefold())
            )
        ]
        return json_response(200, found[:20])


def _same(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def _validation_error(message: str) -> Response:
    return json_response(400, {"code": 400, "name": "ValidationError", "message": message})


__all__ = ["PATHS", "LrclibService", "LyricsRecord", "demo_lyrics"]
