"""Builders for queue entries shaped like Spotify's captured responses, and the demo playlist.

Shapes are those a development-mode app gets since February 2026: no ``popularity``,
no ``available_markets`` and no ``show.publisher`` (external IDs stayed, March 2026).

A queue entry is a plain dict::

    {"item": <Spotify item JSON or None>, "currently_playing_type": "track" | "episode" | "ad",
     "duration_ms": int, "art_id": str | None}

Image URLs inside ``item`` are stored relative ("/_sim/art/<id>/<size>.png") because the
simulator's port is only known once it is started; :func:`render_item` makes them absolute.
"""

from __future__ import annotations

import copy
import hashlib
import html
import logging
from typing import Any
from urllib.parse import quote_plus

logger = logging.getLogger(__name__)

# Fields a development-mode app no longer gets (February 2026), by object type. The
# captured bodies in tests/fixtures/spotify/ predate this and still carry them.
DEV_MODE_REMOVED: dict[str, frozenset[str]] = {
    "track": frozenset({"popularity", "available_markets"}),
    "album": frozenset({"popularity", "available_markets"}),
    "show": frozenset({"publisher", "available_markets"}),
    "user": frozenset({"followers", "product"}),
}
API_ROOT = "https://api.spotify.com/v1"
OPEN_ROOT = "https://open.spotify.com"
ART_SIZES = (640, 300, 64)
ART_PREFIX = "/_sim/art/"
_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def spotify_id(*seed: str) -> str:
    """A stable 22-character base62 id (the format of real Spotify ids) derived from ``seed``."""
    number = int.from_bytes(hashlib.sha256("\x1f".join(seed).encode("utf-8")).digest(), "big")
    chars = []
    for _ in range(22):
        number, digit = divmod(number, 62)
        chars.append(_BASE62[digit])
    return "".join(chars)


def art_path(art_id: str, size: int) -> str:
    return f"{ART_PREFIX}{art_id}/{size}.png"


def _images(art_id: str) -> list[dict[str, Any]]:
    return [{"height": s, "url": art_path(art_id, s), "width": s} for s in ART_SIZES]


def _links(kind: str, item_id: str) -> dict[str, Any]:
    return {
        "external_urls": {"spotify": f"{OPEN_ROOT}/{kind}/{item_id}"},
        "href": f"{API_ROOT}/{kind}s/{item_id}",
        "id": item_id,
    }


def _artist(name: str) -> dict[str, Any]:
    artist_id = spotify_id("artist", name)
    return {
        **_links("artist", artist_id),
        "name": name,
        "type": "artist",
        "uri": f"spotify:artist:{artist_id}",
    }


def _check_duration(duration_ms: int) -> None:
    if duration_ms <= 0:
        raise ValueError("duration_ms must be positive")


def make_track(
    title: str,
    artists: list[str],
    album: str,
    duration_ms: int,
    *,
    art_id: str | None = None,
    track_id: str | None = None,
) -> dict[str, Any]:
    """A queue entry for a catalogue track (shape of tests/fixtures/spotify/track.json)."""
    _check_duration(duration_ms)
    if not artists:
        raise ValueError("a track needs at least one artist")
    artist_objects = [_artist(name) for name in artists]
    album_id = spotify_id("album", album, artists[0])
    track_id = track_id or spotify_id("track", title, *artists, album)
    art_id = art_id or album_id
    item = {
        "album": {
            "album_type": "album",
            "artists": [artist_objects[0]],
            **_links("album", album_id),
            "images": _images(art_id),
            "name": album,
            "release_date": "2025-01-01",
            "release_date_precision": "day",
            "total_tracks": 10,
            "type": "album",
            "uri": f"spotify:album:{album_id}",
        },
        "artists": artist_objects,
        "disc_number": 1,
        "duration_ms": duration_ms,
        "explicit": False,
        "external_ids": {"isrc": "ZZSIM" + track_id[:7].upper()},
        **_links("track", track_id),
        "is_local": False,
        "is_playable": True,
        "name": title,
        "preview_url": None,
        "track_number": 1,
        "type": "track",
        "uri": f"spotify:track:{track_id}",
    }
    return {
        "item": item,
        "currently_playing_type": "track",
        "duration_ms": duration_ms,
        "art_id": art_id,
    }


def make_episode(
    title: str, show: str, duration_ms: int, *, art_id: str | None = None
) -> dict[str, Any]:
    """A queue entry for a podcast episode (shape of tests/fixtures/spotify/episode.json)."""
    _check_duration(duration_ms)
    show_id = spotify_id("show", show)
    episode_id = spotify_id("episode", title, show)
    art_id = art_id or show_id
    description = f"{title}, an episode of {show}."
    show_description = f"{show}, a made-up show for the demo."
    item = {
        "audio_preview_url": None,
        "description": description,
        "html_description": f"<p>{html.escape(description)}</p>",
        "duration_ms": duration_ms,
        "explicit": False,
        **_links("episode", episode_id),
        "images": _images(art_id),
        "is_externally_hosted": False,
        "is_playable": True,
        "language": "en-US",
        "languages": ["en-US"],
        "name": title,
        "release_date": "2025-01-01",
        "release_date_precision": "day",
        "show": {
            "copyrights": [],
            "description": show_description,
            "html_description": f"<p>{html.escape(show_description)}</p>",
            "explicit": False,
            **_links("show", show_id),
            "images": _images(art_id),
            "is_externally_hosted": False,
            "languages": ["en-US"],
            "media_type": "audio",
            "name": show,
            "total_episodes": 12,
            "type": "show",
            "uri": f"spotify:show:{show_id}",
        },
        "type": "episode",
        "uri": f"spotify:episode:{episode_id}",
    }
    return {
        "item": item,
        "currently_playing_type": "episode",
        "duration_ms": duration_ms,
        "art_id": art_id,
    }


def make_local_track(title: str, artist: str, album: str, duration_ms: int) -> dict[str, Any]:
    """A queue entry for a local file: no ids, no links, no images (see local.json)."""
    _check_duration(duration_ms)
    uri = ":".join(
        [
            "spotify:local",
            quote_plus(artist),
            quote_plus(album),
            quote_plus(title),
            str(duration_ms // 1000),
        ]
    )
    item = {
        "album": {
            "album_type": None,
            "artists": [],
            "external_urls": {},
            "href": None,
            "id": None,
            "images": [],
            "name": album,
            "release_date": None,
            "release_date_precision": None,
            "type": "album",
            "uri": None,
        },
        "artists": [
            {
                "external_urls": {},
                "href": None,
                "id": None,
                "name": artist,
                "type": "artist",
                "uri": None,
            }
        ],
        "disc_number": 0,
        "duration_ms": duration_ms,
        "explicit": False,
        "external_ids": {},
        "external_urls": {},
        "href": None,
        "id": None,
        "is_local": True,
        "name": title,
        "preview_url": None,
        "track_number": 0,
        "type": "track",
        "uri": uri,
    }
    return {
        "item": item,
        "currently_playing_type": "track",
        "duration_ms": duration_ms,
        "art_id": None,
    }


def make_ad(duration_ms: int) -> dict[str, Any]:
    """A queue entry for an advert: Spotify reports ``item: null`` for these."""
    _check_duration(duration_ms)
    return {
        "item": None,
        "currently_playing_type": "ad",
        "duration_ms": duration_ms,
        "art_id": None,
    }


def make_context(kind: str, name: str) -> dict[str, Any]:
    """The ``context`` of playback started from a playlist or an album."""
    if kind not in ("playlist", "album"):
        raise ValueError("a context is a playlist or an album")
    context_id = spotify_id(kind, name)
    links = _links(kind, context_id)
    return {
        "external_urls": links["external_urls"],
        "href": links["href"],
        "type": kind,
        "uri": f"spotify:{kind}:{context_id}",
    }


def without_image_sizes(entry: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``entry`` whose images have null widths and heights, as Spotify sends
    for some covers (still listed widest first)."""
    unsized: dict[str, Any] = copy.deepcopy(entry)
    item = unsized.get("item") or {}
    for owner in (item, item.get("album") or {}, item.get("show") or {}):
        for image in owner.get("images", []):
            image["width"] = image["height"] = None
    return unsized


def entry_title(entry: dict[str, Any]) -> str:
    item = entry.get("item")
    return str(item["name"]) if item else "Advertisement"


def entry_artists(entry: dict[str, Any]) -> list[str]:
    item = entry.get("item")
    if not item:
        return []
    if item.get("type") == "episode":
        return [item["show"]["name"]]
    return [artist["name"] for artist in item.get("artists", [])]


def render_item(entry: dict[str, Any], base_url: str) -> dict[str, Any] | None:
    """A deep copy of the entry's item with simulator-relative image URLs made absolute."""
    item = entry.get("item")
    if item is None:
        return None
    rendered: dict[str, Any] = copy.deepcopy(item)

    def fix(images: list[dict[str, Any]]) -> None:
        for image in images:
            url = image.get("url")
            if isinstance(url, str) and url.startswith(ART_PREFIX):
                image["url"] = base_url + url

    fix(rendered.get("images", []))
    fix(rendered.get("album", {}).get("images", []))
    fix(rendered.get("show", {}).get("images", []))
    return rendered


DEMO_CONTEXT_NAME = "Now Playing demo mix"


def demo_playlist() -> list[dict[str, Any]]:
    """A short, varied queue for demos and tests (fresh dicts on every call).

    Items last 20-40 s so a demo shows rollovers quickly. It covers the awkward
    cases on purpose: non-Latin and right-to-left text, markup in a title, a
    podcast episode, an advert and a local file.
    """
    return [
        make_track("Paper Lanterns", ["The Velvet Orchard"], "Night Market Radio", 32_000),
        make_track("夜明けのシグナル", ["星野カイト"], "東京ループ", 28_000),
        make_track("Northbound Static", ["Kestrel Avenue", "Juno Park"], "Mile Markers", 35_000),
        make_ad(20_000),
        make_track("رسائل الصحراء", ["ليلى والقمر"], "Desert Letters", 30_000),
        make_episode("Episode 12: Tiny Synths", "The Loop Station", 38_000),
        make_track("Bold <b>HTML</b> Moves", ["Markup & The Escapes"], "View Source", 26_000),
        make_local_track("Garage Demo #3", "The Basement Tapes", "Unreleased Things", 24_000),
        make_track("Slow Tide", ["Marisol Vega"], "Harbour Lights", 40_000),
    ]
