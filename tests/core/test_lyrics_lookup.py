"""The LRCLIB lookup over HTTP against the simulator, and the answers it keeps on disk."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nowplaying_tray.core.errors import LyricsUnavailable
from nowplaying_tray.core.lyrics_lookup import (
    MISS_KEPT_S,
    USER_AGENT,
    LyricsCache,
    LyricsClient,
    LyricsQuery,
)
from nowplaying_tray.core.model import ItemKind, Playback, PlaybackState
from nowplaying_tray.simulator import SpotifySimulator
from nowplaying_tray.simulator.lrclib import LyricsRecord

PAPER = LyricsQuery("Paper Lanterns", "The Velvet Orchard", "Night Market Radio", 32)
NORTHBOUND = LyricsQuery("Northbound Static", "Kestrel Avenue", "Mile Markers", 35)
DESERT = LyricsQuery("رسائل الصحراء", "ليلى والقمر", "Desert Letters", 30)
SLOW_TIDE = LyricsQuery("Slow Tide", "Marisol Vega", "Harbour Lights", 40)


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def client(sim: SpotifySimulator, tmp_path: Path, clock: Clock) -> LyricsClient:
    return LyricsClient(sim.base_url, LyricsCache(tmp_path / "lyrics", wall_clock=clock), 2.0)


def lrclib_requests(sim: SpotifySimulator) -> list[tuple[str, int]]:
    return [(r.path, r.status) for r in sim.requests if r.path.startswith("/api/")]


def test_synced_lyrics(client: LyricsClient, sim: SpotifySimulator) -> None:
    lyrics = client.lookup(PAPER)
    assert lyrics is not None and lyrics.synced and not lyrics.instrumental
    assert lyrics.lines[0].text == "Paper lanterns on the river"
    assert lyrics.lines[0].at_ms == 1000
    assert lrclib_requests(sim) == [("/api/get", 200)]
    assert sim.lyrics.user_agents == [USER_AGENT]
    assert USER_AGENT.startswith("nowplaying-tray/") and "https://" in USER_AGENT


def test_plain_lyrics_only(client: LyricsClient) -> None:
    lyrics = client.lookup(NORTHBOUND)
    assert lyrics is not None and not lyrics.synced
    assert lyrics.text.startswith("Static on the northbound line")


def test_instrumental(client: LyricsClient) -> None:
    lyrics = client.lookup(DESERT)
    assert lyrics is not None and lyrics.instrumental and lyrics.text == ""


def test_not_found_asks_the_search_then_keeps_the_miss_for_a_day(
    client: LyricsClient, sim: SpotifySimulator, clock: Clock
) -> None:
    assert client.lookup(SLOW_TIDE) is None
    assert lrclib_requests(sim) == [("/api/get", 404), ("/api/search", 200)]
    assert client.lookup(SLOW_TIDE) is None
    assert len(lrclib_requests(sim)) == 2  # the miss came from the cache
    clock.now += MISS_KEPT_S + 1
    assert client.lookup(SLOW_TIDE) is None
    assert len(lrclib_requests(sim)) == 4


def test_the_search_takes_the_closest_duration_within_two_seconds(
    client: LyricsClient, sim: SpotifySimulator
) -> None:
    sim.lyrics.add(LyricsRecord("Echo", "Band", "Live", 203, "[00:01.00]live take"))
    sim.lyrics.add(LyricsRecord("Echo", "Band", "Studio", 200, "[00:01.00]studio take"))
    sim.lyrics.add(LyricsRecord("Echo", "Band", "Demo", 210, "[00:01.00]demo take"))
    found = client.lookup(LyricsQuery("Echo", "Band", "Compilation", 201))
    assert found is not None and found.lines[0].text == "studio take"
    assert client.lookup(LyricsQuery("Echo", "Band", "Compilation", 206)) is None


def test_cache_hit_without_a_second_request(
    client: LyricsClient, sim: SpotifySimulator, tmp_path: Path
) -> None:
    first = client.lookup(PAPER)
    again = LyricsClient(sim.base_url, LyricsCache(tmp_path / "lyrics"), 2.0).lookup(PAPER)
    assert again == first
    assert lrclib_requests(sim) == [("/api/get", 200)]


@pytest.mark.parametrize("fault", ["drop", "server_error"])
def test_lrclib_down_is_a_named_error_and_nothing_is_kept(
    client: LyricsClient, sim: SpotifySimulator, fault: str
) -> None:
    sim.fail_next(fault, path="/api/get", times=None)
    with pytest.raises(LyricsUnavailable):
        client.lookup(PAPER)
    sim.clear_faults()
    assert client.lookup(PAPER) is not None  # asked again once it is back


def test_lrclib_unreachable(tmp_path: Path) -> None:
    client = LyricsClient("http://127.0.0.1:9", LyricsCache(tmp_path), 2.0)
    with pytest.raises(LyricsUnavailable, match="could not be reached"):
        client.lookup(PAPER)


def test_an_unreadable_cache_file_is_asked_again(
    client: LyricsClient, sim: SpotifySimulator, tmp_path: Path
) -> None:
    client.lookup(PAPER)
    for path in (tmp_path / "lyrics").glob("*.json"):
        path.write_text('{"found": "yes"}')
    assert client.lookup(PAPER) is not None
    assert len(lrclib_requests(sim)) == 2
    stored = [json.loads(p.read_text()) for p in (tmp_path / "lyrics").glob("*.json")]
    assert stored[0]["found"] is True


def test_the_cache_is_bounded(sim: SpotifySimulator, tmp_path: Path) -> None:
    cache = LyricsCache(tmp_path, max_bytes=3000)
    client = LyricsClient(sim.base_url, cache, 2.0)
    for query in (PAPER, NORTHBOUND, DESERT, SLOW_TIDE):
        client.lookup(query)
    assert sum(path.stat().st_size for path in tmp_path.glob("*.json")) <= 3000


def test_only_tracks_are_looked_up() -> None:
    track = Playback(
        PlaybackState.PLAYING,
        0.0,
        kind=ItemKind.TRACK,
        title="Song",
        artists=("A", "B"),
        album="Album",
        duration_ms=200_600,
    )
    assert LyricsQuery.for_playback(track) == LyricsQuery("Song", "A", "Album", 201)
    episode = Playback(
        PlaybackState.PLAYING, 0.0, kind=ItemKind.EPISODE, title="Ep", artists=("Show",)
    )
    assert LyricsQuery.for_playback(episode) is None
    assert LyricsQuery.for_playback(Playback.idle(0.0)) is None


def test_an_answer_nested_too_deep_is_a_named_error(
    client: LyricsClient, sim: SpotifySimulator
) -> None:
    sim.fail_next("bad_body", path="/api/get", status=200, shape="deep")
    with pytest.raises(LyricsUnavailable, match="could not be read"):
        client.lookup(PAPER)


def test_a_cache_file_nested_too_deep_is_asked_again(
    client: LyricsClient, sim: SpotifySimulator, tmp_path: Path
) -> None:
    client.lookup(PAPER)
    for path in (tmp_path / "lyrics").glob("*.json"):
        path.write_text("[" * 5000 + "]" * 5000)
    assert client.lookup(PAPER) is not None
    assert len(lrclib_requests(sim)) == 2
