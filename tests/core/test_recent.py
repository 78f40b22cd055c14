"""Recently played: which items make an entry, repeats, the limit, and the file."""

from __future__ import annotations

import json
from pathlib import Path

from nowplaying_tray.core.model import ItemKind, Playback, PlaybackState
from nowplaying_tray.core.recent_list import (
    RECENT_LIMIT,
    RecentItem,
    RecentList,
    load_recent,
    recent_file,
    save_recent,
)


def track(n: int, state: PlaybackState = PlaybackState.PLAYING) -> Playback:
    return Playback(
        state=state,
        read_at=0.0,
        kind=ItemKind.TRACK,
        title=f"Song {n}",
        artists=("Band", "Guest"),
        url=f"https://open.spotify.com/track/id{n}",
        uri=f"spotify:track:id{n}",
    )


def test_newest_first_and_cut_to_the_limit() -> None:
    recent = RecentList()
    for n in range(RECENT_LIMIT + 3):
        assert recent.observe(track(n))
    titles = [item.title for item in recent.items]
    assert titles == [f"Song {n}" for n in range(RECENT_LIMIT + 2, 2, -1)]
    assert recent.items[0].label == f"Song {RECENT_LIMIT + 2} — Band, Guest"


def test_the_same_item_twice_in_a_row_is_one_entry_but_not_apart() -> None:
    recent = RecentList()
    recent.observe(track(1))
    assert not recent.observe(track(1, PlaybackState.PAUSED))  # paused, polled again
    recent.observe(track(2))
    recent.observe(track(1))
    assert [item.title for item in recent.items] == ["Song 1", "Song 2", "Song 1"]


def test_ads_idle_and_items_without_a_spotify_link_are_left_out() -> None:
    recent = RecentList()
    ad = Playback(state=PlaybackState.PLAYING, read_at=0, kind=ItemKind.AD, title="Advertisement")
    local_file = Playback(state=PlaybackState.PLAYING, read_at=0, title="My demo", url=None)
    elsewhere = Playback(
        state=PlaybackState.PLAYING, read_at=0, title="Clip", url="https://example.com/x"
    )
    for playback in (ad, local_file, elsewhere, Playback.idle(0)):
        assert not recent.observe(playback)
    assert recent.items == ()


def test_saved_and_loaded_back(tmp_path: Path) -> None:
    path = recent_file(tmp_path / "state")
    items = (RecentItem("Tom & Jerry", "", "https://open.spotify.com/episode/e1"),)
    save_recent(path, items)
    assert load_recent(path) == items
    assert not list(path.parent.glob(".*.tmp"))  # written through a temporary file
    assert path.stat().st_mode & 0o777 == 0o600


def test_a_missing_broken_or_foreign_file_is_an_empty_list(tmp_path: Path) -> None:
    path = tmp_path / "recent.json"
    assert load_recent(path) == ()
    path.write_text("{not json")
    assert load_recent(path) == ()
    path.write_text(json.dumps({"items": "nope"}))
    assert load_recent(path) == ()
    good = {"title": "Kept", "artist": "A", "url": "https://open.spotify.com/track/k"}
    path.write_text(
        json.dumps(
            {
                "items": [
                    {"title": "Phish", "artist": "", "url": "https://evil.example/open"},
                    {"title": "Script", "artist": "", "url": "javascript:alert(1)"},
                    {"title": 3, "url": "https://open.spotify.com/track/x"},
                    good,
                ]
            }
        )
    )
    assert load_recent(path) == (RecentItem("Kept", "A", "https://open.spotify.com/track/k"),)
    path.write_bytes(b" " * (300 * 1024))
    assert load_recent(path) == ()


def test_a_list_that_cannot_be_written_is_no_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    save_recent(blocker / "recent.json", (RecentItem("A", "B", "https://open.spotify.com/t"),))
