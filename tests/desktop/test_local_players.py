"""The app with real local players (Debian's mpv with mpv-mpris, playerctl) on a private
session bus, and dunst on Xvfb for the notifications: each file announced once with the
cover beside it (our copy, never the person's path), shown in the card and the now-playing
art file too; a corrected title followed without a second announcement."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from nowplaying_tray.app import TrayApp
from nowplaying_tray.core.memory_keyring import MemoryKeyring
from nowplaying_tray.core.paths import AppPaths
from nowplaying_tray.core.settings import Settings
from nowplaying_tray.ui.console import ConsoleView
from tests.desktop.local_apps import local_app, running, showing, start, tones
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
    make_tone,
    mpv_player,
)
from tests.desktop_support.xserver import xvfb
from tests.support import widgets

__all__ = ["running", "tones"]  # fixtures

APP_NAME = "Now Playing"


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
