"""spotipy, pointed at the simulator, speaks to it like to the real services."""

from __future__ import annotations

import requests
import spotipy
from spotipy.cache_handler import MemoryCacheHandler
from spotipy.oauth2 import SpotifyOAuth, SpotifyPKCE

from nowplaying_tray.simulator import DEMO_CLIENT_ID, make_episode, make_track

from .conftest import ALL_SCOPES, REDIRECT_URI


def test_pkce_login_playback_and_refresh(sim, http):
    sim.auto_approve = True
    auth = SpotifyPKCE(
        client_id=DEMO_CLIENT_ID,
        redirect_uri=REDIRECT_URI,
        scope=ALL_SCOPES,
        cache_handler=MemoryCacheHandler(),
        open_browser=False,
        requests_timeout=5,
    )
    auth.OAUTH_AUTHORIZE_URL = f"{sim.accounts_url}/authorize"
    auth.OAUTH_TOKEN_URL = f"{sim.accounts_url}/api/token"
    redirect = http.get(auth.get_authorize_url(state="s-1"), allow_redirects=False)
    state, code = SpotifyOAuth.parse_auth_response_url(redirect.headers["Location"])
    assert state == "s-1"
    access_token = auth.get_access_token(code, check_cache=False)
    token_info = auth.cache_handler.get_cached_token()
    assert token_info["access_token"] == access_token
    assert token_info["refresh_token"]

    client = spotipy.Spotify(auth_manager=auth, requests_session=requests.Session())
    client.prefix = sim.api_url + "/"
    song = make_track("Wire Song", ["Proto Col"], "Handshakes", 30_000)
    sim.player.set_queue([song, make_episode("Talk", "Pod", 30_000)])
    assert client.me()["display_name"] == "Demo Listener"
    assert client.current_playback()["item"]["name"] == "Wire Song"
    client.next_track()
    assert client.current_playback()["item"] is None  # default additional_types: track
    assert client.current_playback(additional_types="episode")["item"]["name"] == "Talk"
    client.pause_playback()
    assert client.currently_playing()["is_playing"] is False
    client.current_user_saved_tracks_add([song["item"]["uri"]])
    assert client.current_user_saved_tracks_contains([song["item"]["uri"]]) == [True]

    refreshed = auth.refresh_access_token(token_info["refresh_token"])
    assert refreshed["access_token"] != token_info["access_token"]
    assert refreshed["refresh_token"] == token_info["refresh_token"]  # kept, not rotated

    sim.player.set_idle()
    assert client.current_playback() is None
