"""Recently played: the last items seen playing, from either source, kept between runs.

Built from what the app already observes (Web API polls and local MPRIS players),
so it costs no request. Adverts and items without an open.spotify.com link are left
out (there is nothing to open); the same item twice in a row is one entry. The list
is kept in ``recent.json`` in the state dir, read and written on the worker; a
missing or unreadable file is an empty list, never an error.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeGuard

from nowplaying_tray.core.atomic import write_text_atomic
from nowplaying_tray.core.limits import MAX_TEXT_CHARS
from nowplaying_tray.core.model import ItemKind, Playback, PlaybackState
from nowplaying_tray.core.state_file import BadStateValue, read_state

logger = logging.getLogger(__name__)

FILE_NAME = "recent.json"
RECENT_LIMIT = 10
LINK_PREFIX = "https://open.spotify.com/"
MAX_FILE_BYTES = 256 * 1024  # ten entries are a few KB; more is not our file


@dataclass(frozen=True)
class RecentItem:
    title: str
    artist: str
    url: str

    @property
    def label(self) -> str:
        return f"{self.title} — {self.artist}" if self.artist else self.title


def recent_item(playback: Playback) -> RecentItem | None:
    """The entry for what ``playback`` shows, or None if it is not worth one."""
    if playback.state is PlaybackState.IDLE or playback.kind is ItemKind.AD:
        return None
    if not playback.title or not _is_link(playback.url):
        return None
    return RecentItem(playback.title, playback.artist_text, playback.url)


def merged(newest: Iterable[RecentItem], older: Iterable[RecentItem]) -> tuple[RecentItem, ...]:
    """``newest`` (newest first) before ``older``, with repeats in a row made one, cut to
    the limit."""
    items: list[RecentItem] = []
    for item in (*newest, *older):
        if not items or items[-1].url != item.url:
            items.append(item)
    return tuple(items[:RECENT_LIMIT])


class RecentList:
    """The list, newest first."""

    def __init__(self, items: Sequence[RecentItem] = ()) -> None:
        self._items = merged(items, ())

    @property
    def items(self) -> tuple[RecentItem, ...]:
        return self._items

    def observe(self, playback: Playback) -> bool:
        """Note what is playing; True if the list changed."""
        item = recent_item(playback)
        if item is None:
            return False
        if self._items and self._items[0].url == item.url:
            if self._items[0] == item:
                return False
            # The same item read again with fuller text (a local player's first signal).
            self._items = (item, *self._items[1:])
            return True
        self._items = merged((item,), self._items)
        return True


def recent_file(state_dir: Path) -> Path:
    return state_dir / FILE_NAME


def load_recent(path: Path) -> tuple[RecentItem, ...]:
    return read_state(path, _items, MAX_FILE_BYTES) or ()


def _items(data: Any) -> tuple[RecentItem, ...]:
    entries = data.get("items") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise BadStateValue("no list of items")
    # An entry that is not usable (a link elsewhere, say) is left out; the rest are kept.
    return merged((item for entry in entries if (item := _from_json(entry))), ())


def save_recent(path: Path, items: Sequence[RecentItem]) -> None:
    data = {
        "version": 1,
        "items": [{"title": i.title, "artist": i.artist, "url": i.url} for i in items],
    }
    try:
        write_text_atomic(path, json.dumps(data, ensure_ascii=False, indent=1))
    except OSError as exc:  # a list not kept is no reason to bother anyone
        logger.info("Could not keep the recently played list: %s", exc)


def _from_json(entry: Any) -> RecentItem | None:
    if not isinstance(entry, dict):
        return None
    title, artist, url = entry.get("title"), entry.get("artist", ""), entry.get("url")
    if not isinstance(title, str) or not title or not isinstance(artist, str):
        return None
    if not _is_link(url):
        return None  # the file is ours, but a link elsewhere is not opened from it
    return RecentItem(title[:MAX_TEXT_CHARS], artist[:MAX_TEXT_CHARS], url)


def _is_link(url: object) -> TypeGuard[str]:
    return (
        isinstance(url, str)
        and url.startswith(LINK_PREFIX)
        and len(url) <= MAX_TEXT_CHARS
        and not any(c.isspace() for c in url)
    )


__all__ = [
    "RECENT_LIMIT",
    "RecentItem",
    "RecentList",
    "load_recent",
    "merged",
    "recent_file",
    "recent_item",
    "save_recent",
]
