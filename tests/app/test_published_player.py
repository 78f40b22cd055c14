"""Our published player against playerctl and dbus-send on a private bus: Volume, Shuffle,
LoopStatus and Rate are read and written as the MPRIS specification says, Stop and
SetPosition behave as it says, and the properties interface answers strict clients."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable, Iterator

import pytest
from jeepney import DBusAddress, MessageType, new_method_call
from jeepney.io.blocking import open_dbus_connection
from pytestqt.qtbot import QtBot

from nowplaying_tray.app import TrayApp
from nowplaying_tray.core.memory_keyring import MemoryKeyring
from nowplaying_tray.core.paths import AppPaths
from nowplaying_tray.core.settings import Settings
from nowplaying_tray.simulator import SpotifySimulator
from nowplaying_tray.simulator.catalog import demo_playlist
from tests.app.conftest import dispose, make_app
from tests.desktop_support import require_tools
from tests.desktop_support.players import playerctl_our_player as playerctl

NAME = "org.mpris.MediaPlayer2.nowplaying_tray"
PATH = "/org/mpris/MediaPlayer2"
PLAYER = "org.mpris.MediaPlayer2.Player"
PROPERTIES = "org.freedesktop.DBus.Properties"


@pytest.fixture
def app(
    qtbot: QtBot,
    private_bus: str,
    sim: SpotifySimulator,
    logged_in: Settings,
    app_paths: AppPaths,
    memory_keyring: MemoryKeyring,
) -> Iterator[TrayApp]:
    """The app logged in to the simulator, its player published on the private bus."""
    require_tools("playerctl", "dbus-send")
    app = make_app(logged_in, app_paths, memory_keyring, mpris=True)
    try:
        assert app.mpris_server is not None
        with qtbot.waitSignal(app.mpris_server.published_changed, timeout=5000):
            app.start()
        yield app
    finally:
        dispose(app)


def dbus_send(method: str, *args: str) -> str:
    """dbus-send's reply, or ``error <name>`` for an error reply."""
    done = subprocess.run(
        ["dbus-send", "--session", "--print-reply", f"--dest={NAME}", PATH, method, *args],
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )
    if done.returncode != 0:
        found = re.search(r"Error (\S+?):", done.stderr)
        return f"error {found[1] if found else done.stderr.strip()}"
    return done.stdout


def set_property(name: str, variant: str) -> str:
    return dbus_send(f"{PROPERTIES}.Set", f"string:{PLAYER}", f"string:{name}", variant)


def number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return float("nan")


def test_volume_reads_the_device_and_writes_through_the_web_api(
    qtbot: QtBot, app: TrayApp, sim: SpotifySimulator
) -> None:
    assert number(playerctl("volume")) == pytest.approx(0.70)  # the device's volume_percent
    assert playerctl("volume", "0.3") == ""
    qtbot.waitUntil(lambda: number(playerctl("volume")) == pytest.approx(0.30), timeout=5000)
    assert sim.player.state().device["volume_percent"] == 30
    assert sim.count("/v1/me/player/volume", "PUT") == 1

    # A burst of writes (a scrolled widget) is debounced like the card's slider: the
    # first and the last.
    qtbot.waitUntil(lambda: app.controls.idle, timeout=5000)
    with open_dbus_connection(bus="SESSION") as connection:
        address = DBusAddress(PATH, bus_name=NAME, interface=PROPERTIES)
        for volume in (0.4, 0.5, 0.6, 0.65):
            message = new_method_call(address, "Set", "ssv", (PLAYER, "Volume", ("d", volume)))
            connection.send(message)
    qtbot.waitUntil(lambda: sim.player.state().device["volume_percent"] == 65, timeout=5000)
    assert sim.count("/v1/me/player/volume", "PUT") == 3
    qtbot.waitUntil(lambda: number(playerctl("volume")) == pytest.approx(0.65), timeout=5000)


def test_a_device_without_volume_control_refuses_volume_writes(
    qtbot: QtBot,
    private_bus: str,
    sim: SpotifySimulator,
    logged_in: Settings,
    app_paths: AppPaths,
    memory_keyring: MemoryKeyring,
) -> None:
    sim.player.device["supports_volume"] = False  # before anything reads it
    app = make_app(logged_in, app_paths, memory_keyring, mpris=True)
    try:
        assert app.mpris_server is not None
        with qtbot.waitSignal(app.mpris_server.published_changed, timeout=5000):
            app.start()
        require_tools("dbus-send")
        assert set_property("Volume", "variant:double:0.3") == (
            "error org.freedesktop.DBus.Error.NotSupported"
        )
        assert playerctl("volume", "0.3").startswith("error")  # playerctl says so too
        assert sim.count("/v1/me/player/volume", "PUT") == 0
    finally:
        dispose(app)


def test_shuffle_and_loop_status_are_published_and_writable(
    qtbot: QtBot, app: TrayApp, sim: SpotifySimulator
) -> None:
    assert (playerctl("shuffle"), playerctl("loop")) == ("Off", "Playlist")  # repeat context
    assert playerctl("shuffle", "On") == ""
    qtbot.waitUntil(lambda: playerctl("shuffle") == "On", timeout=5000)
    assert sim.player.state().shuffle is True

    assert playerctl("loop", "Track") == ""
    qtbot.waitUntil(lambda: playerctl("loop") == "Track", timeout=5000)
    assert sim.player.state().repeat_state == "track"
    assert playerctl("loop", "None") == ""
    qtbot.waitUntil(lambda: playerctl("loop") == "None", timeout=5000)
    assert playerctl("loop", "Playlist") == ""
    qtbot.waitUntil(lambda: playerctl("loop") == "Playlist", timeout=5000)
    assert sim.player.state().repeat_state == "context"
    assert sim.count("/v1/me/player/repeat", "PUT") == 3
    assert set_property("LoopStatus", "variant:string:Forever") == (
        "error org.freedesktop.DBus.Error.InvalidArgs"
    )


def test_shuffle_and_loop_are_refused_where_spotify_disallows_them(
    qtbot: QtBot, app: TrayApp, sim: SpotifySimulator
) -> None:
    first = demo_playlist()[0]
    sim.player.set_queue([first])  # a single item, no context: nothing to shuffle or repeat
    app.session.poll_now("test")
    qtbot.waitUntil(
        lambda: app.hub.playback is not None and not app.hub.playback.allows("toggling_shuffle"),
        timeout=5000,
    )
    refused = "error org.freedesktop.DBus.Error.NotSupported"
    assert set_property("Shuffle", "variant:boolean:true") == refused
    assert set_property("LoopStatus", "variant:string:Track") == refused
    assert sim.count("/v1/me/player/shuffle", "PUT") == sim.count("/v1/me/player/repeat") == 0


def test_rate_one_is_accepted_zero_pauses_and_others_are_refused(
    qtbot: QtBot, app: TrayApp, sim: SpotifySimulator
) -> None:
    assert "double 1" in dbus_send(f"{PROPERTIES}.Get", f"string:{PLAYER}", "string:Rate")
    assert not set_property("Rate", "variant:double:1.0").startswith("error")
    assert set_property("Rate", "variant:double:2.0") == (
        "error org.freedesktop.DBus.Error.InvalidArgs"
    )
    assert sim.count("/v1/me/player/pause", "PUT") == 0
    assert not set_property("Rate", "variant:double:0.0").startswith("error")
    qtbot.waitUntil(lambda: playerctl("status") == "Paused", timeout=5000)
    assert sim.count("/v1/me/player/pause", "PUT") == 1


def test_stop_is_stopped_and_play_starts_the_item_again(
    qtbot: QtBot, app: TrayApp, sim: SpotifySimulator
) -> None:
    sim.player.seek(15_000)
    app.session.poll_now("test")
    qtbot.waitUntil(lambda: number(playerctl("position")) >= 15, timeout=5000)
    title = playerctl("metadata", "xesam:title")

    assert playerctl("stop") == ""
    assert playerctl("status") == "Stopped"
    assert number(playerctl("position")) == 0
    qtbot.waitUntil(lambda: not sim.player.is_playing, timeout=5000)
    app.session.poll_now("test")
    qtbot.waitUntil(lambda: app.hub.playback is not None and not app.hub.playback.is_playing)
    assert playerctl("status") == "Stopped"  # paused on Spotify, Stopped here

    assert playerctl("play") == ""
    qtbot.waitUntil(lambda: playerctl("status") == "Playing", timeout=5000)
    assert sim.player.progress_ms() < 15_000  # from the start, not where it stopped
    assert sim.count("/v1/me/player/seek", "PUT") == 1
    assert playerctl("metadata", "xesam:title") == title


def test_set_position_outside_the_item_does_nothing(
    qtbot: QtBot, app: TrayApp, sim: SpotifySimulator
) -> None:
    trackid = playerctl("metadata", "mpris:trackid").strip("'")
    length_us = int(playerctl("metadata", "mpris:length"))
    for position in (length_us + 1_000_000, -5_000_000):
        reply = dbus_send(f"{PLAYER}.SetPosition", f"objpath:{trackid}", f"int64:{position}")
        assert not reply.startswith("error")
    # A valid one afterwards is the only seek; nothing skipped to the next item.
    dbus_send(f"{PLAYER}.SetPosition", f"objpath:{trackid}", "int64:12000000")
    qtbot.waitUntil(lambda: sim.count("/v1/me/player/seek", "PUT") == 1, timeout=5000)
    assert 12_000 <= sim.player.progress_ms() < 20_000
    assert sim.count("/v1/me/player/next", "POST") == 0


def test_the_properties_interface_answers_as_the_dbus_specification_says(app: TrayApp) -> None:
    assert dbus_send(f"{PROPERTIES}.GetAll", "string:org.example.Nothing") == (
        "error org.freedesktop.DBus.Error.UnknownInterface"
    )
    # Without an interface header, Get is found by its member name.
    with open_dbus_connection(bus="SESSION") as connection:
        address = DBusAddress(PATH, bus_name=NAME)
        get = new_method_call(address, "Get", "ss", (PLAYER, "PlaybackStatus"))
        reply = connection.send_and_get_reply(get, timeout=5)
    assert reply.header.message_type is MessageType.method_return
    assert reply.body == (("s", "Playing"),)


def test_an_advert_has_a_clean_trackid(qtbot: QtBot, app: TrayApp, sim: SpotifySimulator) -> None:
    ad = next(
        i for i, entry in enumerate(demo_playlist()) if entry["currently_playing_type"] == "ad"
    )
    sim.player.play_index(ad)
    app.session.poll_now("test")
    qtbot.waitUntil(lambda: playerctl("metadata", "xesam:title") == "Advertisement", timeout=5000)
    trackid = playerctl("metadata", "mpris:trackid").strip("'")
    assert re.fullmatch(r"/org/nowplaying_tray/item/ad_[0-9a-f]{16}", trackid), trackid


def test_a_poll_that_changes_nothing_published_sends_nothing_over_the_bus(
    qtbot: QtBot, app: TrayApp, sim: SpotifySimulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    bus = app.dbus
    assert bus is not None
    jobs: list[object] = []
    submit = bus.submit

    def counted(job: Callable[[], None]) -> None:
        jobs.append(job)
        submit(job)

    monkeypatch.setattr(bus, "submit", counted)  # the app's one D-Bus connection

    def poll() -> None:
        with qtbot.waitSignal(app.hub.playback_changed, timeout=5000):  # a new reading
            app.session.poll_now("test")

    assert playerctl("status") == "Playing"
    for _ in range(3):
        poll()
    assert jobs == []  # the same item, playing on where it was: nothing to tell the bus
    assert playerctl("status") == "Playing"

    sim.player.set_volume(40)
    poll()
    assert len(jobs) == 1
    qtbot.waitUntil(lambda: number(playerctl("volume")) == pytest.approx(0.40), timeout=5000)
    assert number(playerctl("position")) < 10
    sim.player.seek(15_000)
    poll()
    assert len(jobs) == 2
    qtbot.waitUntil(lambda: number(playerctl("position")) >= 15, timeout=5000)
    sim.player.pause()
    poll()
    assert len(jobs) == 3
    qtbot.waitUntil(lambda: playerctl("status") == "Paused", timeout=5000)
