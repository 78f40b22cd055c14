"""Settings: a human-readable JSON file in the platform config directory.

The file holds only preferences, never a token. Environment variables override
it for one run without being saved; they are also how the local Spotify
simulator is plugged in instead of the real service.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from nowplaying_tray.core.atomic import write_text_atomic
from nowplaying_tray.core.errors import FileWriteFailed
from nowplaying_tray.core.paths import AppPaths

logger = logging.getLogger(__name__)

DEFAULT_ACCOUNTS_URL = "https://accounts.spotify.com"
DEFAULT_API_URL = "https://api.spotify.com/v1"
DEFAULT_REDIRECT_PORT = 8974
CLIENT_ID_PATTERN = re.compile(r"^[0-9a-fA-F]{32}$")

ENV_CLIENT_ID = "SPOTIPY_CLIENT_ID"
ENV_ACCOUNTS_URL = "NOWPLAYING_ACCOUNTS_URL"
ENV_API_URL = "NOWPLAYING_API_URL"


def is_valid_client_id(value: str) -> bool:
    return bool(CLIENT_ID_PATTERN.match(value.strip()))


@dataclass(frozen=True)
class Settings:
    """Every preference, with its default. Field names are the keys of the settings file."""

    client_id: str = ""
    redirect_port: int = DEFAULT_REDIRECT_PORT
    login_timeout_s: float = 300.0
    request_timeout_s: float = 10.0
    poll_interval_s: float = 5.0
    daily_request_budget: int = 1000
    # MPRIS players on this computer that answer before the Web API ("*": any player).
    local_players: tuple[str, ...] = ("spotify", "spotifyd", "ncspot", "spotify_player")
    notifications: bool = True
    notify_at_startup: bool = False
    notify_episodes: bool = True
    notify_ads: bool = False
    tooltip_template: str = "{title} — {artist}\n{album}"
    autostart: bool = False
    nowplaying_file: str = ""
    nowplaying_template: str = "{artist} — {title}"
    nowplaying_art_file: str = ""
    nowplaying_clear_when_idle: bool = True
    accounts_url: str = DEFAULT_ACCOUNTS_URL
    api_url: str = DEFAULT_API_URL
    # Which keys came from the environment, so saving never persists them.
    env_overrides: frozenset[str] = field(default=frozenset(), compare=False, repr=False)

    @property
    def redirect_uri(self) -> str:
        return redirect_uri_for(self.redirect_port)

    def with_changes(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)

    def to_file_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "env_overrides"}


def redirect_uri_for(port: int) -> str:
    return f"http://127.0.0.1:{port}/callback"


@dataclass(frozen=True)
class LoadResult:
    settings: Settings
    # A message for the person when the file could not be used, else None.
    problem: str | None = None


class SettingsStore:
    """Loads and saves ``settings.json``; a broken file never stops the app."""

    FILE_NAME = "settings.json"

    def __init__(self, paths: AppPaths, environ: Mapping[str, str] | None = None) -> None:
        self.path = paths.config_dir / self.FILE_NAME
        self._environ = os.environ if environ is None else environ

    def load(self) -> LoadResult:
        problem = None
        values: dict[str, Any] = {}
        if self.path.exists():
            try:
                values = _validated(json.loads(self.path.read_text(encoding="utf-8")))
            except (OSError, ValueError, TypeError) as exc:
                problem = self._set_aside(exc)
        settings = Settings(**values)
        return LoadResult(self._apply_environment(settings), problem)

    def save(self, settings: Settings) -> None:
        data = settings.to_file_dict()
        # Values that came from the environment are not the user's choice: keep the file's.
        if settings.env_overrides:
            on_disk = self.load_file_only()
            for key in settings.env_overrides:
                data[key] = getattr(on_disk, key)
        try:
            write_text_atomic(self.path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        except OSError as exc:
            raise FileWriteFailed(self.path, exc.strerror or str(exc)) from exc
        logger.info("Settings saved to %s", self.path)

    def load_file_only(self) -> Settings:
        try:
            return Settings(**_validated(json.loads(self.path.read_text(encoding="utf-8"))))
        except (OSError, ValueError, TypeError):
            return Settings()

    def _set_aside(self, exc: Exception) -> str:
        backup = self.path.with_name(self.path.name + ".bak")
        try:
            self.path.replace(backup)
        except OSError:
            logger.warning("Could not move the broken settings file aside", exc_info=True)
        logger.warning("Settings file %s is broken (%s); using defaults", self.path, exc)
        return (
            f"The settings file could not be read ({exc}). Default settings are used; "
            f"the broken file was kept as {backup}."
        )

    def _apply_environment(self, settings: Settings) -> Settings:
        overrides: dict[str, Any] = {}
        for env_name, key in (
            (ENV_CLIENT_ID, "client_id"),
            (ENV_ACCOUNTS_URL, "accounts_url"),
            (ENV_API_URL, "api_url"),
        ):
            value = self._environ.get(env_name, "").strip()
            if value:
                overrides[key] = value.rstrip("/") if key.endswith("_url") else value
        if not overrides:
            return settings
        return settings.with_changes(env_overrides=frozenset(overrides), **overrides)


def _validated(raw: Any) -> dict[str, Any]:
    """Keep known keys whose values have the right type; anything else is an error."""
    if not isinstance(raw, dict):
        raise ValueError("the file does not hold a JSON object")
    defaults = Settings()
    values: dict[str, Any] = {}
    for f in fields(Settings):
        if f.name == "env_overrides" or f.name not in raw:
            continue
        value, expected = raw[f.name], type(getattr(defaults, f.name))
        if expected is tuple:  # a JSON list of names
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ValueError(f"'{f.name}' should be a list of names, not {value!r}")
            value = tuple(value)
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise ValueError(f"'{f.name}' should be {expected.__name__}, not {value!r}")
        values[f.name] = value
    if not 1 <= values.get("redirect_port", DEFAULT_REDIRECT_PORT) <= 65535:
        raise ValueError("'redirect_port' must be between 1 and 65535")
    if not 50 <= values.get("daily_request_budget", 1000) <= 1_000_000:
        raise ValueError("'daily_request_budget' must be between 50 and 1000000")
    for key in ("accounts_url", "api_url"):
        if key in values:
            values[key] = values[key].rstrip("/")
    return values


__all__ = [
    "DEFAULT_ACCOUNTS_URL",
    "DEFAULT_API_URL",
    "DEFAULT_REDIRECT_PORT",
    "LoadResult",
    "Settings",
    "SettingsStore",
    "is_valid_client_id",
    "redirect_uri_for",
]
