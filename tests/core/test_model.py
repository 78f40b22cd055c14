"""Parsing real captured Spotify bodies, and the odd ones Spotify also sends."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nowplaying_tray.core.errors import ApiUnavailable
from nowplaying_tray.core.model import ItemKind, Playback, PlaybackState, parse_playback

FIXTURES = Path(__file__).parent.parent / "fixtures" / "spotify"


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def test_paused_track() -> None:
    playback = parse_playback(fixture("track"), read_at=100.0)
    assert playback.state is PlaybackState.PAUSED
    assert playback.kind is ItemKind.TRACK
    assert playback.title and playback.artists == ("ABBA",)
    assert playback.album == "Arrival"
    assert playback.progress_ms == 78810
    assert playback.url and playback.url.startswith("https://open.spotify.com/track/")
    assert playback.uri and playback.uri.startswith("spotify:track:")
    assert not playback.is_local


def test_nested_disallows_keep_only_true_flags() -> None:
    body = fixture("track")
    body["actions"] = {"disallows": {"resuming": True, "pausing": False}}
    playback = parse_playback(body, read_at=0.0)
    assert playback.disallows == frozenset({"resuming"})
    assert not playback.allows("resuming") and playback.allows("pausing")


def test_episode_shows_the_show_and_its_images() -> None:
    playback = parse_playback(fixture("episode"), read_at=0.0)
    assert playback.kind is ItemKind.EPISODE
    assert playback.state is PlaybackState.PLAYING
    assert playback.album == fixture("episode")["item"]["show"]["name"]
    assert playback.images


def test_local_file_has_no_art_or_link() -> None:
    playback = parse_playback(fixture("local"), read_at=0.0)
    assert playback.is_local
    assert playback.kind is ItemKind.TRACK
    assert playback.images == ()
    assert playback.art_url(300) is None
    assert playback.title


def test_ad_is_an_item_without_details() -> None:
    playback = parse_playback(fixture("ad"), read_at=0.0)
    assert playback.kind is ItemKind.AD
    assert playback.state is PlaybackState.PLAYING
    assert playback.title == "Advertisement"
    assert playback.uri is None and playback.item_key is not None


def test_device_name_comes_from_player_body() -> None:
    body = fixture("track")
    body["device"] = fixture("device")
    assert parse_playback(body, read_at=0.0).device == "My fridge"


@pytest.mark.parametrize("body", [None, b"", "", b"  \n"])
def test_no_content_means_idle(body: bytes | str | None) -> None:
    playback = parse_playback(body, read_at=5.0)
    assert playback.state is PlaybackState.IDLE
    assert playback.item_key is None


def test_null_progress_is_unknown_not_zero() -> None:
    body = fixture("track")
    body["progress_ms"] = None
    playback = parse_playback(body, read_at=0.0)
    assert playback.progress_ms is None
    assert playback.progress_at(10.0) is None
    assert playback.remaining_s(10.0) is None


def test_unknown_type_is_kept_as_unknown() -> None:
    body = fixture("track")
    body["currently_playing_type"] = "hologram"
    assert parse_playback(body, read_at=0.0).kind is ItemKind.UNKNOWN


def test_missing_fields_give_nones() -> None:
    playback = parse_playback({"is_playing": True, "item": {"type": "track"}}, read_at=0.0)
    assert playback.state is PlaybackState.PLAYING
    assert playback.title is None and playback.artists == () and playback.duration_ms is None


def test_episode_without_additional_types_has_no_item() -> None:
    body = {"is_playing": True, "item": None, "currently_playing_type": "episode"}
    playback = parse_playback(body, read_at=0.0)
    assert playback.kind is ItemKind.EPISODE and playback.title is None


@pytest.mark.parametrize("body", [b'{"is_playing": tr', b"[1, 2]", "true", b"\xff\xfe"])
def test_unreadable_bodies_raise_the_named_error(body: bytes | str) -> None:
    with pytest.raises(ApiUnavailable):
        parse_playback(body, read_at=0.0)


def test_progress_is_extrapolated_while_playing_and_capped() -> None:
    body = fixture("episode")
    playback = parse_playback(body, read_at=10.0)
    start = playback.progress_ms
    assert start is not None and playback.duration_ms is not None
    assert playback.progress_at(12.5) == start + 2500
    assert playback.progress_at(10.0 + 10**7) == playback.duration_ms
    paused = parse_playback(fixture("track"), read_at=10.0)
    assert paused.progress_at(99.0) == paused.progress_ms


def test_art_url_picks_the_smallest_image_that_fits() -> None:
    playback = parse_playback(fixture("track"), read_at=0.0)
    widths = {image.url: image.width for image in playback.images}
    assert widths[playback.art_url(64)] == 64
    assert widths[playback.art_url(100)] == 300
    assert widths[playback.art_url(5000)] == 640


def test_json_shape_has_every_key() -> None:
    shape = parse_playback(fixture("track"), read_at=0.0).to_json(now=0.0)
    assert set(shape) == {
        "state", "kind", "title", "artists", "album", "progress_ms", "duration_ms",
        "is_local", "url", "uri", "art_url", "device",
    }  # fmt: skip
    idle = Playback.idle(0.0).to_json(now=0.0)
    assert idle["state"] == "idle" and idle["title"] is None and idle["kind"] is None


# -- fuzzing: odd but structurally valid bodies never raise anything unnamed --------------

json_leaf = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=300)
json_value = st.recursive(
    json_leaf,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=20,
)
odd_item = st.fixed_dictionaries(
    {},
    optional={
        "name": json_value | st.text(min_size=1000, max_size=5000),
        "type": st.sampled_from(["track", "episode", "ad", "unknown", "x"]) | json_value,
        "artists": st.lists(st.fixed_dictionaries({}, optional={"name": json_value})) | json_value,
        "album": st.fixed_dictionaries(
            {}, optional={"name": json_value, "images": st.lists(json_value) | json_value}
        )
        | json_value,
        "show": json_value,
        "images": json_value,
        "duration_ms": json_value,
        "uri": json_value,
        "is_local": json_value,
        "external_urls": json_value,
    },
)
odd_body = st.fixed_dictionaries(
    {},
    optional={
        "is_playing": json_value,
        "progress_ms": json_value,
        "item": odd_item | json_value,
        "currently_playing_type": json_value,
        "actions": st.fixed_dictionaries({}, optional={"disallows": json_value}) | json_value,
        "device": json_value,
    },
)


@settings(max_examples=300, deadline=None)
@given(body=odd_body)
def test_odd_bodies_parse_or_fail_by_name(body: dict) -> None:
    try:
        playback = parse_playback(body, read_at=0.0)
    except ApiUnavailable:
        return
    # Whatever came in, what comes out is usable by the UI.
    playback.to_json(now=1.0)
    playback.art_url(300)
    assert isinstance(playback.artist_text, str)


@settings(max_examples=200, deadline=None)
@given(raw=st.binary(max_size=200) | st.text(max_size=200))
def test_arbitrary_bytes_parse_or_fail_by_name(raw: bytes | str) -> None:
    with contextlib.suppress(ApiUnavailable):
        parse_playback(raw, read_at=0.0)


@pytest.mark.parametrize(
    ("shuffle", "repeat", "expected"),
    [
        (True, "track", (True, "track")),
        (False, "context", (False, "context")),
        ("yes", "always", (None, None)),  # odd values are unknown, never guessed
    ],
)
def test_shuffle_and_repeat_states_are_read(
    shuffle: object, repeat: object, expected: tuple
) -> None:
    body = json.loads((FIXTURES / "track.json").read_text())
    body.update(shuffle_state=shuffle, repeat_state=repeat)
    playback = parse_playback(body, 0.0)
    assert (playback.shuffle, playback.repeat) == expected
    assert (parse_playback({"is_playing": False, "item": body["item"]}, 0.0).shuffle) is None
