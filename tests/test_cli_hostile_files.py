"""`now` with broken or hostile local files, odd output encodings and a closed pipe."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from nowplaying_tray.core.budget import FILE_NAME as BUDGET_FILE
from nowplaying_tray.core.paths import AppPaths
from nowplaying_tray.simulator import SpotifySimulator, make_track
from tests.support.browser import REPO_ROOT, browser_command
from tests.support.cli import cli_environment, run_cli

DEEP = "[" * 100_000 + "]" * 100_000


@pytest.fixture
def cli_env(tmp_path: Path, sim: SpotifySimulator, app_paths: AppPaths) -> dict[str, str]:
    env = cli_environment(sim, tmp_path / "test-keyring.json", browser_command(tmp_path))
    result = run_cli(env, "login")
    assert result.returncode == 0, result.stderr
    sim.player.set_queue([make_track("Title", ["Artist"], "Album", 200_000)])
    app_paths.config_dir.mkdir(parents=True, exist_ok=True)
    return env


def _kept_aside(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.name}.*.bak"))


def _plain(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr and "unexpected" not in result.stderr.lower()


def test_a_deeply_nested_settings_file_gives_defaults_and_is_set_aside(
    cli_env: dict[str, str], app_paths: AppPaths
) -> None:
    settings = app_paths.config_dir / "settings.json"
    settings.write_text(DEEP)
    result = run_cli(cli_env, "now")
    _plain(result)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Title — Artist\n"
    assert "could not be read" in result.stderr and "nested deeper" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert not settings.exists() and len(_kept_aside(settings)) == 1


@pytest.mark.parametrize(
    "content",
    [DEEP, json.dumps({"version": 1, "requests": [10**400]}), '{"requests": [1e999, "x"]}'],
    ids=["deep", "400-digits", "infinite"],
)
def test_a_hostile_request_count_is_set_aside_and_counting_starts_again(
    cli_env: dict[str, str], app_paths: AppPaths, content: str
) -> None:
    budget = app_paths.state_dir / BUDGET_FILE
    budget.write_text(content)
    result = run_cli(cli_env, "now", "--json")
    _plain(result)
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["title"] == "Title" and shown["budget"]["spent_24h"] == 1
    assert len(_kept_aside(budget)) == 1
    assert len(json.loads(budget.read_text())["requests"]) == 1


def test_a_settings_file_with_a_byte_order_mark_is_read(
    cli_env: dict[str, str], app_paths: AppPaths
) -> None:
    settings = app_paths.config_dir / "settings.json"
    settings.write_bytes(b"\xef\xbb\xbf" + json.dumps({"request_timeout_s": 2}).encode())
    result = run_cli(cli_env, "now")
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert settings.exists() and _kept_aside(settings) == []


def test_a_latin_1_terminal_gets_replacements_not_an_error(cli_env: dict[str, str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "nowplaying_tray", "now"],
        env=cli_env | {"PYTHONIOENCODING": "latin-1"},
        cwd=REPO_ROOT,
        capture_output=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == b"Title ? Artist\n"


def test_a_closed_pipe_is_a_quiet_exit(cli_env: dict[str, str]) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before anything is written: `| head -c0`
    try:
        result = subprocess.run(
            [sys.executable, "-m", "nowplaying_tray", "now", "--json"],
            env=cli_env,
            cwd=REPO_ROOT,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=30,
        )
    finally:
        os.close(write_end)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_directories_and_files_are_private_under_umask_000(
    tmp_path: Path, sim: SpotifySimulator, app_paths: AppPaths
) -> None:
    env = cli_environment(sim, tmp_path / "test-keyring.json", browser_command(tmp_path))
    app_paths.config_dir.mkdir(parents=True)
    settings = app_paths.config_dir / "settings.json"
    settings.write_text("not json")
    settings.chmod(0o644)
    result = subprocess.run(
        [sys.executable, "-m", "nowplaying_tray", "login"],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        preexec_fn=lambda: os.umask(0),
    )
    assert result.returncode == 0, result.stderr

    def mode(path: Path) -> int:
        return stat.S_IMODE(path.stat().st_mode)

    for directory in (app_paths.state_dir, app_paths.log_dir):
        assert mode(directory) == 0o700, directory
    assert mode(app_paths.state_dir / BUDGET_FILE) == 0o600
    (backup,) = _kept_aside(settings)
    assert mode(backup) == 0o600
