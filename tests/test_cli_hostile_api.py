"""`now` against broken and hostile answers from the API, over HTTP: plain words, exit 4 or 5."""

from __future__ import annotations

import json
import subprocess
import time
from typing import Any

import pytest
import requests

from nowplaying_tray.core.paths import AppPaths
from nowplaying_tray.simulator import SpotifySimulator, make_track
from tests.support.cli import run_cli

EXIT_RATE_LIMITED, EXIT_SPOTIFY = 4, 5


@pytest.fixture
def cli_env(cli_env: dict[str, str], app_paths: AppPaths) -> dict[str, str]:
    """The shared CLI environment, logged in, with a short request timeout."""
    app_paths.config_dir.mkdir(parents=True, exist_ok=True)
    (app_paths.config_dir / "settings.json").write_text(json.dumps({"request_timeout_s": 2}))
    result = run_cli(cli_env, "login")
    assert result.returncode == 0, result.stderr
    return cli_env


def _now(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run_cli(env, "now", timeout=60)


def _assert_plain_failure(result: subprocess.CompletedProcess[str], status: int) -> None:
    assert result.returncode == status, result.stderr
    assert "Traceback" not in result.stderr and "unexpected" not in result.stderr.lower()
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


@pytest.mark.parametrize("status", [503, 401])
@pytest.mark.parametrize("shape", ["error_string", "list", "deep"])
def test_error_bodies_of_any_shape(
    cli_env: dict[str, str], sim: SpotifySimulator, status: int, shape: str
) -> None:
    sim.fail_next("bad_body", path="/v1/me/player", status=status, shape=shape, times=None)
    _assert_plain_failure(_now(cli_env), EXIT_SPOTIFY)


def test_deeply_nested_200(cli_env: dict[str, str], sim: SpotifySimulator) -> None:
    sim.fail_next("bad_body", path="/v1/me/player", status=200, shape="deep")
    _assert_plain_failure(_now(cli_env), EXIT_SPOTIFY)


@pytest.mark.parametrize("retry_after", ["inf", "1e400", "3000000", "nan", "-5"])
def test_odd_retry_after(cli_env: dict[str, str], sim: SpotifySimulator, retry_after: str) -> None:
    sim.fail_next("rate_limit", path="/v1/me/player", retry_after_text=retry_after)
    result = _now(cli_env)
    _assert_plain_failure(result, EXIT_RATE_LIMITED)
    assert "Rate-limited" in result.stderr


def test_a_trickled_body_is_cut_at_the_request_timeout(
    cli_env: dict[str, str], sim: SpotifySimulator
) -> None:
    sim.fail_next("trickle", path="/v1/me/player", delay=0.05)  # about 2 min for the body
    started = time.monotonic()
    result = _now(cli_env)
    elapsed = time.monotonic() - started
    _assert_plain_failure(result, EXIT_SPOTIFY)
    assert elapsed < 2 + 6, elapsed  # the 2 s deadline plus the process's start


def test_a_gzip_bomb_is_refused(cli_env: dict[str, str], sim: SpotifySimulator) -> None:
    sim.fail_next("gzip_bomb", path="/v1/me/player", size=256 * 1024 * 1024, times=2)
    # The simulator builds the bomb at its first use; the request deadline (2 s) includes
    # the wait for the headers, so that first use is not the app's.
    requests.get(f"{sim.api_url}/me/player", stream=True, timeout=60).close()
    result = _now(cli_env)
    _assert_plain_failure(result, EXIT_SPOTIFY)
    assert "too large" in result.stderr


def test_a_redirect_to_a_file_is_an_error(cli_env: dict[str, str], sim: SpotifySimulator) -> None:
    sim.fail_next("redirect", path="/v1/me/player", location="file:///etc/passwd")
    result = _now(cli_env)
    _assert_plain_failure(result, EXIT_SPOTIFY)
    assert "Nothing playing" not in result.stdout


def test_long_text_fields_are_cut(cli_env: dict[str, str], sim: SpotifySimulator) -> None:
    sim.player.set_queue([make_track("T" * 50_000, ["A" * 50_000], "Album", 200_000)])
    result = run_cli(cli_env, "now", "--json")
    assert result.returncode == 0, result.stderr
    shown: dict[str, Any] = json.loads(result.stdout)
    assert len(shown["title"]) <= 1000 and len(shown["artists"][0]) <= 1000
    assert shown["title"].startswith("TTT")


def test_a_token_refresh_redirected_to_a_file_is_an_error(
    cli_env: dict[str, str], sim: SpotifySimulator
) -> None:
    sim.expire_access_tokens()
    sim.fail_next("redirect", path="/api/token", location="file:///etc/passwd")
    result = _now(cli_env)
    _assert_plain_failure(result, EXIT_SPOTIFY)
    assert "Nothing playing" not in result.stdout


def test_headers_trickled_a_line_at_a_time_are_cut_at_the_request_timeout(
    cli_env: dict[str, str], sim: SpotifySimulator
) -> None:
    sim.fail_next("trickle_headers", path="/v1/me/player", delay=0.2)  # 2 min of headers
    started = time.monotonic()
    result = _now(cli_env)
    elapsed = time.monotonic() - started
    _assert_plain_failure(result, EXIT_SPOTIFY)
    assert elapsed < 2 + 6, elapsed  # the 2 s deadline plus the process's start
