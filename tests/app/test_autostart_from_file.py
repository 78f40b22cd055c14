"""A hand-edited ``"autostart"`` in settings.json takes effect at the next start."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from nowplaying_tray.app import TrayApp
from nowplaying_tray.core.memory_keyring import MemoryKeyring
from nowplaying_tray.core.paths import AppPaths
from nowplaying_tray.core.settings import Settings, SettingsStore

from .conftest import dispose, make_app


def start_with_file(
    qtbot: QtBot,
    file: dict[str, object],
    settings: Settings,
    app_paths: AppPaths,
    memory_keyring: MemoryKeyring,
    done: Callable[[], bool] = lambda: True,
) -> None:
    app_paths.config_dir.mkdir(parents=True, exist_ok=True)
    store = SettingsStore(app_paths)
    store.path.write_text(json.dumps(file | {"client_id": settings.client_id}), encoding="utf-8")
    loaded = SettingsStore(app_paths).load().settings
    app = make_app(
        loaded.with_changes(accounts_url=settings.accounts_url, api_url=settings.api_url),
        app_paths,
        memory_keyring,
    )
    try:
        app.start()
        # The entry is synced a moment after the start (once the first playback is shown).
        qtbot.waitUntil(lambda: start_chores_done(app) and done(), timeout=5000)
    finally:
        dispose(app)


def start_chores_done(app: TrayApp) -> bool:
    """The start's later reads (the login's age, then the entry) were made and answered."""
    check = app.login_watch.findChild(QTimer, "login-expiry-check")
    return check is not None and check.isActive() and app.runner.pending == 0


@pytest.fixture
def entry(app_paths: AppPaths) -> Path:
    return Path(app_paths.config_dir).parent / "autostart" / "nowplaying-tray.desktop"


def test_autostart_true_in_the_file_makes_the_entry(
    qtbot: QtBot,
    settings: Settings,
    app_paths: AppPaths,
    memory_keyring: MemoryKeyring,
    entry: Path,
) -> None:
    start_with_file(
        qtbot,
        {"autostart": True},
        settings,
        app_paths,
        memory_keyring,
        lambda: entry.is_file() and "Exec=" in entry.read_text(),
    )


def test_autostart_false_in_the_file_removes_the_entry(
    qtbot: QtBot,
    settings: Settings,
    app_paths: AppPaths,
    memory_keyring: MemoryKeyring,
    entry: Path,
) -> None:
    entry.parent.mkdir(parents=True)
    entry.write_text("[Desktop Entry]\n")
    start_with_file(
        qtbot, {"autostart": False}, settings, app_paths, memory_keyring, lambda: not entry.exists()
    )


def test_without_the_key_an_entry_made_elsewhere_stays(
    qtbot: QtBot,
    settings: Settings,
    app_paths: AppPaths,
    memory_keyring: MemoryKeyring,
    entry: Path,
) -> None:
    entry.parent.mkdir(parents=True)
    entry.write_text("[Desktop Entry]\n")  # an installer's, say
    start_with_file(qtbot, {}, settings, app_paths, memory_keyring)
    assert entry.read_text() == "[Desktop Entry]\n"
