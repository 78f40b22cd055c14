"""Fixtures for the simulator tests: a fake clock, a running simulator, tokens."""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from nowplaying_tray.simulator import DEMO_CLIENT_ID, SpotifySimulator
from tests.support.clock import FakeClock

REDIRECT_URI = "http://127.0.0.1:8765/callback"
ALL_SCOPES = (
    "user-read-playback-state user-read-currently-playing user-modify-playback-state "
    "user-library-read user-library-modify"
)


@dataclass
class Pkce:
    verifier: str
    challenge: str


def make_pkce() -> Pkce:
    verifier = secrets.token_urlsafe(64)
    digest = hashlib.sha256(verifier.encode()).digest()
    return Pkce(verifier, base64.urlsafe_b64encode(digest).decode().rstrip("="))


def query_of(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(1_800_000_000.0)  # the simulator only moves when the test says so


@pytest.fixture
def sim(clock: FakeClock) -> Iterator[SpotifySimulator]:
    with SpotifySimulator(clock=clock) as simulator:
        yield simulator


@pytest.fixture
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


def authorize_params(pkce: Pkce, **overrides: str) -> dict[str, str]:
    params = {
        "client_id": DEMO_CLIENT_ID,
        "response_type": "code",
        "redirect_uri": REDIRECT_URI,
        "code_challenge_method": "S256",
        "code_challenge": pkce.challenge,
        "scope": ALL_SCOPES,
        "state": "xyz-state",
    }
    params.update(overrides)
    return {key: value for key, value in params.items() if value is not None}


def get_code(sim: SpotifySimulator, http: requests.Session, pkce: Pkce, **overrides: str) -> str:
    """Run /authorize with auto-approve and return the code from the redirect."""
    previous = sim.auto_approve
    sim.auto_approve = True
    try:
        response = http.get(
            f"{sim.accounts_url}/authorize",
            params=authorize_params(pkce, **overrides),
            allow_redirects=False,
        )
    finally:
        sim.auto_approve = previous
    assert response.status_code == 302, response.text
    return query_of(response.headers["Location"])["code"]


def exchange(
    sim: SpotifySimulator, http: requests.Session, code: str, verifier: str, **overrides: str
) -> requests.Response:
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT_URI,
        "client_id": DEMO_CLIENT_ID,
        "code_verifier": verifier,
    }
    data.update(overrides)
    return http.post(f"{sim.accounts_url}/api/token", data=data)


def login(sim: SpotifySimulator, http: requests.Session, scope: str = ALL_SCOPES) -> dict:
    pkce = make_pkce()
    response = exchange(sim, http, get_code(sim, http, pkce, scope=scope), pkce.verifier)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
def tokens(sim: SpotifySimulator, http: requests.Session) -> dict:
    return login(sim, http)


@pytest.fixture
def api(sim: SpotifySimulator, http: requests.Session, tokens: dict):
    """Call the Web API with a valid token: api("GET", "/me/player", params=...)."""

    def call(method: str, path: str, **kwargs: object) -> requests.Response:
        headers = {"Authorization": f"Bearer {tokens['access_token']}"}
        return http.request(method, sim.api_url + path, headers=headers, **kwargs)

    return call
