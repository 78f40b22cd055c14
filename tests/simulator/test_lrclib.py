"""The simulator's LRCLIB: the shapes lrclib.net sends, over HTTP."""

from __future__ import annotations

import requests

from nowplaying_tray.simulator import SpotifySimulator

RECORD_KEYS = {
    "id", "name", "trackName", "artistName", "albumName", "duration", "instrumental",
    "plainLyrics", "syncedLyrics",
}  # fmt: skip


def test_get_answers_a_record_or_track_not_found(sim: SpotifySimulator) -> None:
    params = {
        "track_name": "Paper Lanterns",
        "artist_name": "The Velvet Orchard",
        "album_name": "Night Market Radio",
        "duration": "33",  # within 2 s of 32
    }
    found = requests.get(f"{sim.base_url}/api/get", params=params, timeout=5)
    assert found.status_code == 200 and set(found.json()) == RECORD_KEYS
    assert found.json()["syncedLyrics"].startswith("[ar:The Velvet Orchard]")
    params["duration"] = "40"
    missing = requests.get(f"{sim.base_url}/api/get", params=params, timeout=5)
    assert missing.status_code == 404
    assert missing.json()["name"] == "TrackNotFound" and missing.json()["code"] == 404


def test_the_catalogue_covers_every_case(sim: SpotifySimulator) -> None:
    def search(title: str) -> list[dict[str, object]]:
        answer = requests.get(f"{sim.base_url}/api/search", params={"q": title}, timeout=5)
        assert answer.status_code == 200
        return list(answer.json())

    (plain,) = search("Northbound Static")
    assert plain["syncedLyrics"] is None and plain["plainLyrics"]
    (instrumental,) = search("رسائل الصحراء")
    assert instrumental["instrumental"] is True and instrumental["plainLyrics"] is None
    assert search("Slow Tide") == []
    (synced,) = search("夜明け")
    assert str(synced["syncedLyrics"]).startswith("[offset:+250]")


def test_a_request_without_a_track_is_refused(sim: SpotifySimulator) -> None:
    answer = requests.get(f"{sim.base_url}/api/get", params={"track_name": "x"}, timeout=5)
    assert answer.status_code == 400 and answer.json()["name"] == "ValidationError"
