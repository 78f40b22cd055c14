from __future__ import annotations

import json

import pytest

from nowplaying_tray.core.paths import AppPaths
from nowplaying_tray.core.settings import (
    DEFAULT_API_URL,
    Settings,
    SettingsStore,
    is_valid_client_id,
)


def test_defaults_without_a_file(app_paths: AppPaths) -> None:
    loaded = SettingsStore(app_paths).load()
    assert loaded.problem is None
    assert loaded.settings == Settings()
    assert loaded.settings.api_url == DEFAULT_API_URL
    assert loaded.settings.redirect_uri == "http://127.0.0.1:8974/callback"


def test_save_and_load_round_trip_in_the_config_dir(app_paths: AppPaths) -> None:
    store = SettingsStore(app_paths)
    store.save(Settings(client_id="a" * 32, poll_interval_s=7.5, notifications=False))
    assert store.path.parent == app_paths.config_dir
    data = json.loads(store.path.read_text())
    assert data["client_id"] == "a" * 32  # human-readable JSON
    assert store.load().settings.poll_interval_s == 7.5
    assert not store.load().settings.notifications


def test_environment_overrides_are_applied_but_not_saved(app_paths: AppPaths) -> None:
    store = SettingsStore(app_paths)
    store.save(Settings(client_id="b" * 32))
    env = {
        "SPOTIPY_CLIENT_ID": "c" * 32,
        "NOWPLAYING_ACCOUNTS_URL": "http://127.0.0.1:9/",
        "NOWPLAYING_API_URL": "http://127.0.0.1:9/v1",
    }
    settings = SettingsStore(app_paths, environ=env).load().settings
    assert settings.client_id == "c" * 32
    assert settings.accounts_url == "http://127.0.0.1:9"
    assert settings.api_url == "http://127.0.0.1:9/v1"
    SettingsStore(app_paths, environ=env).save(settings.with_changes(poll_interval_s=9.0))
    on_disk = SettingsStore(app_paths, environ={}).load().settings
    assert on_disk.client_id == "b" * 32 and on_disk.poll_interval_s == 9.0
    assert on_disk.api_url == DEFAULT_API_URL


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", "\x00"])
def test_unreadable_file_gives_defaults_and_is_set_aside(app_paths: AppPaths, content: str) -> None:
    store = SettingsStore(app_paths)
    store.path.parent.mkdir(parents=True, exist_ok=True)
    store.path.write_text(content)
    loaded = store.load()
    assert loaded.settings == Settings()
    assert loaded.problem and "could not be read" in loaded.problem
    (backup,) = store.path.parent.glob("settings.json.*.bak")
    assert backup.read_text() == content
    assert not store.path.exists()


@pytest.mark.parametrize(
    ("content", "key"),
    [
        ('{"poll_interval_s": "fast"}', "poll_interval_s"),
        ('{"redirect_port": 70000}', "redirect_port"),
        ('{"poll_interval_s": 0}', "poll_interval_s"),
        ('{"request_timeout_s": NaN}', "request_timeout_s"),
        ('{"login_timeout_s": 1e999}', "login_timeout_s"),
        ('{"daily_request_budget": 10}', "daily_request_budget"),
        ('{"overlay_port": 80}', "overlay_port"),
        ('{"overlay_port": 70000}', "overlay_port"),
        ('{"overlay_port": true}', "overlay_port"),
        ('{"api_url": "not-a-url"}', "api_url"),
        ('{"accounts_url": "ftp://host"}', "accounts_url"),
        ('{"nowplaying_template": "{title[a]}"}', "nowplaying_template"),
        ('{"lyrics": "yes"}', "lyrics"),
        ('{"lyrics_offset_ms": 60000}', "lyrics_offset_ms"),
        ('{"lyrics_url": "file:///etc"}', "lyrics_url"),
    ],
)
def test_a_bad_value_falls_back_alone(app_paths: AppPaths, content: str, key: str) -> None:
    store = SettingsStore(app_paths)
    store.path.parent.mkdir(parents=True, exist_ok=True)
    store.path.write_text(content[:-1] + ', "client_id": "' + "a" * 32 + '"}')
    loaded = store.load()
    assert loaded.settings == Settings(client_id="a" * 32)
    (line,) = loaded.problems
    assert f'"{key}"' in line and "the default" in line
    assert store.path.exists()  # the file stays as written until a save replaces it


@pytest.mark.parametrize("port", [0, 1024, 8975, 65535])
def test_overlay_port_is_off_at_zero_or_in_its_range(app_paths: AppPaths, port: int) -> None:
    store = SettingsStore(app_paths)
    store.path.parent.mkdir(parents=True, exist_ok=True)
    store.path.write_text(f'{{"overlay_port": {port}}}')
    loaded = store.load()
    assert loaded.problems == () and loaded.settings.overlay_port == port


def test_saving_over_bad_values_keeps_numbered_backups(app_paths: AppPaths) -> None:
    store = SettingsStore(app_paths)
    store.path.parent.mkdir(parents=True, exist_ok=True)
    for attempt in ("first", "second"):
        store.path.write_text(f'{{"poll_interval_s": "{attempt}"}}')
        store.save(store.load().settings)
    backups = sorted(p.read_text() for p in store.path.parent.glob("settings.json.*.bak"))
    assert backups == ['{"poll_interval_s": "first"}', '{"poll_interval_s": "second"}']
    assert store.load().problems == ()


def test_unknown_keys_are_ignored_and_named_in_one_line(app_paths: AppPaths) -> None:
    store = SettingsStore(app_paths)
    store.path.parent.mkdir(parents=True, exist_ok=True)
    store.path.write_text('{"from_the_future": 1, "pol_interval_s": 3, "notify_ads": true}')
    loaded = store.load()
    assert loaded.settings == Settings(notify_ads=True)
    assert loaded.problems == (
        f'In {store.path}: unknown keys are ignored: "from_the_future", '
        '"pol_interval_s" (did you mean "poll_interval_s"?).',
    )
    store.save(loaded.settings)  # the typo is left out, and kept in the backup
    assert store.load().problems == ()
    (backup,) = store.path.parent.glob("settings.json.*.bak")
    assert "pol_interval_s" in backup.read_text()


@pytest.mark.parametrize(
    ("content", "line"),
    [
        ('{"login_timeout_s": "x"}', '"login_timeout_s" should be a number, not "x"; '),
        ('{"request_timeout_s": 0}', '"request_timeout_s" must be between 1 and 60, not 0; '),
        ('{"api_url": "ftp://h"}', '"api_url" must be an http or https URL with a host, not '),
    ],
)
def test_bad_values_are_named_in_json_quotes_with_whole_defaults(
    app_paths: AppPaths, content: str, line: str
) -> None:
    store = SettingsStore(app_paths)
    store.path.parent.mkdir(parents=True, exist_ok=True)
    store.path.write_text(content)
    (problem,) = store.load().problems
    assert line in problem
    assert problem.endswith(
        ("the default 300 is used.", "the default 10 is used.", f'"{DEFAULT_API_URL}" is used.')
    )


def test_saving_is_atomic(app_paths: AppPaths) -> None:
    store = SettingsStore(app_paths)
    store.save(Settings(client_id="d" * 32))
    store.save(Settings(client_id="e" * 32))
    leftovers = [p.name for p in store.path.parent.iterdir() if p.name != "settings.json"]
    assert leftovers == []


@pytest.mark.parametrize(
    ("value", "valid"),
    [("0123456789abcdef0123456789ABCDEF", True), ("123", False), ("g" * 32, False), ("", False)],
)
def test_client_id_format(value: str, valid: bool) -> None:
    assert is_valid_client_id(value) is valid


def test_local_players_is_a_list_of_names(app_paths: AppPaths) -> None:
    store = SettingsStore(app_paths, environ={})
    store.path.parent.mkdir(parents=True, exist_ok=True)
    store.path.write_text('{"local_players": ["ncspot", "*"]}', encoding="utf-8")
    assert store.load().settings.local_players == ("ncspot", "*")
    store.save(store.load().settings)
    assert store.load().settings.local_players == ("ncspot", "*")
    store.path.write_text('{"local_players": "spotify"}', encoding="utf-8")
    loaded = store.load()
    assert loaded.problem and "local_players" in loaded.problem
    assert loaded.settings.local_players == ("spotify", "spotifyd", "ncspot", "spotify_player")


def test_lyrics_settings(app_paths: AppPaths) -> None:
    defaults = Settings()
    assert (defaults.lyrics, defaults.lyrics_offset_ms) == (True, 0)
    assert defaults.lyrics_url == "https://lrclib.net"
    store = SettingsStore(app_paths, environ={})
    store.save(Settings(lyrics=False, lyrics_offset_ms=-400))
    data = json.loads(store.path.read_text())
    assert (data["lyrics"], data["lyrics_offset_ms"]) == (False, -400)
    env = {"NOWPLAYING_LYRICS_URL": "http://127.0.0.1:9/"}
    loaded = SettingsStore(app_paths, environ=env).load().settings
    assert loaded.lyrics_url == "http://127.0.0.1:9" and "lyrics_url" in loaded.env_overrides
    bad = SettingsStore(app_paths, environ={"NOWPLAYING_LYRICS_URL": "lrclib"}).load()
    assert bad.settings.lyrics_url == "https://lrclib.net"
    assert "NOWPLAYING_LYRICS_URL" in (bad.problem or "")
