"""MPRIS values <-> Playback, with the Spotify desktop client's quirks."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from nowplaying_tray.core.model import ItemKind, Playback, PlaybackState
from nowplaying_tray.core.mpris import (
    NO_TRACK,
    PlayerCaps,
    art_url,
    is_wanted_player,
    keep_position,
    loop_status,
    mpris_metadata,
    playback_from_mpris,
    playback_status,
    seek_target,
    track_path,
)
from nowplaying_tray.core.settings import Settings

TRACK = {
    "mpris:trackid": "/com/spotify/track/4uLU6hMCjMI75M1A2tKUQC",
    "xesam:title": "Paper Lanterns",
    "xesam:artist": ["The Velvet Orchard", "Juno Park"],
    "xesam:album": "Night Market Radio",
    "mpris:length": 212_000_000,
    "mpris:artUrl": "https://open.spotify.com/image/ab67616d00001e02ff9ca10b55ce82ae553c8228",
    "xesam:url": "https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC",
}


def test_a_spotify_track_reads_like_the_web_api_one() -> None:
    playback = playback_from_mpris("Playing", TRACK, 61_500_000, read_at=10.0, device="Spotify")
    assert playback.state is PlaybackState.PLAYING
    assert playback.kind is ItemKind.TRACK
    assert playback.title == "Paper Lanterns"
    assert playback.artists == ("The Velvet Orchard", "Juno Park")
    assert playback.uri == "spotify:track:4uLU6hMCjMI75M1A2tKUQC"
    assert playback.duration_ms == 212_000 and playback.progress_ms == 61_500
    assert playback.device == "Spotify"
    assert playback.progress_at(12.0) == 63_500  # extrapolated like a poll


def test_spotifyds_trackid_path_is_read_as_the_spotify_uri() -> None:
    """spotifyd makes the path from the URI's parts and sends no xesam:url."""
    metadata = {**TRACK, "mpris:trackid": "/spotify/track/4uLU6hMCjMI75M1A2tKUQC"}
    del metadata["xesam:url"]
    playback = playback_from_mpris("Playing", metadata, 0, read_at=0.0)
    assert playback.uri == "spotify:track:4uLU6hMCjMI75M1A2tKUQC"
    assert playback.url == "https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC"


def test_the_dead_open_spotify_art_link_is_rewritten_to_the_image_cdn() -> None:
    playback = playback_from_mpris("Paused", TRACK, 0, read_at=0.0)
    assert playback.art_url(300) == (
        "https://i.scdn.co/image/ab67616d00001e02ff9ca10b55ce82ae553c8228"
    )
    assert art_url("file:///home/me/.cache/ncspot/cover.jpg") == (
        "file:///home/me/.cache/ncspot/cover.jpg"
    )


@pytest.mark.parametrize(
    "trackid", ["spotify:ad:000000012c603a6600000020316a17a1", "/com/spotify/ad/1"]
)
def test_an_advert_has_no_uri_and_a_title(trackid: str) -> None:
    playback = playback_from_mpris(
        "Playing", {"mpris:trackid": trackid, "xesam:title": "", "xesam:artist": [""]}, 0, 0.0
    )
    assert playback.kind is ItemKind.AD
    assert playback.title == "Advertisement" and playback.artists == ()
    assert playback.uri is None


def test_a_sparse_podcast_episode_shows_its_show_as_the_artist() -> None:
    metadata = {
        "mpris:trackid": "spotify:episode:512ojhOuo1ktJprKbVcKyQ",
        "xesam:title": "Episode 12: Tiny Synths",
        "xesam:album": "The Loop Station",
        "xesam:artist": [],
    }
    playback = playback_from_mpris("Playing", metadata, None, 0.0)
    assert playback.kind is ItemKind.EPISODE
    assert playback.artists == ("The Loop Station",)
    assert playback.url == "https://open.spotify.com/episode/512ojhOuo1ktJprKbVcKyQ"
    assert playback.duration_ms is None and playback.progress_ms is None


@pytest.mark.parametrize("status", ["Stopped", "", None])
def test_stopped_or_unknown_is_idle(status: str | None) -> None:
    assert playback_from_mpris(status, TRACK, 0, 0.0).state is PlaybackState.IDLE


def test_position_zero_mid_track_keeps_the_extrapolated_progress() -> None:
    first = playback_from_mpris("Playing", TRACK, 30_000_000, read_at=100.0)
    paused = playback_from_mpris("Paused", TRACK, 0, read_at=110.0)  # the client says 0
    assert keep_position(first, paused).progress_ms == 40_000
    other = playback_from_mpris(
        "Playing", {**TRACK, "mpris:trackid": "/com/spotify/track/other"}, 0, read_at=111.0
    )
    assert keep_position(first, other).progress_ms == 0  # a new item does start at 0


def test_capabilities_become_disallows() -> None:
    caps = PlayerCaps.from_properties({"CanGoNext": False, "CanSeek": False, "CanPlay": True})
    assert caps.disallows() == frozenset({"skipping_next", "seeking"})


def test_which_players_are_local_players() -> None:
    wanted = Settings().local_players
    assert is_wanted_player("org.mpris.MediaPlayer2.spotify", wanted)
    assert is_wanted_player("org.mpris.MediaPlayer2.spotifyd.instance4242", wanted)
    assert not is_wanted_player("org.mpris.MediaPlayer2.vlc", wanted)
    assert is_wanted_player("org.mpris.MediaPlayer2.vlc", ["*"])
    assert not is_wanted_player("org.mpris.MediaPlayer2.nowplaying_tray", ["*"])  # ourselves
    assert not is_wanted_player("org.freedesktop.Notifications", ["*"])


def test_published_metadata_has_the_mpris_types() -> None:
    playback = playback_from_mpris("Playing", TRACK, 0, 0.0)
    metadata = mpris_metadata(playback)
    assert metadata["xesam:title"] == ("s", "Paper Lanterns")
    assert metadata["xesam:artist"] == ("as", ["The Velvet Orchard", "Juno Park"])
    assert metadata["mpris:length"] == ("x", 212_000_000)
    assert metadata["mpris:trackid"][0] == "o"
    assert metadata["mpris:trackid"][1].startswith("/org/nowplaying_tray/item/spotify_track_")
    assert playback_status(playback) == "Playing"
    assert playback_status(replace(playback, state=PlaybackState.PAUSED)) == "Paused"
    assert mpris_metadata(None) == {"mpris:trackid": ("o", NO_TRACK)}
    assert playback_status(None) == "Stopped"


def test_volume_is_read_as_a_percentage_and_missing_is_none() -> None:
    def volume(value: object) -> int | None:
        return playback_from_mpris("Playing", TRACK, 0, 0.0, volume=value).volume_percent

    assert volume(0.234) == 23
    assert volume(1.5) == 100  # some players go above 1.0
    assert volume(-0.1) == 0
    assert volume(None) is None
    assert volume(True) is None
    assert volume(float("nan")) is None


def test_set_position_needs_an_object_path_trackid() -> None:
    assert seek_target(TRACK["mpris:trackid"]) == TRACK["mpris:trackid"]
    assert seek_target("spotify:track:4uLU6hMCjMI75M1A2tKUQC") is None  # older clients: Seek
    assert seek_target(NO_TRACK) is None
    assert seek_target("/com/spotify/track/") is None
    assert seek_target(None) is None


def test_items_without_a_spotify_uri_get_a_clean_distinct_trackid() -> None:
    ad = Playback(PlaybackState.PLAYING, 0.0, ItemKind.AD, "Advertisement", duration_ms=30_000)
    other_ad = replace(ad, duration_ms=15_000)
    local = Playback(
        PlaybackState.PLAYING, 0.0, ItemKind.TRACK, "Demo", uri="spotify:local:Band:Tapes:Demo:9"
    )
    paths = [track_path(ad), track_path(other_ad), track_path(local)]
    assert all(re.fullmatch(r"/org/nowplaying_tray/item/(ad|track)_[0-9a-f]{16}", p) for p in paths)
    assert len(set(paths)) == 3
    track = replace(local, uri="spotify:track:4uLU6hMCjMI75M1A2tKUQC")
    assert track_path(track) == "/org/nowplaying_tray/item/spotify_track_4uLU6hMCjMI75M1A2tKUQC"


@pytest.mark.parametrize(
    ("repeat", "status"),
    [("off", "None"), ("context", "Playlist"), ("track", "Track"), (None, "None")],
)
def test_repeat_state_is_loop_status(repeat: str | None, status: str) -> None:
    playback = Playback(PlaybackState.PLAYING, 0.0, ItemKind.TRACK, "Song", repeat=repeat)
    assert loop_status(playback) == status


MPV_FILE = {
    "mpris:trackid": "/0",  # mpv-mpris gives every file this id
    "xesam:title": "First Tone",
    "xesam:artist": ["Sine Band"],
    "xesam:album": "Waves",
    "mpris:length": 30_000_000,
    "xesam:url": "file:///music/01-first.ogg",
    "mpris:artUrl": "file:///music/cover.jpg",
}


def test_a_file_in_mpv_keeps_its_url_has_no_uri_and_is_local() -> None:
    playback = playback_from_mpris("Playing", MPV_FILE, 0, read_at=0.0, device="mpv")
    assert playback.uri is None and playback.item_id == "/0"
    assert playback.url == "file:///music/01-first.ogg"
    assert playback.kind is ItemKind.TRACK and playback.is_local
    assert not playback.is_spotify_item and playback.spotify_url is None
    shape = playback.to_json(0.0)
    assert (shape["uri"], shape["url"], shape["is_local"]) == (None, MPV_FILE["xesam:url"], True)


def test_a_stream_in_a_local_player_is_not_local_but_not_spotifys() -> None:
    stream = MPV_FILE | {"xesam:url": "https://radio.example/stream", "mpris:artUrl": ""}
    playback = playback_from_mpris("Playing", stream, 0, read_at=0.0)
    assert not playback.is_local and not playback.is_spotify_item
    assert playback.url == "https://radio.example/stream" and playback.spotify_url is None


def test_an_item_is_its_id_with_its_url_and_a_corrected_title_stays_the_same_item() -> None:
    first = playback_from_mpris("Playing", MPV_FILE, 0, read_at=0.0)
    second = playback_from_mpris(
        "Playing", MPV_FILE | {"xesam:url": "file:///music/02-second.ogg"}, 0, read_at=0.0
    )
    assert first.item_key != second.item_key  # the same /0, another file
    named = playback_from_mpris("Playing", MPV_FILE | {"xesam:title": "01-first.ogg"}, 0, 0.0)
    assert named.item_key == first.item_key and named.text_key != first.text_key
    # Without a url, what is shown tells items apart.
    bare = {key: value for key, value in MPV_FILE.items() if key != "xesam:url"}
    other = playback_from_mpris("Playing", bare | {"xesam:title": "Other"}, 0, 0.0)
    assert playback_from_mpris("Playing", bare, 0, 0.0).item_key != other.item_key


def test_a_spotify_tracks_actions_stay() -> None:
    playback = playback_from_mpris("Playing", TRACK, 0, read_at=0.0)
    assert playback.is_spotify_item and playback.item_id is None
    assert playback.spotify_url == TRACK["xesam:url"]


def test_an_overlong_or_unprintable_url_is_left_out() -> None:
    for url in ("file:///" + "a" * 5000, "file:///x\n.ogg"):
        assert playback_from_mpris("Playing", MPV_FILE | {"xesam:url": url}, 0, 0.0).url is None


def test_an_item_without_a_title_yet_is_named_by_its_file() -> None:
    untagged = {
        "mpris:trackid": "/org/videolan/vlc/playlist/4",
        "xesam:url": "file:///m/01%20a.ogg",
    }
    playback = playback_from_mpris("Playing", untagged, 0, read_at=0.0)
    assert playback.title == "01 a.ogg"
    tagged = playback_from_mpris("Playing", untagged | {"xesam:title": "A"}, 0, read_at=0.0)
    assert tagged.item_key == playback.item_key  # the tags read: the same item, corrected
