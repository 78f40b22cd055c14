"""Which local player is shown, and how, with real mpv and VLC (and playerctl) on a private
session bus: no "Nothing playing" between VLC's items or at a handover, ``now --json`` for a
file, only the actions that apply to a file, a paused mpv never hiding the phone's track,
and of two mpv the one that plays followed."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtGui import QAction
from pytestqt.qtbot import QtBot

from nowplaying_tray.app import TrayApp
from nowplaying_tray.core.memory_keyring import MemoryKeyring
from nowplaying_tray.core.model import Playback, PlaybackState
from nowplaying_tray.core.paths import AppPaths
from nowplaying_tray.core.settings import Settings
from nowplaying_tray.simulator import SpotifySimulator, make_track
from tests.desktop.local_apps import local_app, running, showing, start, tones
from tests.desktop_support.bus import method_call
from tests.desktop_support.players import Tone, make_tone, mpv_player, vlc_player
from tests.support import widgets
from tests.support.browser import browser_command
from tests.support.cli import cli_environment, run_cli
from tests.support.web_api import web_api_requests

__all__ = ["running", "tones"]  # fixtures

PHONE_TITLE = "On The Phone"
PHONE_TRACK = make_track(PHONE_TITLE, ["Connect Band"], "Remote", 240_000)


def test_no_nothing_playing_between_vlc_items_nor_at_a_handover(
    qtbot: QtBot,
    private_bus: str,
    tmp_path: Path,
    tones: tuple[list[Tone], Path],
    sim: SpotifySimulator,
    logged_in: Settings,
    app_paths: AppPaths,
    memory_keyring: MemoryKeyring,
    running: list[TrayApp],
) -> None:
    files, _cover = tones
    short = make_tone(tmp_path / "short", "short.ogg", title="Short", artist="Sine", seconds=2)
    sim.player.set_queue([PHONE_TRACK])  # the phone plays, over Spotify Connect
    shown: list[Playback] = []
    with vlc_player(private_bus, tmp_path / "players") as vlc:
        vlc.open(short.url)
        item = vlc.wait_for_title(short.title)
        app = local_app(logged_in, app_paths, memory_keyring)
        app.hub.playback_changed.connect(shown.append)
        start(qtbot, running, app)
        qtbot.waitUntil(lambda: showing(app, short.title), timeout=10_000)
        # The next item queued behind this one: VLC says Stopped, then plays it.
        method_call(
            private_bus, vlc.bus_name, "/org/mpris/MediaPlayer2",
            "org.mpris.MediaPlayer2.TrackList", "AddTrack", "sob",
            (files[0].url, item["mpris:trackid"], False),
        )  # fmt: skip
        qtbot.waitUntil(lambda: showing(app, files[0].title), timeout=15_000)
        vlc.playerctl("open", files[1].url)  # Stopped, then the new item, again
        qtbot.waitUntil(lambda: showing(app, files[1].title), timeout=15_000)
        since = len(shown)
    # VLC quits: the phone's track takes over without "nothing playing" in between.
    qtbot.waitUntil(lambda: showing(app, PHONE_TITLE), timeout=15_000)
    states = [(p.title, p.state) for p in shown]
    assert all(p.state is not PlaybackState.IDLE for p in shown), states
    # Nor the phone's track for a moment between two of VLC's items. (VLC may name a new
    # item by its file for a moment, until it has read the tags: the same item.)
    assert all(p.title for p in shown), states
    urls = [p.url for n, p in enumerate(shown) if n == 0 or shown[n - 1].url != p.url]
    assert urls[:3] == [short.url, files[0].url, files[1].url], states
    assert urls[3].startswith("https://open.spotify.com/") and len(urls) == 4, states
    assert [p.title for p in shown[since:]] == [PHONE_TITLE], states


def test_now_json_for_a_file_in_mpv(
    private_bus: str, tmp_path: Path, tones: tuple[list[Tone], Path], sim: SpotifySimulator
) -> None:
    files, cover = tones
    env = cli_environment(sim, tmp_path / "keyring.json", browser_command(tmp_path))
    env |= {"DBUS_SESSION_BUS_ADDRESS": private_bus, "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    del env["SPOTIPY_CLIENT_ID"]
    config = tmp_path / "cfg" / "nowplaying-tray" / "settings.json"
    config.parent.mkdir(parents=True)
    config.write_text(json.dumps({"local_players": ["mpv"]}))
    with mpv_player(private_bus, tmp_path / "players", [str(files[2].path)]) as mpv:
        mpv.wait_for_title(files[2].title)
        done = run_cli(env, "now", "--json")
    assert done.returncode == 0, done.stderr
    shape = json.loads(done.stdout)
    assert shape["source"] == "local" and shape["title"] == files[2].title
    assert shape["url"] == files[2].url  # the player's xesam:url
    assert shape["uri"] is None  # not a spotify: URI ("/0" is mpv's trackid)
    assert shape["kind"] == "track" and shape["is_local"] is True
    assert shape["art_url"] == cover.as_uri()
    assert web_api_requests(sim) == []


def test_only_what_applies_to_a_file_is_offered(
    qtbot: QtBot,
    private_bus: str,
    tmp_path: Path,
    tones: tuple[list[Tone], Path],
    logged_in: Settings,
    sim: SpotifySimulator,
    app_paths: AppPaths,
    memory_keyring: MemoryKeyring,
    running: list[TrayApp],
) -> None:
    files, _cover = tones
    sim.player.set_queue([PHONE_TRACK], playing=False)
    with mpv_player(private_bus, tmp_path / "players", [str(files[0].path)]) as mpv:
        mpv.wait_for_title(files[0].title)
        app = start(qtbot, running, local_app(logged_in, app_paths, memory_keyring))
        qtbot.waitUntil(lambda: showing(app, files[0].title), timeout=10_000)
        app.presenter.refresh_menu()
        menu = app.tray.menu
        assert widgets.menu_entry(menu, "next")  # a control the player has
        for key in ("save", "open", "copy_link"):  # Spotify's, not a file's
            assert not menu.findChild(QAction, f"menu-{key}").isVisible(), key
        app.presenter.show_popup()
        for key in ("save", "open"):
            qtbot.waitUntil(lambda k=key: widgets.button(app.popup, k).isHidden())
    # mpv gone, the phone's (paused) track is shown: its Spotify actions are back.
    qtbot.waitUntil(lambda: showing(app, PHONE_TITLE), timeout=15_000)
    app.presenter.refresh_menu()
    for key in ("save", "open", "copy_link"):
        assert widgets.menu_entry(menu, key)
    assert not widgets.button(app.popup, "open").isHidden()


def test_a_paused_mpv_never_hides_the_phone_and_the_playing_mpv_is_followed(
    qtbot: QtBot,
    private_bus: str,
    tmp_path: Path,
    tones: tuple[list[Tone], Path],
    sim: SpotifySimulator,
    logged_in: Settings,
    app_paths: AppPaths,
    memory_keyring: MemoryKeyring,
    running: list[TrayApp],
) -> None:
    files, _cover = tones
    sim.player.set_queue([PHONE_TRACK])  # playing on the phone
    root = tmp_path / "players"
    with mpv_player(private_bus, root, ["--pause", str(files[0].path)]) as paused:
        paused.wait_for_title(files[0].title)
        assert paused.playerctl("status") == "Paused"
        app = start(qtbot, running, local_app(logged_in, app_paths, memory_keyring))
        qtbot.waitUntil(lambda: showing(app, PHONE_TITLE), timeout=10_000)
        qtbot.waitUntil(lambda: app.local_players.settled, timeout=10_000)
        assert app.hub.source is not None and app.hub.source.value == "web_api"

        with mpv_player(private_bus, root / "second", [str(files[1].path)]) as playing:
            playing.wait_for_title(files[1].title)
            qtbot.waitUntil(lambda: showing(app, files[1].title), timeout=10_000)
            assert app.hub.source is not None and app.hub.source.value == "local"
            # The other one plays instead: it is followed.
            playing.playerctl("pause")
            paused.playerctl("play")
            qtbot.waitUntil(lambda: showing(app, files[0].title), timeout=10_000)
            playback = app.hub.playback
            assert playback is not None and playback.is_playing
