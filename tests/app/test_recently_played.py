"""Recently played in the tray menu: fed by what the app sees, opened on a click, kept
across a restart."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from pytestqt.qtbot import QtBot

from nowplaying_tray.app import TrayApp
from nowplaying_tray.core.memory_keyring import MemoryKeyring
from nowplaying_tray.core.paths import AppPaths
from nowplaying_tray.core.settings import Settings
from nowplaying_tray.simulator import SpotifySimulator, make_ad, make_track
from tests.app.conftest import dispose, make_app
from tests.support.widgets import recent_entries

QUEUE = [
    make_track("Mrs. Robinson", ["Simon & Garfunkel"], "Bookends", 200_000),
    make_ad(30_000),
    make_track("Take On Me", ["a-ha"], "Hunting High and Low", 200_000),
]


class Browser(QObject):
    """Stands in for the system's browser: the URLs the app asked to open."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url.toString())


@pytest.fixture
def browser() -> Iterator[Browser]:
    handler = Browser()
    QDesktopServices.setUrlHandler("https", handler, "open")
    yield handler
    QDesktopServices.unsetUrlHandler("https")
    handler.deleteLater()


def recent_texts(app: TrayApp) -> list[str]:
    return [action.text() for action in recent_entries(app.tray.menu)]


def poll(qtbot: QtBot, app: TrayApp) -> None:
    with qtbot.waitSignal(app.hub.playback_changed, timeout=5000):
        app.poller.poll_now("test")


def test_a_track_change_shows_up_and_a_click_opens_its_link(
    qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator, browser: Browser
) -> None:
    earlier = recent_texts(started_app)  # what played at start-up
    assert len(earlier) == 1
    sim.player.set_queue(QUEUE)
    poll(qtbot, started_app)
    qtbot.waitUntil(
        lambda: recent_texts(started_app) == ["Mrs. Robinson — Simon && Garfunkel", *earlier]
    )
    entry = started_app.tray.menu.findChild(QObject, "menu-recent")
    assert entry is not None and entry.isEnabled()  # type: ignore[attr-defined]

    for _ in range(2):  # past the advert, which is no entry
        sim.player.skip_next()
        poll(qtbot, started_app)
    poll(qtbot, started_app)  # the same item again is not a second entry
    qtbot.waitUntil(
        lambda: (
            recent_texts(started_app)
            == ["Take On Me — a-ha", "Mrs. Robinson — Simon && Garfunkel", *earlier]
        )
    )

    recent_entries(started_app.tray.menu)[1].trigger()
    qtbot.waitUntil(lambda: browser.opened != [])
    first_url = QUEUE[0]["item"]["external_urls"]["spotify"]
    assert first_url.startswith("https://open.spotify.com/track/")
    assert browser.opened == [first_url]


def test_the_list_is_there_after_a_restart(
    qtbot: QtBot,
    sim: SpotifySimulator,
    logged_in: Settings,
    app_paths: AppPaths,
    memory_keyring: MemoryKeyring,
) -> None:
    sim.player.set_queue([QUEUE[0], QUEUE[2]])
    app = make_app(logged_in, app_paths, memory_keyring)
    try:
        app.start()
        qtbot.waitUntil(lambda: len(recent_texts(app)) == 1, timeout=5000)
        sim.player.skip_next()
        poll(qtbot, app)
        qtbot.waitUntil(lambda: len(recent_texts(app)) == 2)
    finally:
        dispose(app)

    sim.player.set_idle()  # nothing plays now: what the menu lists comes from the file
    again = make_app(logged_in, app_paths, memory_keyring)
    try:
        again.start()
        qtbot.waitUntil(
            lambda: (
                recent_texts(again) == ["Take On Me — a-ha", "Mrs. Robinson — Simon && Garfunkel"]
            ),
            timeout=5000,
        )
        assert (app_paths.state_dir / "recent.json").is_file()
    finally:
        dispose(again)
