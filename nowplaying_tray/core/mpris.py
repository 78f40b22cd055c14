"""MPRIS2 <-> Playback, as plain values: no D-Bus library here.

A desktop player (the Spotify client, spotifyd, ncspot, spotify_player) reports
``PlaybackStatus``, ``Metadata`` and ``Position``; ``playback_from_mpris`` turns
them into the same ``Playback`` the Web API gives. ``mpris_metadata`` goes the
other way, for the player we publish. The Spotify client's quirks are handled
here and described in docs/MPRIS.md.
"""

from __future__ import annotations

import fnmatch
import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import unquote, urlsplit

from nowplaying_tray.core.model import SPOTIFY_LINK, Image, ItemKind, Playback, PlaybackState

MPRIS_PREFIX = "org.mpris.MediaPlayer2."
MPRIS_PATH = "/org/mpris/MediaPlayer2"  # where every player's object is
MPRIS_ROOT = "org.mpris.MediaPlayer2"
MPRIS_PLAYER = "org.mpris.MediaPlayer2.Player"
OUR_PLAYER = "nowplaying_tray"
NO_TRACK = "/org/mpris/MediaPlayer2/TrackList/NoTrack"

# The Spotify client points art at open.spotify.com/image/<id>, which answers 404;
# the same id is served by the image CDN.
_DEAD_ART = re.compile(r"^https?://open\.spotify\.com/image/(?P<id>[0-9A-Za-z]+)$")
# A trackid as a URI (older clients), as an object path (newer ones: /com/spotify/track/<id>)
# or as spotifyd's path (/spotify/track/<id>, the URI's parts).
_SPOTIFY_ID = re.compile(
    r"^(?:spotify:|/com/spotify/|/spotify/)(?P<kind>track|episode|ad|local)[:/](?P<id>.+)$"
)
_OPEN_URL = re.compile(r"^https?://open\.spotify\.com/(?P<kind>track|episode)/(?P<id>[0-9A-Za-z]+)")
_PATH_UNSAFE = re.compile(r"[^A-Za-z0-9_]")
_SPOTIFY_URI = re.compile(r"^spotify:(?:track|episode):[0-9A-Za-z]{1,64}$")
MAX_URL_CHARS = 4096  # a longer xesam:url is not shown (nor its file read)
_OBJECT_PATH = re.compile(r"^/(?:[A-Za-z0-9_]+(?:/[A-Za-z0-9_]+)*)?$")


@dataclass(frozen=True)
class PlayerCaps:
    """What a player says it can do (``CanGoNext`` and friends)."""

    can_next: bool = True
    can_previous: bool = True
    can_play: bool = True
    can_pause: bool = True
    can_seek: bool = True

    @classmethod
    def from_properties(cls, props: Mapping[str, Any]) -> PlayerCaps:
        def flag(name: str) -> bool:
            return props.get(name) is not False  # unknown: allowed; the player may refuse

        return cls(
            flag("CanGoNext"), flag("CanGoPrevious"), flag("CanPlay"), flag("CanPause"),
            flag("CanSeek"),
        )  # fmt: skip

    def disallows(self) -> frozenset[str]:
        pairs = (
            (self.can_next, "skipping_next"),
            (self.can_previous, "skipping_prev"),
            (self.can_play, "resuming"),
            (self.can_pause, "pausing"),
            (self.can_seek, "seeking"),
        )
        return frozenset(name for allowed, name in pairs if not allowed)


def player_short_name(bus_name: str) -> str:
    """``org.mpris.MediaPlayer2.spotify.instance123`` -> ``spotify``."""
    rest = bus_name.removeprefix(MPRIS_PREFIX)
    return rest.split(".", 1)[0]


def is_wanted_player(bus_name: str, wanted: Iterable[str]) -> bool:
    """A player named in ``local_players`` (``"*"`` is any); never the one we publish."""
    if not bus_name.startswith(MPRIS_PREFIX):
        return False
    short = player_short_name(bus_name)
    if short == OUR_PLAYER:
        return False
    return any(fnmatch.fnmatchcase(short, pattern) for pattern in wanted)


def art_url(value: Any) -> str | None:
    if not isinstance(value, str) or not value:
        return None
    dead = _DEAD_ART.match(value)
    return f"https://i.scdn.co/image/{dead['id']}" if dead else value


def _spotify_uri(trackid: str, url: str | None) -> tuple[ItemKind | None, str | None]:
    match = _SPOTIFY_ID.match(trackid)
    if match:
        kind = match["kind"]
        if kind in ("ad", "local"):
            return (ItemKind.AD if kind == "ad" else ItemKind.TRACK), None
        return ItemKind(kind), f"spotify:{kind}:{match['id']}"
    if url and (open_url := _OPEN_URL.match(url)):
        return ItemKind(open_url["kind"]), f"spotify:{open_url['kind']}:{open_url['id']}"
    return None, None


def playback_from_mpris(
    status: Any,
    metadata: Mapping[str, Any],
    position_us: Any,
    read_at: float,
    device: str | None = None,
    caps: PlayerCaps | None = None,
    volume: Any = None,
) -> Playback:
    """A player's properties as a ``Playback``; ``Stopped`` or no title and id is idle.
    ``volume`` is the player's ``Volume`` (0.0-1.0), None for a player without one."""
    if status not in ("Playing", "Paused"):
        return Playback.idle(read_at)
    trackid = _text(metadata.get("mpris:trackid")) or ""
    url = _text(metadata.get("xesam:url"))
    if url is not None and (len(url) > MAX_URL_CHARS or not url.isprintable()):
        url = None
    kind, uri = _spotify_uri(trackid, url)
    spotify_local = trackid.startswith(("spotify:local", "/com/spotify/local", "/spotify/local"))
    # A player that has not read the tags yet (VLC, for a moment) names the file instead.
    title = _text(metadata.get("xesam:title")) or _file_name(url)
    artists = tuple(a for a in _strings(metadata.get("xesam:artist")) if a)
    album = _text(metadata.get("xesam:album"))
    if kind is None:
        kind = ItemKind.TRACK if (title or trackid) else ItemKind.UNKNOWN
    if kind is ItemKind.AD:
        title, artists = title or "Advertisement", ()
    elif kind is ItemKind.EPISODE and not artists and album:
        artists = (album,)  # podcasts come with no artist: the show stands in, as on the Web API
    if not title and not trackid:
        return Playback.idle(read_at)
    length = _number(metadata.get("mpris:length"))
    position = _number(position_us)
    image = art_url(metadata.get("mpris:artUrl"))
    if url is None and uri is not None and kind in (ItemKind.TRACK, ItemKind.EPISODE):
        url = f"https://open.spotify.com/{kind.value}/{uri.rsplit(':', 1)[1]}"
    return Playback(
        state=PlaybackState.PLAYING if status == "Playing" else PlaybackState.PAUSED,
        read_at=read_at,
        kind=kind,
        title=title,
        artists=artists,
        album=album,
        duration_ms=length // 1000 if length else None,
        progress_ms=position // 1000 if position is not None else None,
        images=(Image(image, None, None),) if image else (),
        url=url,
        uri=uri,
        # A file on this computer: a file:// url (mpv, VLC) or one of Spotify's local files.
        is_local=spotify_local or (url is not None and url.startswith("file:")),
        item_id=trackid if uri is None and kind is not ItemKind.AD and (trackid or url) else None,
        device=device,
        disallows=(caps or PlayerCaps()).disallows(),
        volume_percent=volume_percent(volume),
    )


def player_playback(
    props: Mapping[str, Any], identity: str, position_us: Any, read_at: float
) -> Playback:
    """A player's ``Player`` properties (as ``GetAll`` gives them) as a ``Playback``."""
    return playback_from_mpris(
        props.get("PlaybackStatus"),
        props.get("Metadata") or {},
        position_us,
        read_at,
        device=identity,
        caps=PlayerCaps.from_properties(props),
        volume=props.get("Volume"),
    )


def volume_percent(volume: Any) -> int | None:
    """MPRIS ``Volume`` (a double, 1.0 is full; some players go above) as 0-100."""
    if isinstance(volume, bool) or not isinstance(volume, int | float) or volume != volume:
        return None
    return min(100, max(0, round(float(volume) * 100)))


def seek_target(trackid: Any) -> str | None:
    """The object path ``SetPosition`` wants for this ``mpris:trackid``; None when the
    player gave a URI (older Spotify clients) and only a relative ``Seek`` can work."""
    if isinstance(trackid, str) and _OBJECT_PATH.match(trackid) and trackid != NO_TRACK:
        return trackid
    return None


def keep_position(last: Playback | None, read: Playback) -> Playback:
    """The Spotify client often reports ``Position`` 0 mid-track: for the same item, a
    reported 0 (or none) keeps the extrapolated progress instead of jumping back."""
    if last is None or last.item_key != read.item_key or last.state is PlaybackState.IDLE:
        return read
    if read.progress_ms:
        return read
    return replace(read, progress_ms=last.progress_at(read.read_at))


# the player we publish --------------------------------------------------------------------


def playback_status(playback: Playback | None) -> str:
    if playback is None or playback.state is PlaybackState.IDLE:
        return "Stopped"
    return "Playing" if playback.is_playing else "Paused"


# MPRIS LoopStatus for the Web API's repeat_state, and back.
LOOP_STATUS = {"off": "None", "track": "Track", "context": "Playlist"}
REPEAT_STATE = {loop: repeat for repeat, loop in LOOP_STATUS.items()}


def loop_status(playback: Playback | None) -> str:
    repeat = playback.repeat if playback is not None else None
    return LOOP_STATUS.get(repeat or "off", "None")


def track_path(playback: Playback | None) -> str:
    """``/org/nowplaying_tray/item/spotify_track_<id>`` for an item with a Spotify URI;
    one without (an advert, an odd item) gets its kind and a digest of what identifies it."""
    if playback is None or playback.state is PlaybackState.IDLE:
        return NO_TRACK
    if playback.uri and _SPOTIFY_URI.match(playback.uri):
        return "/org/nowplaying_tray/item/" + _PATH_UNSAFE.sub("_", playback.uri)
    digest = hashlib.sha256((playback.item_key or "").encode()).hexdigest()[:16]
    return f"/org/nowplaying_tray/item/{playback.kind.value}_{digest}"


def mpris_metadata(playback: Playback | None) -> dict[str, tuple[str, Any]]:
    """``Metadata`` for ``playback`` as {key: (D-Bus signature, value)}."""
    data: dict[str, tuple[str, Any]] = {"mpris:trackid": ("o", track_path(playback))}
    if playback is None or playback.state is PlaybackState.IDLE:
        return data
    if playback.title:
        data["xesam:title"] = ("s", playback.title)
    if playback.artists:
        data["xesam:artist"] = ("as", list(playback.artists))
    if playback.album:
        data["xesam:album"] = ("s", playback.album)
    if playback.duration_ms is not None:
        data["mpris:length"] = ("x", playback.duration_ms * 1000)
    if (art := playback.art_url(300)) is not None:
        data["mpris:artUrl"] = ("s", art)
    if playback.url:
        data["xesam:url"] = ("s", playback.url)
    return data


def _file_name(url: str | None) -> str | None:
    """The last part of a file's or a stream's URL, as players show an untagged file."""
    if url is None or url.startswith(SPOTIFY_LINK):
        return None
    name = unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1])
    return name if name and name.isprintable() else None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [item for item in value if isinstance(item, str)]
    return []


def _number(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        return None
    return max(0, int(value))
