"""First run and the settings window, through the running app: applied live and saved."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QSpinBox
from pytestqt.qtbot import QtBot

from nowplaying_tray.app import TrayApp
from nowplaying_tray.core.memory_keyring import MemoryKeyring
from nowplaying_tray.core.paths import AppPaths
from nowplaying_tray.core.settings import Settings, SettingsStore
from nowplaying_tray.simulator import DEMO_CLIENT_ID, SpotifySimulator, make_track
from nowplaying_tray.ui.settings.window import ToggleSwitch
from tests.app.conftest import dispose, make_app
from tests.support import widgets


@pytest.fixture
def fresh_app(
    qtbot: QtBot, sim: SpotifySimulator, app_paths: AppPaths, memory_keyring: MemoryKeyring
) -> Iterator[TrayApp]:
    """A first start: no client ID yet, Spotify's addresses pointed at the simulator."""
    settings = Settings(accounts_url=sim.accounts_url, api_url=sim.api_url, redirect_port=0)
    app = make_app(settings, app_paths, memory_keyring)
    with qtbot.waitSignal(app.poller.stopped, timeout=5000):
        app.start()
    yield app
    dispose(app)


def saved(paths: AppPaths) -> dict:
    """The settings file as saved so far ({} until the worker has written it)."""
    path = paths.config_dir / SettingsStore.FILE_NAME
    return json.loads(path.read_text()) if path.exists() else {}


def test_first_run_walks_through_setup_to_playing(
    qtbot: QtBot, fresh_app: TrayApp, app_paths: AppPaths
) -> None:
    assert fresh_app.tray.tooltip() == "Set up needed — click to set up"
    setup = fresh_app.windows.setup
    assert setup is not None and setup.isVisible()

    widgets.line_edit(setup, "clientId").setText("not an id")
    assert not widgets.button(setup, "loginButton").isEnabled()
    widgets.line_edit(setup, "clientId").setText(f"  {DEMO_CLIENT_ID}\n")
    assert widgets.button(setup, "loginButton").isEnabled()
    with qtbot.waitSignal(fresh_app.hub.playback_changed, timeout=10_000):
        widgets.button(setup, "loginButton").click()
    assert widgets.setup_status(setup) == "Logged in as Demo Listener"
    assert fresh_app.tray.status is not None and fresh_app.tray.status.kind.value == "playing"
    qtbot.waitUntil(lambda: saved(app_paths).get("client_id") == DEMO_CLIENT_ID)


def test_not_allow_listed_is_explained_in_setup(
    qtbot: QtBot, fresh_app: TrayApp, sim: SpotifySimulator
) -> None:
    sim.set_allow_listed(False)
    setup = fresh_app.windows.setup
    assert setup is not None
    widgets.line_edit(setup, "clientId").setText(DEMO_CLIENT_ID)
    with qtbot.waitSignal(fresh_app.account.login_failed, timeout=10_000):
        widgets.button(setup, "loginButton").click()
    assert widgets.highlighted(setup, "developmentNote")
    assert "User Management" in widgets.banner_text(setup, "errorBanner")


def open_settings(app: TrayApp):
    app.tray.menu.aboutToShow.emit()
    widgets.menu_entry(app.tray.menu, "settings").trigger()
    assert app.windows.settings is not None and app.windows.settings.isVisible()
    return app.windows.settings


def test_settings_apply_live_and_are_saved(
    qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator, app_paths: AppPaths
) -> None:
    window = open_settings(started_app)
    qtbot.waitUntil(lambda: widgets.account_text(window) == "Logged in as Demo Listener")
    editors = widgets.setting_editors(window)

    interval = editors["poll_interval_s"]
    assert isinstance(interval, QSpinBox)
    interval.setValue(9)
    interval.editingFinished.emit()
    assert started_app.poller.config.playing_interval_s == 9
    qtbot.waitUntil(lambda: saved(app_paths).get("poll_interval_s") == 9)

    notifications = editors["notifications"]
    assert isinstance(notifications, ToggleSwitch)
    notifications.click()
    assert started_app.announcer.rules.enabled is False
    qtbot.waitUntil(lambda: saved(app_paths).get("notifications") is False)

    sim.player.set_queue([make_track("Song", ["Band"], "Record", 200_000)])
    template = editors["tooltip_template"]
    template.setPlainText("♪ {artist}: {title}")  # type: ignore[attr-defined]
    template.editingFinished.emit()  # type: ignore[attr-defined]
    with qtbot.waitSignal(started_app.hub.playback_changed, timeout=5000):
        started_app.refresh()
    assert started_app.tray.tooltip() == "♪ Band: Song"


def test_start_at_login_from_settings(
    qtbot: QtBot, started_app: TrayApp, app_paths: AppPaths
) -> None:
    entry = Path(app_paths.config_dir).parent / "autostart" / "nowplaying-tray.desktop"
    window = open_settings(started_app)
    switch = widgets.setting_editors(window)["autostart"]
    assert isinstance(switch, ToggleSwitch)
    switch.click()
    qtbot.waitUntil(entry.is_file)
    assert "Exec=" in entry.read_text()
    switch.click()
    qtbot.waitUntil(lambda: not entry.exists())


def test_now_playing_file_from_settings(
    qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator, tmp_path: Path
) -> None:
    target = tmp_path / "obs" / "nowplaying.txt"
    cover = tmp_path / "obs" / "cover.png"
    window = open_settings(started_app)
    for name, value in (("nowplaying_file", target), ("nowplaying_art_file", cover)):
        editor = widgets.setting_editors(window)[name]
        editor.setText(str(value))  # type: ignore[attr-defined]
        editor.editingFinished.emit()  # type: ignore[attr-defined]
    sim.player.set_queue([make_track("Live Song", ["The Band"], "Live", 200_000)])
    started_app.refresh()
    qtbot.waitUntil(lambda: target.exists() and target.read_text() == "The Band — Live Song")
    qtbot.waitUntil(cover.exists)
    assert cover.read_bytes().startswith(b"\x89PNG")
    sim.player.set_idle()
    started_app.refresh()
    qtbot.waitUntil(lambda: target.read_text() == "")


def test_changing_the_client_id_needs_a_new_login(
    qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator
) -> None:
    other = "0123456789abcdef0123456789abcdef"
    sim.register_client(other)
    window = open_settings(started_app)
    editor = widgets.setting_editors(window)["client_id"]
    with qtbot.waitSignal(started_app.poller.stopped, timeout=5000):
        editor.setText(other)  # type: ignore[attr-defined]
        editor.editingFinished.emit()  # type: ignore[attr-defined]
    assert started_app.tray.tooltip() == "Not logged in — click to log in"


def test_settings_show_todays_requests_against_the_budget(
    qtbot: QtBot, started_app: TrayApp
) -> None:
    window = open_settings(started_app)
    bar = window.budget_bar
    assert bar is not None and bar.isVisible()
    assert started_app.budget.view().spent > 0  # the first poll, at least

    def bar_matches_the_count() -> bool:
        # A poll may land between two reads: compare a fresh reading with the count.
        bar.refresh()
        return bar.value() == (started_app.budget.view().spent, 1000)

    qtbot.waitUntil(bar_matches_the_count)
    spent = bar.value()[0]
    assert bar.text().startswith(f"{spent:,} of 1,000 requests to Spotify in the last 24 hours")
    started_app.preferences.apply(started_app.settings.with_changes(daily_request_budget=50))
    assert started_app.budget.limit == 50
    bar.refresh()
    assert bar.value()[1] == 50 and " of 50 requests" in bar.text()
