"""What real development-mode Spotify sends in 2026, and the simulator with it, over HTTP."""

from __future__ import annotations

import pytest

from nowplaying_tray.simulator import (
    DEV_MODE_REMOVED,
    SpotifySimulator,
    make_ad,
    make_context,
    make_episode,
    make_track,
)

from .conftest import login

TRACK = make_track("Song A", ["Artist A"], "Album A", 30_000)
TRACK_2 = make_track("Song B", ["Artist B"], "Album B", 25_000)
EPISODE = make_episode("Ep 1", "Show X", 40_000)
AD = make_ad(20_000)
PLAYER_ERROR = "Player command failed: Restriction violated"
EVERY = {"additional_types": "track,episode"}


def control(sim, http, action, **kwargs):
    return http.post(f"{sim.base_url}/_sim/control", json={"action": action, **kwargs})


# -- shapes ------------------------------------------------------------------------------


def test_profile_has_account_id_and_no_followers(api):
    body = api("GET", "/me").json()
    assert isinstance(body["account_id"], str) and body["account_id"]
    assert not DEV_MODE_REMOVED["user"] & set(body)


def test_items_lack_the_fields_development_mode_lost(sim, api):
    sim.player.set_queue([TRACK, EPISODE])
    track = api("GET", "/me/player").json()["item"]
    assert not DEV_MODE_REMOVED["track"] & set(track)
    assert not DEV_MODE_REMOVED["album"] & set(track["album"])
    sim.player.skip_next()
    episode = api("GET", "/me/player", params=EVERY).json()["item"]
    assert episode["html_description"] == "<p>Ep 1, an episode of Show X.</p>"
    assert "publisher" not in episode["show"] and "available_markets" not in episode["show"]
    assert episode["show"]["total_episodes"] > 0


def test_context_is_filled_when_playing_from_a_playlist_or_album(clock, http):
    with SpotifySimulator(clock=clock) as demo:  # the demo queue plays from a playlist
        token = login(demo, http)["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        context = http.get(f"{demo.api_url}/me/player", headers=headers).json()["context"]
        assert context["type"] == "playlist"
        assert context["uri"] == f"spotify:playlist:{context['uri'].rsplit(':', 1)[1]}"
        assert context["external_urls"]["spotify"].startswith("https://open.spotify.com/playlist/")
        album = make_context("album", "Album A")
        demo.player.set_queue([TRACK], context=album)
        body = http.get(f"{demo.api_url}/me/player/currently-playing", headers=headers).json()
        assert body["context"] == album
        demo.player.set_queue([TRACK])  # queued one by one: no context
        assert http.get(f"{demo.api_url}/me/player", headers=headers).json()["context"] is None


def test_timestamp_is_the_last_change_not_now(sim, api, clock):
    sim.player.set_queue([TRACK, TRACK_2])
    started = clock.now
    clock.advance(10)
    assert api("GET", "/me/player").json()["timestamp"] == int(started * 1000)
    api("PUT", "/me/player/pause")
    paused = clock.now
    clock.advance(60)
    assert api("GET", "/me/player").json()["timestamp"] == int(paused * 1000)
    api("PUT", "/me/player/play")
    resumed = clock.now
    clock.advance(25)  # 20 s left of Song A: Song B began 5 s ago
    body = api("GET", "/me/player").json()
    assert body["item"]["name"] == "Song B"
    assert body["timestamp"] == int((resumed + 20) * 1000)


# -- player commands -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "playing", "method", "path"),
    [
        (TRACK, False, "PUT", "/me/player/pause"),  # pause while paused
        (TRACK, True, "PUT", "/me/player/play"),  # play while playing
        (AD, True, "POST", "/me/player/next"),  # skip during an ad
        (AD, True, "POST", "/me/player/previous"),
    ],
)
def test_commands_actions_disallow_are_a_restriction(sim, api, entry, playing, method, path):
    sim.player.set_queue([entry, TRACK_2], playing=playing)
    response = api(method, path)
    assert response.status_code == 403
    assert response.json() == {
        "error": {"status": 403, "message": PLAYER_ERROR, "reason": "UNKNOWN"}
    }
    assert sim.player.current() is entry and sim.player.is_playing is playing


def test_play_with_something_to_play_is_no_restriction(sim, api):
    sim.player.set_queue([TRACK, TRACK_2])
    assert api("PUT", "/me/player/play", json={"uris": [TRACK["item"]["uri"]]}).status_code == 204


def test_a_command_can_leave_item_null_while_playing(sim, http, api):
    sim.player.set_queue([TRACK, TRACK_2])
    assert control(sim, http, "set_transition_reads", reads=1).json() == {"ok": True}
    assert api("POST", "/me/player/next").status_code == 204
    between = api("GET", "/me/player", params=EVERY).json()
    assert between["item"] is None and between["is_playing"] is True
    assert between["currently_playing_type"] == "track"
    settled = api("GET", "/me/player", params=EVERY).json()
    assert settled["item"]["name"] == "Song B"
    assert control(sim, http, "set_transition_reads", reads=-1).status_code == 400


# -- development-mode gates ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("wording", "text"),
    [
        (
            "check_settings",
            "Check settings on developer.spotify.com/dashboard, the user may not be registered.",
        ),
        ("dashboard", "User not registered in the Developer Dashboard"),
    ],
)
def test_both_real_wordings_of_not_allow_listed(sim, http, api, wording, text):
    assert control(sim, http, "set_allow_listed", allowed=False, wording=wording).ok
    response = api("GET", "/me/player")
    assert response.status_code == 403
    assert response.headers["Content-Type"].startswith("text/plain")
    assert response.text == text


def test_unknown_wording_is_refused(sim, http):
    assert control(sim, http, "set_allow_listed", allowed=False, wording="x").status_code == 400
    assert sim.account.allow_listed is True


# -- library -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind", ["track", "album", "episode", "show", "audiobook", "artist", "playlist"]
)
def test_library_takes_every_uri_type_of_the_spec(api, kind):
    uri = f"spotify:{kind}:4aawyAB9vmqN3uQ7FjRGTy"
    assert api("PUT", "/me/library", params={"uris": uri}).status_code == 200
    assert api("GET", "/me/library/contains", params={"uris": uri}).json() == [True]


def test_library_takes_user_uris(api):
    assert api("PUT", "/me/library", params={"uris": "spotify:user:smedjan"}).status_code == 200


def test_library_takes_at_most_40_uris(api):
    uris = [f"spotify:track:{index:022d}" for index in range(41)]
    assert api("PUT", "/me/library", params={"uris": ",".join(uris[:40])}).status_code == 200
    for method, path in (("PUT", "/me/library"), ("GET", "/me/library/contains")):
        response = api(method, path, params={"uris": ",".join(uris)})
        assert response.status_code == 400
        assert response.json()["error"]["status"] == 400


# -- rate limits and odd bodies ------------------------------------------------------------


def test_rate_limit_with_retry_after_zero(sim, api):
    sim.fail_next("rate_limit", retry_after=0)
    response = api("GET", "/me/player")
    assert response.status_code == 429 and response.headers["Retry-After"] == "0"


def test_rate_limit_without_a_body_or_retry_after(sim, http, api):
    assert control(sim, http, "fail_next", kind="rate_limit", retry_after=None, body=False).ok
    response = api("GET", "/me/player")
    assert response.status_code == 429
    assert "Retry-After" not in response.headers
    assert response.content == b""
    assert "reason" not in response.text


def test_null_200(sim, api):
    sim.fail_next("null_200")
    response = api("GET", "/me/player")
    assert response.status_code == 200 and response.content == b"null"
