"""The /v1 endpoints: playback bodies, player commands, account gates and the library."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nowplaying_tray.simulator import (
    DEV_MODE_REMOVED,
    SpotifySimulator,
    make_ad,
    make_context,
    make_episode,
    make_local_track,
    make_track,
)

from .conftest import login

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "spotify"

TRACK = make_track("Song A", ["Artist A", "Guest B"], "Album A", 30_000)
TRACK_2 = make_track("Song B", ["Artist B"], "Album B", 25_000)
EPISODE = make_episode("Ep 1", "Show X", 40_000)
AD = make_ad(20_000)
LOCAL = make_local_track("Home Demo", "Me & You", "Tapes (Vol. 1)", 21_000)


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


@pytest.fixture
def play(sim):
    def start(entry, playing=True):
        sim.player.set_queue([entry, TRACK_2], playing=playing)

    return start


def test_me(api):
    body = api("GET", "/me").json()
    assert body["display_name"] == "Demo Listener"
    assert body["id"] == "demo-listener"
    assert "product" not in body


def test_track_body_matches_fixture_shape(sim, api, play, clock):
    play(TRACK)
    clock.advance(12.5)
    response = api("GET", "/me/player")
    assert response.status_code == 200
    body = response.json()
    reference = fixture("track.json")
    assert set(reference) - {"device"} <= set(body)
    assert set(reference["item"]) - DEV_MODE_REMOVED["track"] <= set(body["item"])
    assert set(reference["item"]["album"]) - DEV_MODE_REMOVED["album"] <= set(body["item"]["album"])
    assert body["timestamp"] == int((clock.now - 12.5) * 1000)  # when it started playing
    assert body["progress_ms"] == 12_500
    assert body["is_playing"] is True
    assert body["currently_playing_type"] == "track"
    # Played on its own, without a context, as in the capture: nothing to shuffle or repeat.
    assert body["actions"] == reference["actions"]
    assert body["context"] is None
    assert body["shuffle_state"] is False
    assert body["repeat_state"] == "context"
    assert set(body["device"]) == set(fixture("device.json"))
    assert body["device"]["is_active"] is True
    item = body["item"]
    assert item["name"] == "Song A"
    assert [artist["name"] for artist in item["artists"]] == ["Artist A", "Guest B"]
    assert item["is_local"] is False
    assert item["external_urls"]["spotify"] == f"https://open.spotify.com/track/{item['id']}"
    assert item["uri"] == f"spotify:track:{item['id']}"
    assert all(artist["external_urls"]["spotify"] for artist in item["artists"])
    images = item["album"]["images"]
    assert [(i["width"], i["height"]) for i in images] == [(640, 640), (300, 300), (64, 64)]
    assert all(i["url"].startswith(f"{sim.base_url}/_sim/art/") for i in images)


def test_currently_playing_omits_device_fields(api, play):
    play(TRACK, playing=False)
    body = api("GET", "/me/player/currently-playing").json()
    assert not {"device", "shuffle_state", "repeat_state"} & set(body)
    assert body["is_playing"] is False
    assert body["actions"]["disallows"]["pausing"] is True


@pytest.mark.parametrize("path", ["/me/player", "/me/player/currently-playing"])
def test_episode_needs_additional_types(api, play, path):
    play(EPISODE)
    hidden = api("GET", path).json()
    assert hidden["item"] is None
    assert hidden["currently_playing_type"] == "episode"
    shown = api("GET", path, params={"additional_types": "track,episode"}).json()
    assert shown["item"]["type"] == "episode"
    assert shown["item"]["show"]["name"] == "Show X"
    assert set(fixture("episode.json")["item"]) <= set(shown["item"])


def test_ad_body(sim, api):
    sim.player.set_queue([AD, TRACK_2], context=make_context("playlist", "Mix"))  # as captured
    body = api("GET", "/me/player", params={"additional_types": "track,episode"}).json()
    assert body["item"] is None
    assert body["currently_playing_type"] == "ad"
    assert body["actions"]["disallows"] == {
        "resuming": True,
        "skipping_next": True,
        "skipping_prev": True,
        "seeking": True,
    }


def test_local_file_body(api, play):
    play(LOCAL)
    item = api("GET", "/me/player").json()["item"]
    assert set(fixture("local.json")["item"]) - DEV_MODE_REMOVED["track"] == set(item)
    assert item["is_local"] is True
    assert item["id"] is None and item["href"] is None
    assert item["album"]["images"] == []
    assert item["uri"] == "spotify:local:Me+%26+You:Tapes+%28Vol.+1%29:Home+Demo:21"


@pytest.mark.parametrize("path", ["/me/player", "/me/player/currently-playing"])
def test_idle_and_private_session_answer_204(sim, api, path):
    sim.player.set_private_session(True)
    private = api("GET", path)
    assert private.status_code == 204 and private.content == b""
    sim.player.set_private_session(False)
    assert api("GET", path).status_code == 200
    sim.player.set_idle()
    idle = api("GET", path)
    assert idle.status_code == 204 and idle.content == b""


def test_player_commands(sim, api, play):
    play(TRACK)
    assert api("PUT", "/me/player/pause").status_code == 204
    assert sim.player.is_playing is False
    assert api("PUT", "/me/player/play", json={"uris": []}).status_code == 204
    assert sim.player.is_playing is True
    assert api("POST", "/me/player/next", params={"device_id": "x"}).status_code == 204
    assert sim.player.current() is TRACK_2
    assert api("POST", "/me/player/previous").status_code == 204
    assert sim.player.current() is TRACK


def test_shuffle_and_repeat_follow_their_commands(sim, api, clock):
    sim.player.set_queue([TRACK, TRACK_2], context=make_context("playlist", "Mix"))
    assert api("PUT", "/me/player/shuffle", params={"state": "true"}).status_code == 204
    assert api("PUT", "/me/player/repeat", params={"state": "track"}).status_code == 204
    body = api("GET", "/me/player").json()
    assert (body["shuffle_state"], body["repeat_state"]) == (True, "track")
    clock.advance(TRACK["duration_ms"] / 1000 + 5)  # repeat track: the same item again
    assert sim.player.current() is TRACK and sim.player.progress_ms() == 5000
    assert api("PUT", "/me/player/repeat", params={"state": "off"}).status_code == 204
    assert api("PUT", "/me/player/shuffle", params={"state": "false"}).status_code == 204
    body = api("GET", "/me/player").json()
    assert (body["shuffle_state"], body["repeat_state"]) == (False, "off")


@pytest.mark.parametrize(
    ("path", "state"),
    [("/me/player/shuffle", "on"), ("/me/player/repeat", "all"), ("/me/player/repeat", None)],
)
def test_shuffle_and_repeat_take_only_their_states(sim, api, path, state):
    sim.player.set_queue([TRACK], context=make_context("album", "A"))
    response = api("PUT", path, params={"state": state} if state else None)
    assert response.status_code == 400
    assert response.json()["error"]["status"] == 400


def test_shuffle_and_repeat_without_a_context_are_a_restriction(sim, api, play):
    play(TRACK)  # no context: the Web API disallows toggling_shuffle and toggling_repeat_*
    for path, state in (("/me/player/shuffle", "true"), ("/me/player/repeat", "context")):
        response = api("PUT", path, params={"state": state})
        assert response.status_code == 403
        assert response.json()["error"]["message"] == "Player command failed: Restriction violated"
    assert sim.player.state().repeat_state == "context"


def test_skipping_an_ad_is_a_restriction(sim, api, play):
    play(AD)
    response = api("POST", "/me/player/next")
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "Player command failed: Restriction violated"
    assert api("PUT", "/me/player/pause").status_code == 204


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("PUT", "/me/player/play"),
        ("PUT", "/me/player/pause"),
        ("POST", "/me/player/next"),
        ("POST", "/me/player/previous"),
        ("PUT", "/me/player/shuffle?state=true"),
        ("PUT", "/me/player/repeat?state=track"),
    ],
)
def test_player_command_errors(sim, api, method, path):
    sim.set_premium(False)
    free = api(method, path)
    assert free.status_code == 403
    assert free.json() == {
        "error": {
            "status": 403,
            "message": "Player command failed: Premium required",
            "reason": "PREMIUM_REQUIRED",
        }
    }
    assert api("GET", "/me/player").status_code == 200  # reading still works
    sim.set_premium(True)
    sim.player.set_idle()
    idle = api(method, path)
    assert idle.status_code == 404
    assert idle.json() == {
        "error": {
            "status": 404,
            "message": "Player command failed: No active device found",
            "reason": "NO_ACTIVE_DEVICE",
        }
    }


@pytest.mark.parametrize("path", ["/me", "/me/player", "/me/library/contains?uris=x"])
def test_owner_without_premium_blocks_every_call(sim, api, path):
    sim.set_owner_premium(False)
    response = api("GET", path)
    assert response.status_code == 403
    assert response.headers["Content-Type"].startswith("text/plain")
    assert response.text == (
        "Active premium subscription required for the owner of the app. When the "
        "subscription status changes, it can take a few hours before requests are allowed "
        "again."
    )
    sim.set_owner_premium(True)
    assert api("GET", "/me").ok


@pytest.mark.parametrize("path", ["/me", "/me/player"])
def test_user_not_allow_listed_gets_plain_text(sim, api, path):
    sim.set_allow_listed(False)
    response = api("GET", path)
    assert response.status_code == 403
    assert response.headers["Content-Type"].startswith("text/plain")
    assert response.text == (
        "Check settings on developer.spotify.com/dashboard, the user may not be registered."
    )


def test_library_put_delete_contains(api):
    track_uri, episode_uri = TRACK["item"]["uri"], EPISODE["item"]["uri"]
    both = f"{track_uri},{episode_uri}"
    assert api("GET", "/me/library/contains", params={"uris": both}).json() == [False, False]
    saved = api("PUT", "/me/library", params={"uris": track_uri})
    assert saved.status_code == 200 and saved.content == b""
    assert api("GET", "/me/library/contains", params={"uris": both}).json() == [True, False]
    assert api("PUT", "/me/library", params={"uris": both}).status_code == 200
    assert api("DELETE", "/me/library", params={"uris": track_uri}).status_code == 200
    assert api("GET", "/me/library/contains", params={"uris": both}).json() == [False, True]


@pytest.mark.parametrize(
    ("method", "params"),
    [
        ("PUT", {}),
        ("PUT", {"uris": ""}),
        ("DELETE", {"uris": "spotify:local:a:b:c:1"}),
        ("GET", {"uris": "spotify:album:4aawyAB9vmq"}),
        ("GET", {"uris": "spotify:chapter:4aawyAB9vmqN3uQ7FjRGTy"}),
        ("GET", {"uris": "not-a-uri"}),
    ],
)
def test_library_bad_uris(api, method, params):
    path = "/me/library/contains" if method == "GET" else "/me/library"
    response = api(method, path, params=params)
    assert response.status_code == 400
    assert response.json()["error"]["status"] == 400


def test_unknown_paths_and_methods(sim, api, http):
    unknown = api("GET", "/me/nothing-here")
    assert unknown.status_code == 404
    assert unknown.json()["error"]["status"] == 404
    assert http.get(f"{sim.base_url}/favicon.ico").status_code == 404
    assert api("DELETE", "/me/player").status_code == 405


def test_empty_playlist_starts_idle(clock, http):
    with SpotifySimulator(clock=clock, playlist=[]) as empty:
        token = login(empty, http)["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        assert http.get(f"{empty.api_url}/me/player", headers=headers).status_code == 204
        assert empty.player.current() is None
