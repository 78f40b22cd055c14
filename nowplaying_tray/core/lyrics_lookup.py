"""Lyrics from LRCLIB: what is asked, the answers kept on disk, and the lookup itself.

LRCLIB (https://lrclib.net) needs no key and costs no Spotify request. It is sent the
title, the artist, the album and the duration of a track, nothing else. Blocking:
``LyricsClient.lookup`` runs on a worker thread, never on the GUI thread.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from nowplaying_tray import __version__
from nowplaying_tray.core.atomic import write_text_atomic
from nowplaying_tray.core.bounded_http import UnreadableAnswer, mount_bounded
from nowplaying_tray.core.disk_cache import evict_oldest
from nowplaying_tray.core.errors import LyricsUnavailable
from nowplaying_tray.core.json_reader import read_json_file
from nowplaying_tray.core.lrc import MAX_LYRICS_CHARS, Lyrics, LyricsNow, lyrics_at, parse_lrc
from nowplaying_tray.core.lyrics_query import LyricsQuery
from nowplaying_tray.core.model import Playback
from nowplaying_tray.core.settings import Settings

logger = logging.getLogger(__name__)

PROJECT_URL = "https://github.com/nowplaying-tray/nowplaying-tray"
USER_AGENT = f"nowplaying-tray/{__version__} ({PROJECT_URL})"
DURATION_TOLERANCE_S = 2  # LRCLIB matches durations within 2 s; a search result must too
MISS_KEPT_S = 24 * 60 * 60  # "no lyrics" is asked again after a day
CACHE_MAX_BYTES = 5_000_000
_CACHE_FILE_MAX_BYTES = 2 * MAX_LYRICS_CHARS  # a file larger than this is not ours


@dataclass(frozen=True)
class Cached:
    """A cache entry: the lyrics, or None for a track known to have none."""

    lyrics: Lyrics | None


class LyricsCache:
    """One small JSON file per track in the cache directory; the oldest go first."""

    def __init__(
        self,
        directory: Path,
        max_bytes: int = CACHE_MAX_BYTES,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.directory = directory
        self.max_bytes = max_bytes
        self._wall_clock = wall_clock

    def _path(self, query: LyricsQuery) -> Path:
        return self.directory / f"{query.key}.json"

    def get(self, query: LyricsQuery) -> Cached | None:
        """The kept answer; None when there is none, or a miss older than a day."""
        path = self._path(query)
        try:
            data = read_json_file(path, _CACHE_FILE_MAX_BYTES)  # bounded in size and depth
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            logger.debug("Unreadable lyrics cache file %s", path.name)
            return None
        entry = _entry_from_json(data)
        if entry is None:
            return None
        if entry.lyrics is None:
            stored_at = data.get("stored_at")
            if not isinstance(stored_at, int | float) or (
                self._wall_clock() - stored_at > MISS_KEPT_S
            ):
                return None
        else:
            os.utime(path)  # recently used: evicted last
        return entry

    def put(self, query: LyricsQuery, lyrics: Lyrics | None, synced_lrc: str = "") -> None:
        data: dict[str, Any] = {"found": lyrics is not None, "stored_at": self._wall_clock()}
        if lyrics is not None:
            data |= {"instrumental": lyrics.instrumental, "plain": lyrics.plain}
            data["synced"] = synced_lrc
        try:
            write_text_atomic(self._path(query), json.dumps(data, ensure_ascii=False))
        except OSError as exc:
            logger.info("Could not keep lyrics in the cache: %s", exc.strerror or exc)
            return
        self._evict()

    def _evict(self) -> None:
        evict_oldest(self.directory, "*.json", self.max_bytes)


def _entry_from_json(data: object) -> Cached | None:
    if not isinstance(data, dict) or not isinstance(data.get("found"), bool):
        return None
    if not data["found"]:
        return Cached(None)
    plain, synced = data.get("plain", ""), data.get("synced", "")
    instrumental = data.get("instrumental", False)
    if not (isinstance(plain, str) and isinstance(synced, str) and isinstance(instrumental, bool)):
        return None
    return Cached(Lyrics(parse_lrc(synced), plain[:MAX_LYRICS_CHARS], instrumental))


class LyricsClient:
    """Looks a track up on LRCLIB (``/api/get``, then ``/api/search``), through the cache."""

    def __init__(
        self,
        base_url: str,
        cache: LyricsCache,
        timeout_s: float = 10.0,
        session: requests.Session | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.cache = cache
        self.timeout_s = timeout_s
        self._session = session or _new_session()

    def lookup(self, query: LyricsQuery) -> Lyrics | None:
        """The track's lyrics, None when LRCLIB has none; raises ``LyricsUnavailable``."""
        cached = self.cache.get(query)
        if cached is not None:
            return cached.lyrics
        record = self._get(query)
        if record is None:
            record = self._search(query)
        lyrics, synced_lrc = _lyrics_from_record(record) if record is not None else (None, "")
        self.cache.put(query, lyrics, synced_lrc)
        return lyrics

    def _get(self, query: LyricsQuery) -> dict[str, Any] | None:
        params = {
            "track_name": query.title,
            "artist_name": query.artist,
            "album_name": query.album,
            "duration": str(query.duration_s),
        }
        body = self._request("/api/get", params)
        if body is None:
            return None
        if not isinstance(body, dict):
            raise LyricsUnavailable("LRCLIB sent an answer that is not a track.")
        return body

    def _search(self, query: LyricsQuery) -> dict[str, Any] | None:
        body = self._request(
            "/api/search", {"track_name": query.title, "artist_name": query.artist}
        )
        if body is None:
            return None
        if not isinstance(body, list):
            raise LyricsUnavailable("LRCLIB sent a search answer that is not a list.")
        best: tuple[float, dict[str, Any]] | None = None
        for record in body[:100]:
            duration = record.get("duration") if isinstance(record, dict) else None
            if not isinstance(duration, int | float) or isinstance(duration, bool):
                continue
            distance = abs(duration - query.duration_s)
            if distance <= DURATION_TOLERANCE_S and (best is None or distance < best[0]):
                best = (distance, record)
        return best[1] if best is not None else None

    def _request(self, path: str, params: dict[str, str]) -> Any:
        """The JSON body of a 200, None for a 404; raises ``LyricsUnavailable`` otherwise."""
        try:
            response = self._session.get(
                self.base_url + path, params=params, timeout=self.timeout_s
            )
        except requests.RequestException as exc:
            raise LyricsUnavailable(f"LRCLIB could not be reached ({type(exc).__name__}).") from exc
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise LyricsUnavailable(f"LRCLIB answered {response.status_code}.")
        try:
            return response.json()
        except (ValueError, UnreadableAnswer) as exc:
            raise LyricsUnavailable("LRCLIB sent an answer that could not be read.") from exc


def _lyrics_from_record(record: dict[str, Any]) -> tuple[Lyrics | None, str]:
    """The lyrics in one LRCLIB record, and its LRC text (kept in the cache as sent)."""
    plain, synced = record.get("plainLyrics"), record.get("syncedLyrics")
    plain = plain[:MAX_LYRICS_CHARS] if isinstance(plain, str) else ""
    synced = synced[:MAX_LYRICS_CHARS] if isinstance(synced, str) else ""
    if record.get("instrumental") is True:
        return Lyrics(instrumental=True), ""
    lines = parse_lrc(synced)
    if not lines and not plain.strip():
        return None, ""
    return Lyrics(lines, plain.strip()), synced if lines else ""


def lyrics_clients(cache_dir: Path) -> Callable[[Settings], LyricsClient]:
    """Makes the client for a set of settings; every client shares one cache."""
    cache = LyricsCache(cache_dir)
    return lambda settings: LyricsClient(settings.lyrics_url, cache, settings.request_timeout_s)


def lyrics_now(settings: Settings, cache_dir: Path, playback: Playback) -> LyricsNow | None:
    """What is sung in ``playback`` now, for ``now``: None when lyrics are off or there are
    none, and when LRCLIB cannot answer (one log line). Blocking."""
    query = LyricsQuery.for_playback(playback)
    if not settings.lyrics or query is None:
        return None
    try:
        found = lyrics_clients(cache_dir)(settings).lookup(query)
    except LyricsUnavailable as exc:
        logger.info("No lyrics for %s: %s", query.describe(), exc.message)
        return None
    if found is None:
        return None
    position = playback.progress_at(time.monotonic())
    return lyrics_at(found, position, settings.lyrics_offset_ms)


def _new_session() -> requests.Session:
    session = requests.Session()
    mount_bounded(session)  # one deadline and a size cap for every answer
    session.headers["User-Agent"] = USER_AGENT
    return session


__all__ = [
    "USER_AGENT",
    "Cached",
    "LyricsCache",
    "LyricsClient",
    "LyricsQuery",
    "lyrics_clients",
    "lyrics_now",
]
