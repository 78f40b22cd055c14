"""The playback model: one immutable snapshot of what Spotify says is playing.

``parse_playback`` turns a ``GET /me/player`` body into a ``Playback``. It is the
only place that knows the shape of Spotify's JSON, and it never raises anything
but ``ApiUnavailable`` however odd the body is.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from nowplaying_tray.core.errors import ApiUnavailable
from nowplaying_tray.core.json_reader import read_json
from nowplaying_tray.core.limits import MAX_TEXT_CHARS

logger = logging.getLogger(__name__)

SPOTIFY_LINK = "https://open.spotify.com/"


class PlaybackState(str, enum.Enum):
    PLAYING = "playing"
    PAUSED = "paused"
    IDLE = "idle"


class ItemKind(str, enum.Enum):
    TRACK = "track"
    EPISODE = "episode"
    AD = "ad"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Image:
    url: str
    width: int | None
    height: int | None


@dataclass(frozen=True)
class Playback:
    """What is playing, as read at ``read_at`` (a monotonic clock reading, in seconds)."""

    state: PlaybackState
    read_at: float
    kind: ItemKind = ItemKind.UNKNOWN
    title: str | None = None
    artists: tuple[str, ...] = ()
    album: str | None = None  # the album of a track, or the show of an episode
    duration_ms: int | None = None
    progress_ms: int | None = None
    images: tuple[Image, ...] = ()
    url: str | None = None  # open.spotify.com link, or a local player's ``xesam:url``
    uri: str | None = None  # a ``spotify:`` URI, nothing else
    is_local: bool = False
    # A local player's own id for the item (``mpris:trackid``) when it is not a Spotify
    # URI; mpv gives ``/0`` to every file, so it identifies an item only with its url.
    item_id: str | None = None
    device: str | None = None
    disallows: frozenset[str] = field(default_factory=frozenset)
    # Playing, but no item: Spotify is between two items (seen right after a control).
    between_items: bool = False
    # The device's volume (0-100), when it lets the Web API set it (``supports_volume``).
    volume_percent: int | None = None
    # ``shuffle_state`` and ``repeat_state`` ("off", "context", "track"); None when unknown.
    shuffle: bool | None = None
    repeat: str | None = None

    @classmethod
    def idle(cls, read_at: float) -> Playback:
        return cls(state=PlaybackState.IDLE, read_at=read_at)

    @property
    def is_playing(self) -> bool:
        return self.state is PlaybackState.PLAYING

    @property
    def artist_text(self) -> str:
        return ", ".join(self.artists)

    @property
    def album_line(self) -> str | None:
        """The album to show beside the artists: none for an episode whose show already
        stands in for its publisher (development-mode apps get no publisher)."""
        if self.kind is ItemKind.EPISODE and self.album == self.artist_text:
            return None
        return self.album

    @property
    def item_key(self) -> str | None:
        """Identifies the item, to tell a track change from a pause or a seek."""
        if self.state is PlaybackState.IDLE:
            return None
        if self.uri:
            return self.uri
        if self.item_id is not None:
            # A local player's item: its id with the file or stream it plays; without a url,
            # with what it shows. A title corrected for the same url stays the same item.
            shown = self.url or f"{self.title}:{self.artist_text}:{self.album}:{self.duration_ms}"
            return f"local:{self.item_id}:{shown}"
        # Ads and odd items carry no uri: fall back to what we can see.
        return f"{self.kind.value}:{self.title}:{self.artist_text}:{self.duration_ms}"

    @property
    def spotify_url(self) -> str | None:
        """The item's open.spotify.com link, for "Open in Spotify" and "Copy link"."""
        url = self.url
        return url if url is not None and url.startswith(SPOTIFY_LINK) else None

    @property
    def is_spotify_item(self) -> bool:
        """An item of Spotify's (a track, an episode, an advert), not a file or a stream
        that another player plays: only such an item can be opened in Spotify or saved."""
        return self.item_id is None and not self.is_local

    @property
    def text_key(self) -> tuple[str | None, str, str | None]:
        """What is shown of the item: a change of it for the same item is a correction."""
        return (self.title, self.artist_text, self.album)

    def progress_at(self, now: float) -> int | None:
        """Progress extrapolated to ``now``, so the UI can move without asking Spotify."""
        if self.progress_ms is None:
            return None
        progress = self.progress_ms
        if self.is_playing:
            progress += int(max(0.0, now - self.read_at) * 1000)
        if self.duration_ms is not None:
            progress = min(progress, self.duration_ms)
        return progress

    def remaining_s(self, now: float) -> float | None:
        progress = self.progress_at(now)
        if progress is None or self.duration_ms is None:
            return None
        return max(0.0, (self.duration_ms - progress) / 1000)

    def art_url(self, size: int) -> str | None:
        """The smallest image at least ``size`` pixels wide, or else the largest one.

        Images without a width count as the largest: Spotify lists images widest first
        and leaves the width null only where it does not know it.
        """
        if not self.images:
            return None
        unsized = [image for image in self.images if image.width is None]
        sized = sorted(
            (image for image in self.images if image.width is not None),
            key=lambda image: image.width or 0,
        )
        for image in sized:
            if (image.width or 0) >= size:
                return image.url
        return unsized[0].url if unsized else sized[-1].url

    def allows(self, action: str) -> bool:
        return action not in self.disallows

    @property
    def has_volume(self) -> bool:
        return self.volume_percent is not None

    def to_json(self, now: float) -> dict[str, Any]:
        """The ``now --json`` shape; null where a value is unknown."""
        return {
            "state": self.state.value,
            "kind": self.kind.value if self.state is not PlaybackState.IDLE else None,
            "title": self.title,
            "artists": list(self.artists),
            "album": self.album,
            "progress_ms": self.progress_at(now),
            "duration_ms": self.duration_ms,
            "is_local": self.is_local,
            "url": self.url,
            "uri": self.uri,
            "art_url": self.art_url(640),
            "device": self.device,
        }


def keep_last_item(last: Playback | None, read: Playback) -> Playback:
    """What to show for ``read``: while Spotify is between items, the last item.

    Right after a control Spotify can answer ``item: null`` while playing. Showing that
    as a new item would announce a title-less track, then the same track again.
    """
    if not read.between_items or last is None or last.state is PlaybackState.IDLE:
        return read
    if last.between_items:
        return read
    return replace(
        last,
        state=PlaybackState.PLAYING,
        read_at=read.read_at,
        progress_ms=last.progress_at(read.read_at),
        device=read.device or last.device,
        disallows=read.disallows,
    )


def parse_playback(body: bytes | str | Mapping[str, Any] | None, read_at: float) -> Playback:
    """Parse a ``/me/player`` (or ``currently-playing``) body; ``None``, empty or a JSON
    ``null`` means idle."""
    if body is None:
        return Playback.idle(read_at)
    if isinstance(body, bytes | str):
        if not body.strip():
            return Playback.idle(read_at)
        try:
            body = read_json(body)
        except ValueError as exc:
            raise ApiUnavailable("Spotify sent a playback answer that could not be read.") from exc
        if body is None:
            return Playback.idle(read_at)
    if not isinstance(body, Mapping):
        raise ApiUnavailable("Spotify sent a playback answer of an unexpected shape.")
    try:
        return _parse_mapping(body, read_at)
    except (TypeError, ValueError, AttributeError, KeyError, OverflowError) as exc:
        logger.debug("Unreadable playback body: %s", type(exc).__name__)
        raise ApiUnavailable("Spotify sent a playback answer of an unexpected shape.") from exc


def _parse_mapping(body: Mapping[str, Any], read_at: float) -> Playback:
    item = _mapping(body.get("item"))
    kind = _kind(body.get("currently_playing_type"), item)
    if item is None and kind is not ItemKind.AD and not body.get("is_playing"):
        # No item and not playing: nothing Spotify can show us.
        return Playback.idle(read_at)
    state = PlaybackState.PLAYING if body.get("is_playing") is True else PlaybackState.PAUSED
    actions = _mapping(body.get("actions")) or {}
    disallows = _mapping(actions.get("disallows")) or {}
    device = _mapping(body.get("device")) or {}
    common: dict[str, Any] = {
        "state": state,
        "read_at": read_at,
        "kind": kind,
        "progress_ms": _non_negative_int(body.get("progress_ms")),
        "device": _text(device.get("name")),
        "volume_percent": _volume(device),
        "shuffle": _flag(body.get("shuffle_state")),
        "repeat": _repeat(body.get("repeat_state")),
        "disallows": frozenset(str(key) for key, value in disallows.items() if value is True),
    }
    if item is None:
        if kind is ItemKind.AD:
            return Playback(title="Advertisement", **common)
        return Playback(between_items=state is PlaybackState.PLAYING, **common)

    if kind is ItemKind.EPISODE:
        show = _mapping(item.get("show")) or {}
        album = _text(show.get("name"))
        # Development-mode apps get no publisher (February 2026): the show stands in.
        artists = tuple(filter(None, [_text(show.get("publisher")) or album]))
        images = _images(item.get("images")) or _images(show.get("images"))
    else:
        album_obj = _mapping(item.get("album")) or {}
        album = _text(album_obj.get("name"))
        artists = tuple(
            name
            for artist in _list(item.get("artists"))
            if (name := _text((_mapping(artist) or {}).get("name")))
        )
        images = _images(album_obj.get("images"))
    urls = _mapping(item.get("external_urls")) or {}
    return Playback(
        title=_text(item.get("name")),
        artists=artists,
        album=album,
        duration_ms=_non_negative_int(item.get("duration_ms")),
        images=images,
        url=_text(urls.get("spotify")),
        uri=_text(item.get("uri")),
        is_local=item.get("is_local") is True,
        **common,
    )


def _volume(device: Mapping[str, Any]) -> int | None:
    """The volume, only if the device lets us change it (a speaker group may not)."""
    if device.get("supports_volume") is not True:
        return None
    volume = _non_negative_int(device.get("volume_percent"))
    return min(volume, 100) if volume is not None else None


def _flag(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _repeat(value: Any) -> str | None:
    return value if value in ("off", "context", "track") else None


def _kind(value: Any, item: Mapping[str, Any] | None) -> ItemKind:
    text = value if isinstance(value, str) else (item or {}).get("type")
    try:
        return ItemKind(text)
    except ValueError:
        return ItemKind.UNKNOWN


def _mapping(value: Any) -> Mapping[str, Any] | None:
    return value if isinstance(value, Mapping) else None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _text(value: Any) -> str | None:
    # Cut: a title of megabytes would be carried into every tooltip, file and notification.
    return value[:MAX_TEXT_CHARS] if isinstance(value, str) and value else None


def _non_negative_int(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if value != value or value in (float("inf"), float("-inf")):  # NaN or infinite
        return None
    return max(0, int(value))


def _images(value: Any) -> tuple[Image, ...]:
    images = []
    for entry in _list(value):
        entry = _mapping(entry)
        if entry is None or not (url := _text(entry.get("url"))):
            continue
        images.append(
            Image(
                url, _non_negative_int(entry.get("width")), _non_negative_int(entry.get("height"))
            )
        )
    return tuple(images)
