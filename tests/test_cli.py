"""The command line, run in its own processes against the simulator, as a person would."""

from __future__ import annotations

import json
import re
import subprocess
import time
from pathlib import Path

import pytest

from nowplaying_tray import __version__
from nowplaying_tray.core.paths import AppPaths
from nowplaying_tray.simulator import (
    DEMO_CLIENT_ID,
    SpotifySimulator,
    make_ad,
    make_episode,
    make_track,
)
from tests.support.browser import browser_command
from tests.support.cli import run_cli


def run(env: dict[str, str], *args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    return run_cli(env, *args, timeout=timeout)


def stored_token(env: dict[str, str]) -> dict[str, str]:
    entries = json.loads(Path(env["NOWPLAYING_TEST_KEYRING_FILE"]).read_text())
    return json.loads(entries[f"nowplaying-tray/{DEMO_CLIENT_ID}"])


def login(env: dict[str, str]) -> None:
    result = run(env, "login")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Logged in as Demo Listener"


def test_version(cli_env: dict[str, str]) -> None:
    result = run(cli_env, "--version")
    assert result.returncode == 0 and result.stdout.strip() == f"nowplaying-tray {__version__}"


def test_login_then_now(cli_env: dict[str, str], sim: SpotifySimulator) -> None:
    sim.auto_approve = False  # the stand-in browser presses Agree
    login(cli_env)
    sim.player.set_queue([make_track("Dancing Queen", ["ABBA", "Friends"], "Arrival", 200_000)])
    result = run(cli_env, "now")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Dancing Queen — ABBA, Friends"


def test_now_json_and_format(cli_env: dict[str, str], sim: SpotifySimulator) -> None:
    login(cli_env)
    sim.player.set_queue([make_track("Song", ["Artist"], "Album", 200_000)])
    shape = json.loads(run(cli_env, "now", "--json").stdout)
    assert set(shape) == {
        "state", "kind", "title", "artists", "album", "progress_ms", "duration_ms",
        "is_local", "url", "uri", "art_url", "device", "source", "budget", "lyrics",
    }  # fmt: skip
    assert shape["source"] == "web_api"
    assert (
        shape["title"] == "Song" and shape["artists"] == ["Artist"] and shape["state"] == "playing"
    )
    formatted = run(cli_env, "now", "--format", "{artist} / {title} / {duration} / {state}")
    assert formatted.stdout.strip() == "Artist / Song / 3:20 / playing"


def test_every_request_counts_against_the_daily_budget(
    cli_env: dict[str, str], sim: SpotifySimulator
) -> None:
    login(cli_env)
    first = json.loads(run(cli_env, "now", "--json").stdout)["budget"]
    second = json.loads(run(cli_env, "now", "--json").stdout)["budget"]
    # The login's requests (the browser's /authorize is not the app's), then two polls.
    sent = sum(
        1
        for request in sim.requests
        if request.path not in ("/authorize", "/api/get", "/api/search")  # LRCLIB is not Spotify
    )
    assert first["daily_budget"] == 1000 and first["spent_24h"] == sent - 1
    assert second["spent_24h"] == sent and second["remaining"] == 1000 - sent
    saved = json.loads((AppPaths.default().state_dir / "request_budget.json").read_text())
    assert len(saved["requests"]) == sent


def test_nothing_playing_is_success(cli_env: dict[str, str], sim: SpotifySimulator) -> None:
    login(cli_env)
    sim.player.set_idle()
    result = run(cli_env, "now")
    assert (result.returncode, result.stdout.strip()) == (0, "Nothing playing")
    assert json.loads(run(cli_env, "now", "--json").stdout)["state"] == "idle"


def test_not_logged_in_exits_3(cli_env: dict[str, str]) -> None:
    result = run(cli_env, "now")
    assert result.returncode == 3
    assert "Not logged in" in result.stderr and "Traceback" not in result.stderr


def test_rate_limit_exits_4_at_once(cli_env: dict[str, str], sim: SpotifySimulator) -> None:
    login(cli_env)
    sim.fail_next("rate_limit", retry_after=3600)
    started = time.monotonic()
    result = run(cli_env, "now")
    assert time.monotonic() - started < 10
    assert result.returncode == 4 and "it should work again at " in result.stderr
    assert "(in 1 h)" in result.stderr


def test_spotify_down_exits_5(cli_env: dict[str, str], sim: SpotifySimulator) -> None:
    login(cli_env)
    sim.fail_next("server_error", status=503, times=None)
    result = run(cli_env, "now")
    assert result.returncode == 5 and "Traceback" not in result.stderr


def test_logout_removes_the_token(cli_env: dict[str, str]) -> None:
    login(cli_env)
    assert run(cli_env, "logout").returncode == 0
    assert run(cli_env, "now").returncode == 3


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"SPOTIPY_CLIENT_ID": ""}, "No Spotify client ID"),
        ({"SPOTIPY_CLIENT_ID": "nope"}, "32 hexadecimal"),
        ({"SPOTIPY_CLIENT_ID": "f" * 32}, "does not know this client ID"),
        ({"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}, "keyring"),
    ],
)
def test_login_failures_are_one_line(
    cli_env: dict[str, str], change: dict[str, str], message: str
) -> None:
    result = run(cli_env | change, "login")
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_login_cancelled_in_browser(
    cli_env: dict[str, str], sim: SpotifySimulator, tmp_path: Path
) -> None:
    sim.auto_approve = False
    result = run(cli_env | {"BROWSER": browser_command(tmp_path, "cancel")}, "login")
    assert result.returncode == 1
    assert result.stderr.strip().endswith("The login was cancelled in the browser.")


def test_no_token_is_written_to_the_app_directories(
    cli_env: dict[str, str], sim: SpotifySimulator, tmp_path: Path
) -> None:
    login(cli_env)
    secrets = stored_token(cli_env)
    # Force a refresh in the next process: a new access token arrives and is stored.
    sim.expire_access_tokens()
    assert run(cli_env, "--debug", "now").returncode == 0
    refreshed = stored_token(cli_env)
    assert refreshed["access_token"] != secrets["access_token"]
    paths = AppPaths.default()
    app_files = [
        p
        for root in (paths.config_dir, paths.cache_dir, paths.data_dir, paths.log_dir)
        if root.exists()
        for p in root.rglob("*")
        if p.is_file()
    ]
    assert app_files, "the debug run should at least have written a log"
    for value in (secrets["access_token"], secrets["refresh_token"], refreshed["access_token"]):
        for path in app_files:
            assert value not in path.read_text(errors="replace"), f"a token is in {path}"


def test_debug_log_redacts_secrets(
    cli_env: dict[str, str], sim: SpotifySimulator, tmp_path: Path
) -> None:
    """Log in and refresh at DEBUG: spotipy and urllib3 log headers and token bodies then."""
    result = run(cli_env, "--debug", "login")
    assert result.returncode == 0
    first = stored_token(cli_env)
    sim.expire_access_tokens()  # the next call gets a 401 and refreshes
    refreshed = run(cli_env, "--debug", "now")
    assert refreshed.returncode == 0
    second = stored_token(cli_env)
    assert second["access_token"] != first["access_token"]
    log_text = (
        result.stderr
        + refreshed.stderr
        + "".join(p.read_text() for p in AppPaths.default().log_dir.rglob("*.log*"))
    )
    # spotipy's debug output was captured, for the code exchange and the refresh...
    assert "'grant_type': 'authorization_code'" in log_text
    assert "'grant_type': 'refresh_token'" in log_text
    # ...with every secret in it redacted.
    for secret in (first["access_token"], first["refresh_token"], second["access_token"]):
        assert secret not in log_text
    assert not re.search(r"Bearer (?!\[REDACTED\])\S", log_text)
    for key in ("code", "code_verifier", "refresh_token", "access_token"):
        assert not re.search(rf"'{key}': '(?!\[REDACTED\])[^']+'", log_text), key


def test_now_leaves_no_dangling_separator(cli_env: dict[str, str], sim: SpotifySimulator) -> None:
    login(cli_env)
    sim.player.set_queue([make_ad(30_000), make_episode("Episode 7", "The Loop Station", 600_000)])
    assert run(cli_env, "now").stdout.strip() == "Advertisement"
    formatted = run(cli_env, "now", "--format", "{title} — {artist} ({album})")
    assert formatted.stdout.strip() == "Advertisement"
    sim.player.skip_next()  # the advert is over: an episode, whose show has no publisher
    assert run(cli_env, "now").stdout.strip() == "Episode 7 — The Loop Station"


def test_a_bare_429_is_a_rate_limit_not_a_used_up_quota(
    cli_env: dict[str, str], sim: SpotifySimulator
) -> None:
    login(cli_env)
    sim.fail_next("rate_limit", retry_after=None, body=False)
    result = run(cli_env, "now")
    assert result.returncode == 4
    assert "Rate-limited by Spotify — retry in 5 s" in result.stderr
    assert "quota" not in result.stderr and "Traceback" not in result.stderr


def test_now_prints_the_line_being_sung(cli_env: dict[str, str], sim: SpotifySimulator) -> None:
    login(cli_env)
    sim.player.set_queue(
        [make_track("Paper Lanterns", ["The Velvet Orchard"], "Night Market Radio", 32_000)]
    )
    sim.player.seek(22_000)
    sim.player.pause()  # the line stays where it is while the command runs
    line = run(cli_env, "now", "--format", "{lyric}")
    assert (line.returncode, line.stdout.strip()) == (0, "Float away, float away")
    lyrics = json.loads(run(cli_env, "now", "--json").stdout)["lyrics"]
    assert lyrics["synced"] is True and lyrics["provider"] == "lrclib"
    assert (lyrics["line"], lyrics["next"]) == (
        "Float away, float away",
        "Carry what we could not say",
    )
    assert lyrics["text"].startswith("Paper lanterns on the river\n")
    assert sim.count("/api/get") == 1  # the second command read the cache


def test_now_lyrics_are_null_when_there_are_none(
    cli_env: dict[str, str], sim: SpotifySimulator
) -> None:
    login(cli_env)
    sim.player.set_queue([make_track("Slow Tide", ["Marisol Vega"], "Harbour Lights", 40_000)])
    assert json.loads(run(cli_env, "now", "--json").stdout)["lyrics"] is None
    sim.fail_next("drop", path="/api/", times=None)  # LRCLIB down: still a success
    sim.player.set_queue([make_track("Paper Lanterns", ["The Velvet Orchard"], "N", 32_000)])
    result = run(cli_env, "now", "--format", "{title}: {lyric}")
    assert (result.returncode, result.stdout.strip(), result.stderr) == (0, "Paper Lanterns", "")
