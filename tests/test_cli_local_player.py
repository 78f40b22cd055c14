"""``now`` reads a local player over MPRIS first: no account, no Web API request."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nowplaying_tray.simulator import SpotifySimulator
from nowplaying_tray.simulator.catalog import demo_playlist, entry_artists, entry_title
from nowplaying_tray.simulator.desktop_client import DesktopClient
from tests.support.browser import browser_command
from tests.support.cli import cli_environment, run_cli
from tests.support.web_api import web_api_requests


@pytest.fixture
def no_account_env(private_bus: str, sim: SpotifySimulator, tmp_path: Path) -> dict[str, str]:
    env = cli_environment(sim, tmp_path / "keyring.json", browser_command(tmp_path))
    del env["SPOTIPY_CLIENT_ID"]  # no developer app registered
    return env | {"DBUS_SESSION_BUS_ADDRESS": private_bus}


def test_now_shows_the_local_player_without_an_account_or_a_request(
    no_account_env: dict[str, str], private_bus: str, sim: SpotifySimulator
) -> None:
    entry = demo_playlist()[2]
    client = DesktopClient(private_bus, art_base=sim.base_url).start()
    try:
        client.play(2)
        done = run_cli(no_account_env, "now", "--json")
        assert done.returncode == 0, done.stderr
        shape = json.loads(done.stdout)
        assert shape["source"] == "local" and shape["state"] == "playing"
        assert shape["title"] == entry_title(entry)
        assert shape["artists"] == entry_artists(entry) and shape["device"] == "Spotify"
        assert "budget" not in shape  # nothing was asked of Spotify

        client.pause()
        plain = run_cli(no_account_env, "now", "--format", "{state}: {title}")
        assert plain.returncode == 0, plain.stderr
        assert plain.stdout.strip() == f"paused: {entry_title(entry)}"
    finally:
        client.quit()
    assert web_api_requests(sim) == []


def test_without_a_local_player_now_asks_the_web_api(
    no_account_env: dict[str, str], sim: SpotifySimulator
) -> None:
    done = run_cli(no_account_env, "now", "--json")
    assert done.returncode == 3  # no local player, and no account for the Web API
    assert json.loads(done.stdout)["error"] == "login_needed"
    assert "Traceback" not in done.stderr
