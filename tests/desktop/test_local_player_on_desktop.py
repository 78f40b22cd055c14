"""A local Spotify client on a real desktop, with no account at all: Xvfb, a session
bus, xfce4-panel's tray and dunst. The app follows the client over MPRIS, shows its
track in the tray and announces a change once, and never asks the Web API.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from nowplaying_tray.simulator import SpotifySimulator
from nowplaying_tray.simulator.catalog import demo_playlist, entry_title
from nowplaying_tray.simulator.desktop_client import DesktopClient
from tests.desktop_support import (
    DESKTOP_TOOLS,
    DesktopSession,
    desktop_session,
    read_sni_tooltip,
    require_tools,
    wait_for_sni_items,
    wait_until,
)
from tests.support.browser import REPO_ROOT

pytestmark = pytest.mark.desktop

TITLES = [entry_title(entry) for entry in demo_playlist()]


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[DesktopSession]:
    require_tools(*DESKTOP_TOOLS)
    with desktop_session(tmp_path) as session:
        yield session


def _tooltip_has(desk: DesktopSession, service: str, text: str) -> bool:
    try:
        return text in read_sni_tooltip(desk.bus_address, service)
    except Exception:  # the item may be between two updates; ask again
        return False


def test_a_local_client_reaches_the_tray_and_one_notification_without_an_account(
    tmp_path: Path, desk: DesktopSession, sim: SpotifySimulator
) -> None:
    assert desk.notifications is not None
    client = DesktopClient(desk.bus_address, art_base=sim.base_url).start()
    client.play(0)
    env = desk.env | {
        "QT_QPA_PLATFORM": "xcb",
        # No client ID: only the local path can show anything. Any Web API request
        # would land in this simulator's log.
        "NOWPLAYING_ACCOUNTS_URL": sim.accounts_url,
        "NOWPLAYING_API_URL": sim.api_url,
        "PYTHONPATH": str(REPO_ROOT),
    }
    env.pop("SPOTIPY_CLIENT_ID", None)
    log_path = tmp_path / "app.log"
    with log_path.open("w") as log:
        app = subprocess.Popen(
            [sys.executable, "-m", "nowplaying_tray"], env=env, stdout=log, stderr=log
        )
    try:
        service = wait_for_sni_items(desk.bus_address, 1, timeout=20)[0]
        wait_until(
            lambda: _tooltip_has(desk, service, TITLES[0]),
            what="the local track in the tooltip",
            timeout=10,
            proc=app,
            log_path=log_path,
        )
        desk.notifications.clear()  # the track playing at start is not announced

        client.next()
        wait_until(
            lambda: _tooltip_has(desk, service, TITLES[1]),
            what="the next local track in the tooltip",
            timeout=3,
            proc=app,
            log_path=log_path,
        )
        calls = desk.notifications.wait_for_calls(1, timeout=10)
        ours = [call for call in calls if call.app_name == "Now Playing"]
        assert [call.summary for call in ours] == [TITLES[1]], calls
        assert ours[0].hints.get("image-path")  # the art came from the client's artUrl
        assert [r.path for r in sim.requests if not r.path.startswith("/_sim")] == []
    finally:
        app.send_signal(signal.SIGTERM)
        status = app.wait(timeout=15)
        client.quit()
    output = log_path.read_text()
    assert status == 0, output
    assert "Traceback" not in output
