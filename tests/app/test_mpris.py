"""MPRIS on a private session bus: a local player answers first, and Web API playback is
published for playerctl, media keys and desktop shells."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from nowplaying_tray.app import TrayApp
from nowplaying_tray.core.memory_keyring import MemoryKeyring
from nowplaying_tray.core.paths import AppPaths
from nowplaying_tray.core.playback_choice import SourceKind
from nowplaying_tray.core.settings import Settings
from nowplaying_tray.services.notifications.desktop import Notification
from nowplaying_tray.simulator import SpotifySimulator
from nowplaying_tray.simulator.catalog import demo_playlist, entry_title
from nowplaying_tray.simulator.desktop_client import DesktopClient
from nowplaying_tray.ui.popup.widgets import ProgressLine, VolumeSlider
from tests.app.conftest import dispose, make_app
from tests.desktop_support import require_tools
from tests.desktop_support.players import playerctl_our_player as playerctl
from tests.support.eager_player import EagerPlayer
from tests.support.web_api import web_api_requests
from tests.support.widgets import recent_entries

TITLES = [entry_title(entry) for entry in demo_playlist()]


@pytest.fixture
def bus(private_bus: str) -> str:
    require_tools("playerctl")
    return private_bus


@pytest.fixture
def desktop_client(bus: str, sim: SpotifySimulator) -> Iterator[DesktopClient]:
    """The stand-in Spotify client, playing the third demo item, art from the simulator."""
    client = DesktopClient(bus, art_base=sim.base_url).start()
    client.play(2)
    yield client
    client.quit()


def mpris_app(settings: Settings, paths: AppPaths, keyring: MemoryKeyring) -> TrayApp:
    return make_app(settings, paths, keyring, mpris=True)


def shown_title(app: TrayApp) -> str | None:
    playback = app.hub.playback
    return playback.title if playback is not None else None


def is_playing(app: TrayApp) -> bool:
    return app.hub.playback is not None and app.hub.playback.is_playing


def tooltip(app: TrayApp) -> str:
    return app.tray.status.tooltip if app.tray.status else ""


def listed_players() -> list[str]:
    done = subprocess.run(["playerctl", "-l"], capture_output=True, text=True, timeout=10)
    return done.stdout.split()


def test_no_account_local_track_changes_reach_the_tooltip_and_one_notification(
    qtbot: QtBot,
    desktop_client: DesktopClient,
    sim: SpotifySimulator,
    app_paths: AppPaths,
    memory_keyring: MemoryKeyring,
) -> None:
    settings = Settings(client_id="", api_url=sim.api_url, accounts_url=sim.accounts_url)
    desktop_client.play(0)
    app = mpris_app(settings, app_paths, memory_keyring)
    announced: list[Notification] = []
    app.announcer.announce.connect(announced.append)
    try:
        app.start()
        qtbot.waitUntil(lambda: TITLES[0] in tooltip(app), timeout=3000)
        assert app.hub.playback is not None and app.hub.playback.device == "Spotify"
        assert announced == []  # the track playing at start-up is not announced

        desktop_client.next()
        qtbot.waitUntil(lambda: TITLES[1] in tooltip(app), timeout=1000)
        qtbot.waitUntil(lambda: len(announced) == 1, timeout=3000)  # once the art is in
        recent = [action.text() for action in recent_entries(app.tray.menu)]
        assert [text.split(" — ")[0] for text in recent] == [TITLES[1], TITLES[0]]
        assert announced[0].summary == TITLES[1]
        assert announced[0].image_path  # the art came from the player's artUrl

        app.controls.next()  # goes to the local player over MPRIS
        qtbot.waitUntil(lambda: TITLES[2] in tooltip(app), timeout=1000)
        assert desktop_client.index == 2
        qtbot.waitUntil(lambda: len(announced) == 2, timeout=3000)
        assert web_api_requests(sim) == []
    finally:
        dispose(app)


def test_handover_local_then_connect_then_local_and_back_when_it_pauses(
    qtbot: QtBot,
    desktop_client: DesktopClient,
    bus: str,
    sim: SpotifySimulator,
    logged_in: Settings,
    app_paths: AppPaths,
    memory_keyring: MemoryKeyring,
) -> None:
    sim.clear_log()
    app = mpris_app(logged_in, app_paths, memory_keyring)
    try:
        app.start()
        qtbot.waitUntil(lambda: TITLES[2] in tooltip(app), timeout=3000)
        for step in (3, 4, 5):  # an advert, right-to-left text, an episode with no artist
            desktop_client.next()
            qtbot.waitUntil(lambda step=step: shown_title(app) == TITLES[step], timeout=1000)
        assert "The Loop Station" in tooltip(app)  # the show stands in for the artist
        assert web_api_requests(sim) == []
        assert app.poller.suspended

        desktop_client.quit()  # the desktop client closes: the Web API answers, within 1 s
        qtbot.waitUntil(lambda: TITLES[0] in tooltip(app), timeout=1000)
        assert not app.poller.suspended
        assert web_api_requests(sim)
        qtbot.waitUntil(lambda: "nowplaying_tray" in listed_players(), timeout=2000)

        again = DesktopClient(bus, art_base=sim.base_url).start()
        try:
            again.play(8)
            qtbot.waitUntil(lambda: TITLES[8] in tooltip(app), timeout=1000)
            assert app.poller.suspended
            qtbot.waitUntil(lambda: "nowplaying_tray" not in listed_players(), timeout=2000)
            sim.clear_log()
            again.pause()  # a paused local player does not hide what plays on the phone
            qtbot.waitUntil(lambda: TITLES[0] in tooltip(app) and is_playing(app), timeout=2000)
            assert not app.poller.suspended and web_api_requests(sim)
            qtbot.waitUntil(lambda: "nowplaying_tray" in listed_players(), timeout=2000)
        finally:
            again.quit()
    finally:
        dispose(app)


def test_a_player_that_plays_right_after_it_is_first_read_is_shown_playing(
    qtbot: QtBot,
    bus: str,
    sim: SpotifySimulator,
    app_paths: AppPaths,
    memory_keyring: MemoryKeyring,
) -> None:
    # Its PropertiesChanged comes before the reply to our first read, which is older;
    # the reply must not undo it. Twice: a player that comes back is read afresh.
    settings = Settings(client_id="", api_url=sim.api_url, accounts_url=sim.accounts_url)
    app = mpris_app(settings, app_paths, memory_keyring)
    try:
        app.start()
        for round_ in range(2):
            title = f"Eager start {round_}"
            with EagerPlayer(bus, title):
                qtbot.waitUntil(lambda title=title: shown_title(app) == title, timeout=1000)
                assert is_playing(app) and (app.hub.source is SourceKind.LOCAL)
            qtbot.waitUntil(lambda: app.hub.source is not SourceKind.LOCAL, timeout=1000)
    finally:
        dispose(app)


def test_playerctl_lists_reads_and_controls_the_published_player(
    qtbot: QtBot,
    bus: str,
    sim: SpotifySimulator,
    logged_in: Settings,
    app_paths: AppPaths,
    memory_keyring: MemoryKeyring,
) -> None:
    app = mpris_app(logged_in, app_paths, memory_keyring)
    try:
        assert app.mpris_server is not None
        with qtbot.waitSignal(app.mpris_server.published_changed, timeout=5000):
            app.start()
        assert "nowplaying_tray" in listed_players()
        assert playerctl("metadata", "xesam:title") == TITLES[0]
        assert playerctl("metadata", "xesam:artist") == "The Velvet Orchard"
        assert playerctl("status") == "Playing"

        assert playerctl("next") == ""
        qtbot.waitUntil(lambda: playerctl("metadata", "xesam:title") == TITLES[1], timeout=3000)
        assert sim.count("/v1/me/player/next", "POST") == 1

        assert playerctl("pause") == ""
        qtbot.waitUntil(lambda: playerctl("status") == "Paused", timeout=3000)
        assert playerctl("play-pause") == ""
        qtbot.waitUntil(lambda: playerctl("status") == "Playing", timeout=3000)
        position = float(playerctl("position"))
        assert 0 <= position <= 28

        # SetPosition from the bus is one Web API seek; the player then reports it.
        assert playerctl("position", "15") == ""
        qtbot.waitUntil(lambda: sim.count("/v1/me/player/seek", "PUT") == 1, timeout=3000)
        qtbot.waitUntil(lambda: 15 <= float(playerctl("position")) < 20, timeout=8000)
    finally:
        dispose(app)


def open_local_card(qtbot: QtBot, app: TrayApp, title: str) -> tuple[ProgressLine, VolumeSlider]:
    app.start()
    qtbot.waitUntil(lambda: shown_title(app) == title, timeout=3000)
    app.presenter.show_popup()
    qtbot.waitExposed(app.popup)
    line = app.popup.findChild(ProgressLine, "progress")
    slider = app.popup.findChild(VolumeSlider, "volume")
    assert line is not None and slider is not None
    return line, slider


def test_seek_and_volume_go_to_the_local_player_over_mpris(
    qtbot: QtBot,
    bus: str,
    sim: SpotifySimulator,
    logged_in: Settings,
    app_paths: AppPaths,
    memory_keyring: MemoryKeyring,
) -> None:
    client = DesktopClient(bus, art_base=sim.base_url).start()  # Position always 0, no Seeked
    client.play(0)
    sim.clear_log()
    app = mpris_app(logged_in, app_paths, memory_keyring)
    try:
        line, slider = open_local_card(qtbot, app, TITLES[0])
        qtbot.waitUntil(lambda: slider.isVisible() and slider.value() == 50, timeout=1000)

        x = line.width() // 2
        wanted = line.position_at(x)
        assert wanted > 10_000
        QTest.mouseClick(line, Qt.MouseButton.LeftButton, pos=QPoint(x, line.height() // 2))
        qtbot.waitUntil(lambda: client.seeks == [("SetPosition", wanted * 1000)], timeout=2000)

        # The client sends no Seeked and reads 0: the card keeps the new position (set
        # once the reply is back on the GUI thread).
        def progress() -> int | None:
            return app.hub.playback.progress_ms if app.hub.playback else None

        qtbot.waitUntil(lambda: (progress() or 0) >= wanted, timeout=2000)
        assert (progress() or 0) < wanted + 2000

        slider.setSliderDown(True)
        for value in range(50, 20, -3):
            slider.setSliderPosition(value)
        slider.setSliderDown(False)  # released at 23
        qtbot.waitUntil(lambda: abs(client.volume - 0.23) < 1e-9, timeout=2000)
        qtbot.waitUntil(
            lambda: app.hub.playback is not None and app.hub.playback.volume_percent == 23,
            timeout=2000,
        )
        assert web_api_requests(sim) == []
    finally:
        dispose(app)
        client.quit()


def test_a_local_player_without_volume_shows_no_volume_control(
    qtbot: QtBot,
    bus: str,
    sim: SpotifySimulator,
    logged_in: Settings,
    app_paths: AppPaths,
    memory_keyring: MemoryKeyring,
) -> None:
    client = DesktopClient(bus, art_base=sim.base_url, volume=False).start()
    client.play(1)
    app = mpris_app(logged_in, app_paths, memory_keyring)
    try:
        _line, slider = open_local_card(qtbot, app, TITLES[1])
        assert app.hub.playback is not None and app.hub.playback.volume_percent is None
        assert not slider.isVisible()
    finally:
        dispose(app)
        client.quit()
