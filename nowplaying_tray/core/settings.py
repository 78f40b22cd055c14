"""Settings: a human-readable JSON file in the platform config directory.

The file holds only preferences, never a token. Environment variables override
it for one run without being saved; they are also how the local Spotify
simulator is plugged in instead of the real service.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import math
import os
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from nowplaying_tray.core.atomic import write_text_atomic
from nowplaying_tray.core.errors import FileWriteFailed
from nowplaying_tray.core.json_reader import read_json_file
from nowplaying_tray.core.paths import AppPaths
from nowplaying_tray.core.text import template_problem

logger = logging.getLogger(__name__)

DEFAULT_ACCOUNTS_URL = "https://accounts.spotify.com"
DEFAULT_API_URL = "https://api.spotify.com/v1"
DEFAULT_LYRICS_URL = "https://lrclib.net"
DEFAULT_REDIRECT_PORT = 8974
CLIENT_ID_PATTERN = re.compile(r"^[0-9a-fA-F]{32}$")

ENV_CLIENT_ID = "SPOTIPY_CLIENT_ID"
ENV_ACCOUNTS_URL = "NOWPLAYING_ACCOUNTS_URL"
ENV_API_URL = "NOWPLAYING_API_URL"
ENV_LYRICS_URL = "NOWPLAYING_LYRICS_URL"


# The allowed range of every numeric setting, inclusive. Outside it (NaN and infinity
# included) the default is used: a timeout of 0 or a poll every 0 s only does harm.
SETTING_RANGES: dict[str, tuple[int, int]] = {
    "redirect_port": (1024, 65535),  # lower ports need root to listen on
    "login_timeout_s": (30, 1800),
    "request_timeout_s": (1, 60),
    "poll_interval_s": (2, 60),
    "daily_request_budget": (50, 1_000_000),
    "overlay_port": (1024, 65535),
    "lyrics_offset_ms": (-10_000, 10_000),  # a positive offset shows each line sooner
}
# Settings where 0 means "off" rather than a value below the range.
ZERO_IS_OFF = ("overlay_port",)
URL_KEYS = ("accounts_url", "api_url", "lyrics_url")
TEMPLATE_SETTINGS = ("tooltip_template", "nowplaying_template")


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
    # The stream overlay's port on 127.0.0.1; 0 = no overlay (no server, no thread).
    overlay_port: int = 0
    # Synced lyrics from LRCLIB (title, artist, album and duration are sent there).
    lyrics: bool = True
    lyrics_offset_ms: int = 0
    lyrics_url: str = DEFAULT_LYRICS_URL
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
    # One line per thing in the file (or environment) that could not be used.
    problems: tuple[str, ...] = ()

    @property
    def problem(self) -> str | None:
        """The problems as one message for the person, else None."""
        return "\n".join(self.problems) or None


class SettingsStore:
    """Loads and saves ``settings.json``; a broken file never stops the app."""

    FILE_NAME = "settings.json"

    def __init__(self, paths: AppPaths, environ: Mapping[str, str] | None = None) -> None:
        self.path = paths.config_dir / self.FILE_NAME
        self._environ = os.environ if environ is None else environ

    def load(self) -> LoadResult:
        """The settings; a bad value is replaced by its default and named in ``problems``."""
        values, problems, unreadable = self._read_file()
        if unreadable is not None:
            problems = [self._set_aside(unreadable)]
        else:
            for problem in problems:
                logger.warning("%s", problem)
        settings, env_problems = self._apply_environment(Settings(**values))
        for problem in env_problems:
            logger.warning("%s", problem)
        return LoadResult(settings, tuple(problems + env_problems))

    def save(self, settings: Settings) -> None:
        data = settings.to_file_dict()
        # Values that came from the environment are not the user's choice: keep the file's.
        if settings.env_overrides:
            on_disk = self.load_file_only()
            for key in settings.env_overrides:
                data[key] = getattr(on_disk, key)
        _, problems, unreadable = self._read_file()
        if problems or unreadable is not None:
            # Saving replaces what could not be used: keep the file as the person wrote it.
            self._back_up(move=False)
        try:
            write_text_atomic(self.path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        except OSError as exc:
            raise FileWriteFailed(self.path, exc.strerror or str(exc)) from exc
        logger.info("Settings saved to %s", self.path)

    def file_sets(self, key: str) -> bool:
        """Whether the file itself holds a usable value for ``key`` (not just the default)."""
        return key in self._read_file()[0]

    def load_file_only(self) -> Settings:
        return Settings(**self._read_file()[0])

    def _read_file(self) -> tuple[dict[str, Any], list[str], Exception | None]:
        """(usable values, a line per unusable key, why the whole file is unreadable)."""
        if not self.path.exists():
            return {}, [], None
        try:
            raw = read_json_file(self.path)  # bounded; a UTF-8 byte order mark is fine
        except (OSError, ValueError) as exc:
            return {}, [], exc
        if not isinstance(raw, dict):
            return {}, [], ValueError("the file does not hold a JSON object")
        values, problems = _validated(raw)
        if unknown := _unknown_keys(raw):
            problems.append(unknown)
        return values, [f"In {self.path}: {line}" for line in problems], None

    def _set_aside(self, exc: Exception) -> str:
        backup = self._back_up(move=True)
        logger.warning("Settings file %s is broken (%s); using defaults", self.path, exc)
        kept = f"the broken file was kept as {backup}" if backup else "it was left where it is"
        return (
            f"The settings file {self.path} could not be read ({exc}); defaults are used, {kept}."
        )

    def _back_up(self, move: bool) -> Path | None:
        """Keep the file as ``settings.json.<time>.bak``, never overwriting an earlier backup."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        backup = self.path.with_name(f"{self.path.name}.{stamp}.bak")
        number = 1
        while backup.exists():
            number += 1
            backup = self.path.with_name(f"{self.path.name}.{stamp}-{number}.bak")
        try:
            if move:
                self.path.replace(backup)
                backup.chmod(0o600)  # a file written by hand may have been readable by all
            else:
                # O_EXCL: never over an earlier backup; 0600 like every file we write.
                flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
                with os.fdopen(os.open(backup, flags, 0o600), "wb") as copy:
                    copy.write(self.path.read_bytes())
        except OSError:
            logger.warning("Could not keep a copy of the settings file", exc_info=True)
            return None
        logger.info("Settings file kept as %s", backup)
        return backup

    def _apply_environment(self, settings: Settings) -> tuple[Settings, list[str]]:
        overrides: dict[str, Any] = {}
        problems: list[str] = []
        for env_name, key in (
            (ENV_CLIENT_ID, "client_id"),
            (ENV_ACCOUNTS_URL, "accounts_url"),
            (ENV_API_URL, "api_url"),
            (ENV_LYRICS_URL, "lyrics_url"),
        ):
            value = self._environ.get(env_name, "").strip()
            if value and key in URL_KEYS and (why := url_problem(value)):
                problems.append(f"{env_name} {why}; it is ignored.")
            elif value:
                overrides[key] = value.rstrip("/") if key in URL_KEYS else value
        if not overrides:
            return settings, problems
        return settings.with_changes(env_overrides=frozenset(overrides), **overrides), problems


def url_problem(value: str) -> str | None:
    """Why ``value`` is not a usable service address; None when it is."""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        return f"must be an http or https URL with a host, not {shown(value)}"
    return None


def _validated(raw: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The usable values of ``raw``, and one line per key whose value is not usable."""
    defaults = Settings()
    values: dict[str, Any] = {}
    problems: list[str] = []
    for f in fields(Settings):
        if f.name == "env_overrides" or f.name not in raw:
            continue
        default = getattr(defaults, f.name)
        why = _value_problem(f.name, raw[f.name], default)
        if why is None:
            value = raw[f.name]
            if isinstance(default, tuple):  # a JSON list of names
                value = tuple(value)
            values[f.name] = float(value) if isinstance(default, float) else value
        else:
            problems.append(f'"{f.name}" {why}; the default {shown(default)} is used.')
    for key in URL_KEYS:
        if key in values:
            values[key] = values[key].rstrip("/")
    return values, problems


def shown(value: Any) -> str:
    """A value as the settings file writes it: JSON, whole numbers without ".0"."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, tuple):
        value = [
            int(item) if isinstance(item, float) and item.is_integer() else item for item in value
        ]
    return json.dumps(value, ensure_ascii=False)


def _unknown_keys(raw: dict[str, Any]) -> str | None:
    """One line naming every key the app does not know (a typo such as "pol_interval_s")."""
    known = [f.name for f in fields(Settings) if f.name != "env_overrides"]
    unknown = [key for key in raw if key not in known]
    if not unknown:
        return None
    names = []
    for key in unknown:
        import difflib  # only for a settings file with an unknown key

        close = difflib.get_close_matches(key, known, n=1)
        names.append(shown(key) + (f" (did you mean {shown(close[0])}?)" if close else ""))
    noun = "key is" if len(unknown) == 1 else "keys are"
    return f"unknown {noun} ignored: {', '.join(names)}."


def _value_problem(key: str, value: Any, default: Any) -> str | None:
    expected = type(default)
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    if expected is float and is_number:
        pass
    elif expected is tuple:
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            return f"should be a list of names, not {shown(value)}"
    elif not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        kind = {bool: "true or false", int: "a whole number", float: "a number", str: "text"}
        return f"should be {kind[expected]}, not {shown(value)}"
    if key in SETTING_RANGES and not (key in ZERO_IS_OFF and value == 0):
        low, high = SETTING_RANGES[key]
        if (isinstance(value, float) and not math.isfinite(value)) or not low <= value <= high:
            off = "0 (off) or " if key in ZERO_IS_OFF else ""
            return f"must be {off}between {low} and {high}, not {shown(value)}"
    if key in URL_KEYS:
        return url_problem(value)
    if key in TEMPLATE_SETTINGS and (problem := template_problem(value)):
        return f"is not a usable template ({problem.message})"
    return None


__all__ = [
    "DEFAULT_ACCOUNTS_URL",
    "DEFAULT_API_URL",
    "DEFAULT_LYRICS_URL",
    "DEFAULT_REDIRECT_PORT",
    "SETTING_RANGES",
    "ZERO_IS_OFF",
    "LoadResult",
    "Settings",
    "SettingsStore",
    "is_valid_client_id",
    "redirect_uri_for",
    "url_problem",
]
