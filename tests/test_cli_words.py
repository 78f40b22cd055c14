"""What the command line says: option order, a paused item, no account, settings lines."""

from __future__ import annotations

import json

import pytest

from nowplaying_tray.core.paths import AppPaths
from nowplaying_tray.simulator import SpotifySimulator
from nowplaying_tray.simulator.catalog import make_track
from tests.support.cli import run_cli


def logged_in(env: dict[str, str]) -> dict[str, str]:
    result = run_cli(env, "login")
    assert result.returncode == 0, result.stderr
    return env


def test_debug_goes_before_or_after_the_command(
    cli_env: dict[str, str], sim: SpotifySimulator
) -> None:
    logged_in(cli_env)
    sim.player.set_queue([make_track("Song", ["Artist"], "Album", 200_000)])
    for args in (("--debug", "now"), ("now", "--debug")):
        result = run_cli(cli_env, *args)
        assert result.returncode == 0, (args, result.stderr)
        assert result.stdout == "Song — Artist\n"


@pytest.mark.parametrize("args", [("--demo", "now"), ("now", "--demo"), ("--demo", "login")])
def test_demo_with_a_command_is_refused_in_one_clear_line(
    cli_env: dict[str, str], args: tuple[str, ...]
) -> None:
    result = run_cli(cli_env, *args)
    assert result.returncode == 2 and result.stdout == ""
    assert "error: --demo starts the tray app against a built-in simulator" in result.stderr
    assert "Run 'nowplaying-tray --demo' on its own." in result.stderr


def test_now_marks_a_paused_item(cli_env: dict[str, str], sim: SpotifySimulator) -> None:
    logged_in(cli_env)
    sim.player.set_queue([make_track("Song", ["Artist"], "Album", 200_000)])
    sim.player.pause()
    paused = run_cli(cli_env, "now")
    assert paused.returncode == 0 and paused.stdout == "⏸ Song — Artist\n"
    as_template = run_cli(cli_env, "now", "--format", "{state}: {title}")
    assert as_template.stdout == "paused: Song\n"  # a template says it its own way
    sim.player.resume()
    assert run_cli(cli_env, "now").stdout == "Song — Artist\n"


def test_now_without_an_account_names_the_ways_that_need_none(cli_env: dict[str, str]) -> None:
    result = run_cli(cli_env | {"SPOTIPY_CLIENT_ID": ""}, "now")
    assert result.returncode == 3
    first, second = result.stderr.strip().splitlines()
    assert first.startswith("nowplaying-tray: No Spotify client ID is configured.")
    assert "'nowplaying-tray --demo'" in second
    assert '"local_players"' in second and "MPRIS" in second


@pytest.mark.parametrize(
    ("template", "said"),
    [("{title:.201}", "a precision above 200"), ("{title:>201}", "a width above 200")],
)
def test_a_template_size_is_called_by_its_name(
    cli_env: dict[str, str], template: str, said: str
) -> None:
    result = run_cli(cli_env, "now", "--format", template)
    assert result.returncode == 2
    assert said in result.stderr


def test_settings_lines_print_defaults_as_written_and_name_unknown_keys_once(
    cli_env: dict[str, str], isolated_home: AppPaths
) -> None:
    isolated_home.config_dir.mkdir(parents=True, exist_ok=True)
    (isolated_home.config_dir / "settings.json").write_text(
        json.dumps(
            {
                "login_timeout_s": "long",
                "request_timeout_s": 0,
                "poll_interval_s": "fast",
                "accounts_url": "ftp://example.com",
                "local_players": "spotify",
                "pol_interval_s": 3,
            }
        ),
        encoding="utf-8",
    )
    result = run_cli(cli_env | {"SPOTIPY_CLIENT_ID": ""}, "now")
    lines = [line for line in result.stderr.splitlines() if "settings.json" in line]
    said = "\n".join(lines)
    assert '"login_timeout_s" should be a number, not "long"; the default 300 is used.' in said
    assert "the default 10 is used." in said and "the default 5 is used." in said
    assert '"accounts_url" must be an http or https URL with a host, not "ftp://example.com"' in (
        said
    )
    assert '"local_players" should be a list of names, not "spotify"; the default [' in said
    assert ".0 " not in said and "'" not in said  # no 300.0, one kind of quotes
    unknown = [line for line in lines if "pol_interval_s" in line]
    assert len(unknown) == 1
    assert unknown[0].endswith(
        'unknown key is ignored: "pol_interval_s" (did you mean "poll_interval_s"?).'
    )
