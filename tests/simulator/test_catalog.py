"""Queue-entry builders and the demo playlist."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from nowplaying_tray.simulator import (
    DEV_MODE_REMOVED,
    demo_playlist,
    make_ad,
    make_episode,
    make_local_track,
    make_track,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "spotify"
BASE62_ID = re.compile(r"^[0-9A-Za-z]{22}$")


def fixture_item(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())["item"]


def dev_mode(fields: dict, kind: str) -> set[str]:
    """The keys of a captured object that a development-mode app still gets."""
    return set(fields) - DEV_MODE_REMOVED[kind]


def test_track_entry_shape():
    entry = make_track("Dancing", ["Band", "Guest"], "Arrival", 230_400)
    assert entry["currently_playing_type"] == "track"
    assert entry["duration_ms"] == 230_400
    item = entry["item"]
    reference = fixture_item("track.json")
    assert dev_mode(reference, "track") <= set(item)
    assert dev_mode(reference["album"], "album") <= set(item["album"])
    assert not DEV_MODE_REMOVED["track"] & set(item)
    assert set(reference["artists"][0]) == set(item["artists"][0])
    assert BASE62_ID.match(item["id"])
    assert item["type"] == "track" and item["is_local"] is False
    assert item["href"].endswith(f"/tracks/{item['id']}")
    assert [image["width"] for image in item["album"]["images"]] == [640, 300, 64]


def test_track_ids_are_stable_and_overridable():
    first = make_track("Same", ["Artist"], "Album", 1000)
    assert make_track("Same", ["Artist"], "Album", 1000) == first
    custom = make_track(
        "Same", ["Artist"], "Album", 1000, track_id="4uLU6hMCjMI75M1A2tKUQC", art_id="cover-1"
    )
    assert custom["item"]["uri"] == "spotify:track:4uLU6hMCjMI75M1A2tKUQC"
    assert custom["item"]["album"]["images"][0]["url"] == "/_sim/art/cover-1/640.png"
    assert custom["art_id"] == "cover-1"


def test_episode_entry_shape():
    entry = make_episode("Episode 0", "The Show", 60_000)
    assert entry["currently_playing_type"] == "episode"
    item = entry["item"]
    assert set(fixture_item("episode.json")) <= set(item)
    assert dev_mode(fixture_item("episode.json")["show"], "show") <= set(item["show"])
    assert not DEV_MODE_REMOVED["show"] & set(item["show"])
    assert item["html_description"].startswith("<p>")
    assert isinstance(item["show"]["total_episodes"], int)
    assert item["type"] == "episode"
    assert item["uri"] == f"spotify:episode:{item['id']}"


def test_local_track_matches_the_fixture():
    item = make_local_track("929", "Halsey", "Manic (Deluxe)", 174_000)["item"]
    reference = fixture_item("local.json")
    removed = DEV_MODE_REMOVED["track"]
    expected = {key: value for key, value in reference.items() if key not in removed}
    expected["album"] = {
        key: value
        for key, value in reference["album"].items()
        if key not in DEV_MODE_REMOVED["album"]
    }
    assert item == expected


def test_ad_entry():
    assert make_ad(15_000) == {
        "item": None,
        "currently_playing_type": "ad",
        "duration_ms": 15_000,
        "art_id": None,
    }


@pytest.mark.parametrize("duration", [0, -5])
def test_durations_must_be_positive(duration):
    with pytest.raises(ValueError):
        make_track("T", ["A"], "B", duration)
    with pytest.raises(ValueError):
        make_ad(duration)


def test_demo_playlist_covers_the_awkward_cases():
    playlist = demo_playlist()
    assert all(20_000 <= entry["duration_ms"] <= 40_000 for entry in playlist)
    kinds = [entry["currently_playing_type"] for entry in playlist]
    assert kinds.count("episode") == 1
    assert kinds.count("ad") == 1
    locals_ = [e for e in playlist if e["item"] and e["item"].get("is_local")]
    assert len(locals_) == 1
    tracks = [
        e["item"]
        for e in playlist
        if e["item"] and e["item"]["type"] == "track" and not e["item"]["is_local"]
    ]
    assert len(tracks) >= 6
    titles = [t["name"] for t in tracks]
    artists = [t["artists"][0]["name"] for t in tracks]
    assert len(set(titles)) == len(titles) and len(set(artists)) == len(artists)
    assert any(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", title) for title in titles)
    assert any(re.search(r"[\u0590-\u08ff]", artist) for artist in artists)
    assert any("<b>HTML</b>" in title for title in titles)


def test_demo_playlist_is_fresh_each_call():
    first = demo_playlist()
    first[0]["item"]["name"] = "changed"
    assert demo_playlist()[0]["item"]["name"] != "changed"
