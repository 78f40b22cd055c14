"""`login` and `now` against a hostile token endpoint, account and callback, a failing keyring
and a login that cannot be renewed: plain words, the documented exit codes, no escapes."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nowplaying_tray.simulator import DEMO_CLIENT_ID, SpotifySimulator
from tests.support.browser import REPO_ROOT, browser_command
from tests.support.cli import cli_environment, run_cli

EXIT_FAILED, EXIT_AUTH, EXIT_NO_KEYRING = 1, 3, 6
TERMINAL_CONTROLS = ("\x1b", "\x07", "\x9b", "\x9d")


@pytest.fixture
def env(tmp_path: Path, sim: SpotifySimulator) -> dict[str, str]:
    return cli_environment(sim, tmp_path / "test-keyring.json", browser_command(tmp_path))


def _plain(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr and "unexpected" not in result.stderr.lower()
    for control in TERMINAL_CONTROLS:
        assert control not in result.stdout + result.stderr, repr(result.stdout + result.stderr)


@pytest.mark.parametrize("shape", ["deep", "no_access_token"])
def test_an_unusable_token_answer_is_a_failed_login(
    env: dict[str, str], sim: SpotifySimulator, shape: str
) -> None:
    sim.fail_next("bad_body", path="/api/token", status=200, shape=shape, times=None)
    result = run_cli(env, "login")
    _plain(result)
    assert result.returncode == EXIT_FAILED, result.stderr
    assert "login" in result.stderr.lower()


def test_a_token_error_with_terminal_escapes_is_shown_without_them(
    env: dict[str, str], sim: SpotifySimulator
) -> None:
    sim.fail_next("bad_body", path="/api/token", status=400, shape="escapes", times=None)
    result = run_cli(env, "login")
    _plain(result)
    assert result.returncode == EXIT_FAILED, result.stderr
    assert "(bad)" in result.stderr


def test_an_account_name_with_terminal_escapes_is_shown_without_them(
    env: dict[str, str], sim: SpotifySimulator
) -> None:
    sim.account.user["display_name"] = "Mallory\x1b]0;pwned\x07\x1b[2J\x9b31m\x9d"
    result = run_cli(env, "login")
    _plain(result)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Logged in as Mallory\n"


def test_a_callback_error_with_terminal_escapes_is_shown_without_them(
    env: dict[str, str], tmp_path: Path
) -> None:
    # A "browser" that comes back to the app at once with an error of its own making.
    answer = (
        "import sys, requests\n"
        "from urllib.parse import parse_qs, urlsplit\n"
        "query = parse_qs(urlsplit(sys.argv[1]).query)\n"
        "requests.get(query['redirect_uri'][0], timeout=10, params={\n"
        "    'state': query['state'][0], 'error': 'x\\x1b]0;pwned\\x07\\x1b[2J\\x9b1mbad'})\n"
    )
    (tmp_path / "answer.py").write_text(answer)
    browser = tmp_path / "browser.sh"
    browser.write_text(f'#!/bin/sh\n{sys.executable} {tmp_path / "answer.py"} "$1" &\n')
    browser.chmod(0o755)
    result = run_cli(env | {"BROWSER": str(browser)}, "login")
    _plain(result)
    assert result.returncode == EXIT_FAILED, result.stderr
    assert "refused the login (xbad)" in result.stderr


def test_a_keyring_that_fails_every_call_stops_the_login_before_the_browser(
    env: dict[str, str], tmp_path: Path
) -> None:
    opened = tmp_path / "browser-opened"
    browser = tmp_path / "browser.sh"
    browser.write_text(f"#!/bin/sh\ntouch {opened}\n")
    browser.chmod(0o755)
    env = env | {
        "BROWSER": str(browser),
        "PYTHON_KEYRING_BACKEND": "tests.support.file_keyring.FailingKeyring",
    }
    result = run_cli(env, "login")
    _plain(result)
    assert result.returncode == EXIT_NO_KEYRING, result.stderr
    assert not opened.exists()


def test_an_expired_login_without_a_refresh_token_asks_for_a_new_login(
    env: dict[str, str], tmp_path: Path
) -> None:
    token = {"access_token": "old", "token_type": "Bearer", "expires_at": time.time() - 3600}
    keyring_file = tmp_path / "test-keyring.json"
    keyring_file.write_text(json.dumps({f"nowplaying-tray/{DEMO_CLIENT_ID}": json.dumps(token)}))
    result = run_cli(env, "now")
    _plain(result)
    assert result.returncode == EXIT_AUTH, result.stderr
    assert "log in again" in result.stderr.lower()


def test_now_json_escapes_c1_controls_and_replaces_lone_surrogates(
    env: dict[str, str], sim: SpotifySimulator
) -> None:
    from nowplaying_tray.simulator import make_track

    assert run_cli(env, "login").returncode == 0
    track = make_track("Title", ["C"], "D", 200_000)
    # Sent as JSON escapes (\\u009b, \\ud800), as a hostile answer would.
    track["item"]["name"] = "A\x9b31m\x9d0;x\x07 \ud800B"
    track["item"]["artists"][0]["name"] = "C\udfff"
    sim.player.set_queue([track])
    result = subprocess.run(
        [sys.executable, "-m", "nowplaying_tray", "now", "--json"],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert b"\\u009b31m\\u009d0;x\\u0007" in result.stdout
    assert json.loads(result.stdout)["title"].endswith(" \ufffdB")
    plain = run_cli(env, "now")
    _plain(plain)
    assert plain.returncode == 0, plain.stderr
    assert plain.stdout == "A \ufffdB — C\ufffd\n"
