"""The app with real local players (Debian's mpv with mpv-mpris, VLC, playerctl) on a
private session bus, and dunst on Xvfb for the notifications: each item announced
once, its cover shown from the file beside it, a corrected title followed, no
"nothing playing" between items, only the actions that apply to a file."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from pytestqt.qtbot import QtBot

from nowplaying_tray.app import AppOptions, TrayApp
from nowplaying_tray.core.memory_keyring import MemoryKeyring
from nowplaying_tray.core.model import Playback, PlaybackState
from nowplaying_tray.core.paths import AppPaths
from nowplaying_tray.core.settings import Settings
from nowplaying_tray.simulator import SpotifySimulator, make_track
from nowplaying_tray.ui.console import ConsoleView
from tests.app.conftest import dispose
from tests.desktop_support import require_tools
from tests.desktop_support.bus import method_call
from tests.desktop_support.env import isolated_env
from tests.desktop_support.notifications import (
    NOTIFICATIONS_IFACE,
    NOTIFICATIONS_NAME,
    NOTIFICATIONS_PATH,
    NotificationRecorder,
    NotifyCall,
    notification_server,
)
from tests.desktop_support.players import (
    PLAYER_TOOLS,
    Tone,
    make_chained_tone,
    make_cover,
    make_tone,
    mpv_mpris_script,
    mpv_player,
    vlc_player,
)
from tests.desktop_support.xserver import xvfb
from tests.support import widgets
from tests.support.web_api import web_api_requests

APP_NAME = "Now Playing"
PHONE_TITLE = "On The Phone"
PHONE_TRACK = make_track(PHONE_TITLE, ["Connect Band"], "Remote", 240_000)


@pytest.fixture
def tones(tmp_path: Path) -> tuple[list[Tone], Path]:
    """Four tagged tones in one folder, a cover.jpg beside them."""
    require_tools(*PLAYER_TOOLS)
    if mpv_mpris_script() is None:
        require_tools("mpv-mpris")  # named so that the message says what is missing
    folder = tmp_path / "album"
    made = [
        make_tone(
            folder,
            f"0{n}-tone.ogg",
            title=f"Tone {n}",
            artist="Sine Band",
            album="Waves",
            frequency=300 + 100 * n,
        )
        for n in range(4)
    ]
    return made, make_cover(folder)


@pytest.fixture
def dunst(private_bus: str, tmp_path: Path) -> Iterator[NotificationRecorder]:
    """dunst on its own Xvfb, on the test's bus, every Notify call recorded."""
    require_tools("Xvfb", "dunst")
    with xvfb(log_dir=tmp_path) as display:
        extra = {"DISPLAY": display, "DBUS_SESSION_BUS_ADDRESS": private_bus}
        with notification_server(
            isolated_env(tmp_path / "dunst-home", extra), tmp_path
        ) as recorder:
            yield recorder


def local_app(
    settings: Settings, paths: AppPaths, keyring: MemoryKeyring, *, notifications: bool = False
) -> TrayApp:
    """The tray app following mpv and VLC (offscreen), bubbles over D-Bus if asked."""
    return TrayApp(
        replace(settings, local_players=("mpv", "vlc")),
        paths,
        AppOptions(
            keyring_backend=keyring,
            use_dbus_notifications=notifications,
            tray_wait_attempts=10_000,
            mpris=True,
        ),
    )


@pytest.fixture
def running(qtbot: QtBot) -> Iterator[list[TrayApp]]:
    """Apps started by the test, disposed of at its end."""
    apps: list[TrayApp] = []
    yield apps
    for app in apps:
        dispose(app)


def start(qtbot: QtBot, running: list[TrayApp], app: TrayApp) -> TrayApp:
    running.append(app)
    app.start()
    return app


def showing(app: TrayApp, title: str) -> bool:
    playback = app.hub.playback
    return playback is not None and playback.title == title


def ours(recorder: NotificationRecorder) -> list[NotifyCall]:
    return [call for call in recorder.calls if call.app_name == APP_NAME]


def wait_for_bubble(qtbot: QtBot, recorder: NotificationRecorder, title: str) -> NotifyCall:
    """The bubble for ``title`` once the server answered it (the app's loop runs meanwhile)."""

    def bubble() -> NotifyCall | None:
        return next((c for c in ours(recorder) if c.summary == title and c.answered), None)

    qtbot.waitUntil(lambda: bubble() is not None, timeout=15_000)
    found = bubble()
    assert found is not None
    return found


def test_three_files_opened_in_mpv_give_three_bubbles_with_the_cover_beside_them(
    qtbot: QtBot,
    private_bus: str,
    tmp_path: Path,
    tones: tuple[list[Tone], Path],
    dunst: NotificationRecorder,
    settings: Settings,
    app_paths: AppPaths,
    memory_keyring: MemoryKeyring,
    running: list[TrayApp],
) -> None:
    files, cover = tones
    art_file = tmp_path / "out" / "cover-now.jpg"
    settings = replace(settings, nowplaying_art_file=str(art_file))
    # Started with a file: on an idle mpv, mpv-mpris 0.7 says Stopped for an opened one.
    with mpv_player(private_bus, tmp_path / "players", [str(files[0].path)]) as mpv:
        mpv.wait_for_title(files[0].title)
        app = start(
            qtbot, running, local_app(settings, app_paths, memory_keyring, notifications=True)
        )
        qtbot.waitUntil(lambda: showing(app, files[0].title), timeout=10_000)
        for tone in files[1:]:
            mpv.playerctl("open", tone.url)  # mpv keeps the trackid /0 for every file
            qtbot.waitUntil(lambda t=tone: showing(app, t.title), timeout=10_000)
            bubble = wait_for_bubble(qtbot, dunst, tone.title)
            assert bubble.body.endswith("Waves\u2069")
            # The cover beside the file, as our own copy: never the person's path.
            image = Path(bubble.hints["image-path"])
            assert image.is_relative_to(app_paths.cache_dir), image
            assert image.read_bytes() == cover.read_bytes()
        assert [c.summary for c in ours(dunst)] == [t.title for t in files[1:]]
        assert mpv.playerctl("status") == "Playing"

        # The now-playing art file is the cover too, and the card shows it.
        qtbot.waitUntil(
            lambda: art_file.is_file() and art_file.read_bytes() == cover.read_bytes(),
            timeout=10_000,
        )
        app.presenter.show_popup()
        qtbot.waitUntil(lambda: widgets.has_cover(app.popup), timeout=10_000)


def test_a_title_corrected_by_mpv_replaces_the_bubble_and_is_not_announced_again(
    qtbot: QtBot,
    private_bus: str,
    tmp_path: Path,
    tones: tuple[list[Tone], Path],
    dunst: NotificationRecorder,
    settings: Settings,
    app_paths: AppPaths,
    memory_keyring: MemoryKeyring,
    running: list[TrayApp],
) -> None:
    """One Ogg file whose tags change part-way: mpv reports the same trackid and url
    with the first part's title, then the second's (as it does a file name, then the
    tag's title)."""
    files, _cover = tones
    parts = tmp_path / "parts"
    first = make_tone(parts, "a.ogg", title="02-unicode.flac", artist="", seconds=3)
    right = make_tone(parts, "b.ogg", title="Ünïcødé Title", artist="Sine Band", seconds=3)
    final = make_tone(parts, "c.ogg", title="Final Title", artist="Sine Band", seconds=30)
    chained = make_chained_tone(tmp_path / "album", "02-unicode.ogg", [first, right, final])
    with mpv_player(private_bus, tmp_path / "players", [str(files[0].path)]) as mpv:
        mpv.wait_for_title(files[0].title)
        app = start(
            qtbot, running, local_app(settings, app_paths, memory_keyring, notifications=True)
        )
        qtbot.waitUntil(lambda: showing(app, files[0].title), timeout=10_000)
        console = io.StringIO()
        view = ConsoleView(out=console)
        app.hub.playback_changed.connect(view.show_playback)

        mpv.playerctl("open", chained.as_uri())
        qtbot.waitUntil(lambda: showing(app, right.title), timeout=15_000)
        corrected = wait_for_bubble(qtbot, dunst, right.title)
        bubbles = ours(dunst)
        # One announcement: the corrected title replaced it on screen (or was in it).
        assert bubbles[0].replaces_id == 0 or bubbles[0].summary == right.title
        assert all(b.replaces_id == bubbles[0].reply_id for b in bubbles[1:]), bubbles
        assert corrected is bubbles[-1] and len(bubbles) <= 2
        assert f"Now playing: {right.title}" in console.getvalue()

        # Once the bubble is closed, a later correction does not bring it back.
        reply_id = corrected.reply_id
        method_call(
            private_bus, NOTIFICATIONS_NAME, NOTIFICATIONS_PATH, NOTIFICATIONS_IFACE,
            "CloseNotification", "u", (reply_id,),
        )  # fmt: skip
        qtbot.waitUntil(lambda: showing(app, final.title), timeout=15_000)
        mpv.playerctl("open", files[1].url)
        wait_for_bubble(qtbot, dunst, files[1].title)
        summaries = [b.summary for b in ours(dunst)]
        assert final.title not in summaries, summaries
        assert summaries[-1] == files[1].title
        assert f"Now playing: {final.title}" in console.getvalue()


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
    # Nor the phone's track for a moment between two of VLC's items.
    titles = [title for n, (title, _) in enumerate(states) if n == 0 or states[n - 1][0] != title]
    assert titles == [short.title, files[0].title, files[1].title, PHONE_TITLE], states
    assert [p.title for p in shown[since:]] == [PHONE_TITLE], states


def test_now_json_for_a_file_in_mpv(
    private_bus: str, tmp_path: Path, tones: tuple[list[Tone], Path], sim: SpotifySimulator
) -> None:
    from tests.support.browser import browser_command
    from tests.support.cli import cli_environment, run_cli

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


def test_a_cover_that_is_not_an_image_or_too_big_is_not_shown(
    qtbot: QtBot,
    private_bus: str,
    tmp_path: Path,
    settings: Settings,
    app_paths: AppPaths,
    memory_keyring: MemoryKeyring,
    running: list[TrayApp],
) -> None:
    require_tools(*PLAYER_TOOLS)
    folder = tmp_path / "odd"
    tone = make_tone(folder, "odd.ogg", title="Odd Cover", artist="Sine Band")
    (folder / "cover.jpg").write_bytes(b"#!/bin/sh\necho not an image\n" * 10)
    with mpv_player(private_bus, tmp_path / "players", [str(tone.path)]) as mpv:
        assert mpv.wait_for_title(tone.title)["mpris:artUrl"].endswith("cover.jpg")
        app = start(qtbot, running, local_app(settings, app_paths, memory_keyring))
        qtbot.waitUntil(lambda: showing(app, tone.title), timeout=10_000)
        failed: list[str] = []
        app.artwork.failed.connect(failed.append)
        app.presenter.show_popup()
        qtbot.waitUntil(lambda: failed == [(folder / "cover.jpg").as_uri()], timeout=10_000)
        assert not widgets.has_cover(app.popup)
