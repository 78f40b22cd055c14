"""What a new user meets first, through the command line in its own processes: the run
script's output, a settings file with mistakes in it, exit codes, the simulator command,
templates, odd titles, and the headless demo."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import requests

from nowplaying_tray.core.budget import budget_file
from nowplaying_tray.core.paths import AppPaths
from nowplaying_tray.core.recent_list import recent_file
from nowplaying_tray.simulator import DEMO_CLIENT_ID, SpotifySimulator, make_track
from tests.desktop_support import wait_until
from tests.simulator.conftest import authorize_params, make_pkce
from tests.support.browser import REPO_ROOT
from tests.support.cli import run_cli
from tests.support.processes import end


@pytest.fixture
def settings_file(isolated_home: AppPaths) -> Path:
    isolated_home.config_dir.mkdir(parents=True, exist_ok=True)
    return isolated_home.config_dir / "settings.json"


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(env, *args)


def login(env: dict[str, str]) -> None:
    result = run(env, "login")
    assert result.returncode == 0, result.stderr


def write_settings(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def _start_reading_a_line(
    args: list[str], env: dict[str, str], timeout: float
) -> tuple[subprocess.Popen[str], list[str]]:
    """Start the app with ``args``; return it and its first line of stdout (if one came
    within ``timeout``), read on a thread so a silent process cannot hang the test."""
    process = subprocess.Popen(
        [sys.executable, "-m", "nowplaying_tray", *args],
        env=env,
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    first: list[str] = []
    stdout = process.stdout
    assert stdout is not None
    reader = threading.Thread(target=lambda: first.append(stdout.readline()))
    reader.start()
    reader.join(timeout=timeout)
    return process, first


def _log_text(paths: AppPaths) -> str:
    return "".join(p.read_text() for p in paths.log_dir.rglob("*.log*"))


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def no_display(env: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in env.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}


# 1. run.sh: stdout carries only what the command prints ------------------------------


def test_run_script_keeps_stdout_for_the_command(isolated_home: AppPaths) -> None:
    env = no_display(dict(os.environ))
    result = subprocess.run(
        [str(REPO_ROOT / "scripts" / "run.sh"), "now", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    # No account: a JSON answer a script can read, the reason on stderr, status 3.
    assert json.loads(result.stdout)["error"] == "login_needed", result.stdout
    assert result.returncode == 3
    assert "No Spotify client ID" in result.stderr and "Traceback" not in result.stderr
    version = subprocess.run(
        [str(REPO_ROOT / "scripts" / "run.sh"), "--version"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert version.stdout.startswith("nowplaying-tray ") and len(lines(version.stdout)) == 1


# 2. a settings file with one mistake keeps everything else -------------------------


def test_one_wrong_key_keeps_the_others(
    cli_env: dict[str, str], settings_file: Path, sim: SpotifySimulator
) -> None:
    write_settings(
        settings_file,
        json.dumps({"client_id": DEMO_CLIENT_ID, "notify_ads": "yes", "poll_interval_s": 7}),
    )
    env = cli_env | {"SPOTIPY_CLIENT_ID": ""}  # the client ID comes from the file only
    result = run(env, "login")
    assert result.returncode == 0, result.stderr
    problems = [entry for entry in lines(result.stderr) if str(settings_file) in entry]
    assert len(problems) == 1 and '"notify_ads"' in problems[0], result.stderr
    assert "poll_interval_s" not in result.stderr


def test_broken_files_are_kept_side_by_side(cli_env: dict[str, str], settings_file: Path) -> None:
    for content in ("{first", "{second"):
        write_settings(settings_file, content)
        result = run(cli_env, "now")
        assert "could not be read" in result.stderr
    backups = sorted(p.read_text() for p in settings_file.parent.glob("settings.json.*.bak"))
    assert backups == ["{first", "{second"]


# 3. numbers have ranges, URLs must be URLs ------------------------------------------


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("request_timeout_s", "0"),
        ("request_timeout_s", "-1"),
        ("request_timeout_s", "NaN"),
        ("poll_interval_s", "0"),
        ("login_timeout_s", "1e999"),
        ("daily_request_budget", "1e999"),
        ("redirect_port", "99999"),
        ("api_url", '"not-a-url"'),
        ("accounts_url", '"file:///etc"'),
    ],
)
def test_out_of_range_values_fall_back_with_one_line(
    cli_env: dict[str, str], settings_file: Path, sim: SpotifySimulator, key: str, value: str
) -> None:
    login(cli_env)
    sim.player.set_queue([make_track("Dancing Queen", ["ABBA"], "Arrival", 200_000)])
    write_settings(settings_file, f'{{"{key}": {value}}}')
    result = run(cli_env, "now")
    assert (result.returncode, result.stdout.strip()) == (0, "Dancing Queen — ABBA")
    problems = lines(result.stderr)
    assert len(problems) == 1 and f'"{key}"' in problems[0], result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_url_in_the_environment_is_named(
    cli_env: dict[str, str], settings_file: Path, sim: SpotifySimulator
) -> None:
    login(cli_env)
    sim.player.set_queue([make_track("Dancing Queen", ["ABBA"], "Arrival", 200_000)])
    write_settings(settings_file, json.dumps({"api_url": sim.api_url}))
    result = run(cli_env | {"NOWPLAYING_API_URL": "not-a-url"}, "now")
    assert result.stdout.strip() == "Dancing Queen — ABBA"
    assert "NOWPLAYING_API_URL must be an http or https URL with a host" in result.stderr


# 4. exit codes ------------------------------------------------------------------------


def test_logout_without_a_client_id_just_succeeds(cli_env: dict[str, str]) -> None:
    result = run(cli_env | {"SPOTIPY_CLIENT_ID": ""}, "logout")
    assert (result.returncode, result.stdout.strip()) == (0, "Logged out.")


@pytest.mark.parametrize("command", ["now", "login", "logout"])
def test_no_keyring_has_its_own_status(cli_env: dict[str, str], command: str) -> None:
    result = run(cli_env | {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}, command)
    assert result.returncode == 6, result.stderr
    assert "keyring" in result.stderr and "Traceback" not in result.stderr


def test_login_exit_codes(cli_env: dict[str, str], sim: SpotifySimulator) -> None:
    assert run(cli_env | {"SPOTIPY_CLIENT_ID": ""}, "login").returncode == 3
    closed = f"http://127.0.0.1:{_closed_port()}"
    assert run(cli_env | {"NOWPLAYING_ACCOUNTS_URL": closed}, "login").returncode == 5


def _closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_missing_client_id_message_names_the_settings_file(
    cli_env: dict[str, str], isolated_home: AppPaths
) -> None:
    result = run(cli_env | {"SPOTIPY_CLIENT_ID": ""}, "now")
    assert result.returncode == 3
    assert str(isolated_home.config_dir / "settings.json") in result.stderr


# 5. the simulator command ---------------------------------------------------------------


def test_simulator_port_errors_are_argument_errors(cli_env: dict[str, str]) -> None:
    result = run(cli_env, "simulator", "--port", "99999")
    assert result.returncode == 2 and result.stdout == ""
    assert "error: argument --port: 99999 is not a port" in result.stderr


def test_simulator_help_names_its_client_id(cli_env: dict[str, str]) -> None:
    result = run(cli_env, "simulator", "--help")
    assert result.returncode == 0
    assert DEMO_CLIENT_ID in result.stdout and "--client-id" in result.stdout


def test_simulator_accepts_the_client_id_given(cli_env: dict[str, str]) -> None:
    own = "e" * 32
    process, first = _start_reading_a_line(["simulator", "--client-id", own], cli_env, 20)
    try:
        base_url = first[0].split()[3]
        response = requests.get(
            f"{base_url}/authorize",
            params=authorize_params(make_pkce(), client_id=own),
            allow_redirects=False,
            timeout=5,
        )
        assert response.status_code in (200, 302)
    finally:
        end(process, signal.SIGINT)
    assert process.returncode == 0


# 6. templates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "named"),
    [
        ("{title.__class__}", "{title.__class__}"),
        ("{title.upper}", "{title.upper}"),
        ("{title[a]}", "{title[a]}"),
        ("{title:>999999999}", "200"),
        ("{nonexistent}", "{nonexistent}"),
        ("{", "“{”"),
        ("{title!r}", "!r"),
    ],
)
def test_bad_templates_are_refused(
    cli_env: dict[str, str], sim: SpotifySimulator, template: str, named: str
) -> None:
    login(cli_env)
    result = run(cli_env, "now", "--format", template)
    assert result.returncode == 2 and result.stdout == ""
    assert named in result.stderr and "Traceback" not in result.stderr


def test_good_templates_still_render(cli_env: dict[str, str], sim: SpotifySimulator) -> None:
    login(cli_env)
    sim.player.set_queue([make_track("Song", ["Artist"], "Album", 200_000)])
    result = run(cli_env, "now", "--format", "[{title:>6}] {{x}} {album:.3}")
    assert result.stdout == "[  Song] {x} Alb\n"


def test_a_bad_template_setting_falls_back(
    cli_env: dict[str, str], settings_file: Path, sim: SpotifySimulator
) -> None:
    login(cli_env)
    write_settings(settings_file, json.dumps({"tooltip_template": "{title[a]}"}))
    result = run(cli_env, "now")
    assert result.returncode == 0
    assert '"tooltip_template"' in result.stderr and "default" in result.stderr


# 7. titles with control characters ------------------------------------------------------


def test_control_characters_from_the_api_are_not_printed(
    cli_env: dict[str, str], sim: SpotifySimulator
) -> None:
    login(cli_env)
    response = requests.post(
        f"{sim.base_url}/_sim/control",
        json={
            "action": "play_track",
            "title": "Red\x1b[31m Alert\x1b]0;owned\x07\x08",
            "artist": "Bell\x07\nLine",
        },
        timeout=5,
    )
    assert response.json() == {"ok": True}
    plain = run(cli_env, "now")
    assert plain.stdout == "Red Alert — Bell Line\n"
    formatted = run(cli_env, "now", "--format", "{title}|{artist}")
    assert formatted.stdout == "Red Alert|Bell Line\n"
    # --json keeps the text as Spotify sent it; JSON escapes it.
    assert json.loads(run(cli_env, "now", "--json").stdout)["title"].startswith("Red\x1b[31m")


# 8. the headless demo -------------------------------------------------------------------


def test_headless_demo_prints_track_changes_and_how_to_quit(isolated_home: AppPaths) -> None:
    env = no_display(dict(os.environ)) | {
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": str(REPO_ROOT),
    }
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    process, first = _start_reading_a_line(["--demo"], env, 60)
    try:
        # Past the wait for a tray: a headless run opens no window and says nothing of one.
        wait_until(
            lambda: "No system tray appeared" in _log_text(isolated_home),
            what="the end of the wait for a tray",
            timeout=20,
            proc=process,  # type: ignore[arg-type]
        )
    finally:
        stdout, stderr = end(process, signal.SIGINT)
    assert first and first[0].startswith("Now playing: "), (first, stderr)
    assert "Ctrl+C" in stderr
    assert "window" not in stderr and "raise()" not in stderr, stderr
    assert not [line for line in lines(stderr) if " INFO " in line or " WARNING " in line]
    assert not [line for line in lines(stdout) if not line.startswith(("Now playing:", "Nothing"))]
    log = _log_text(isolated_home)
    assert "showing the window instead" not in log
    assert "no browser is opened" in log and "kept in memory only" in log
    assert "Opening the browser" not in log and "stored in the keyring" not in log
    assert "KeyError" not in log
    # The demo keeps its own state: the real account's count and recent list stay untouched.
    real, demo = isolated_home, isolated_home.for_demo()
    assert budget_file(demo.state_dir).exists()
    assert not budget_file(real.state_dir).exists() and not recent_file(real.state_dir).exists()
    assert not (real.config_dir / "settings.json").exists()
