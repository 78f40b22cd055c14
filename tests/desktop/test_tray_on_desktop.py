"""The tray app on a real desktop: Xvfb, a session bus, xfce4-panel's tray, dunst and
gnome-keyring. The login goes through the CLI and the real Secret Service; the tray
app then reads the token from it, and we watch its tooltip and notifications over D-Bus.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from nowplaying_tray.simulator import DEMO_CLIENT_ID, SpotifySimulator, make_track
from tests.desktop_support import (
    DESKTOP_TOOLS,
    UNHURRIED_BUDGET,
    desktop_session,
    require_tools,
    screenshot,
    wait_for_sni_items,
    wait_for_sni_tooltip,
    wait_until,
    write_app_settings,
)
from tests.support.browser import REPO_ROOT, browser_command

pytestmark = pytest.mark.desktop

QUEUE = [
    make_track("Dancing Queen", ["ABBA"], "Arrival", 300_000),
    make_track("Take On Me", ["a-ha"], "Hunting High and Low", 300_000),
    make_track("Heroes", ["David Bowie"], "Heroes", 300_000),
]
ARTIFACTS = Path(REPO_ROOT) / "artifacts"


def app_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "nowplaying_tray", *args]


def test_tooltip_and_notifications_follow_the_track(tmp_path: Path, sim: SpotifySimulator) -> None:
    require_tools(*DESKTOP_TOOLS, "secret-tool")
    sim.player.set_queue(QUEUE)
    with desktop_session(tmp_path, secrets=True) as desk:
        assert desk.notifications is not None
        env = desk.env | {
            "QT_QPA_PLATFORM": "xcb",
            "SPOTIPY_CLIENT_ID": DEMO_CLIENT_ID,
            "NOWPLAYING_ACCOUNTS_URL": sim.accounts_url,
            "NOWPLAYING_API_URL": sim.api_url,
            "BROWSER": browser_command(tmp_path),
            "PYTHONPATH": str(REPO_ROOT),
        }

        write_app_settings(env, UNHURRIED_BUDGET)  # a skip elsewhere is seen within 5 s

        # Log in from the terminal: the token goes into gnome-keyring.
        login = subprocess.run(
            app_command("login"), env=env, capture_output=True, text=True, timeout=60
        )
        assert login.returncode == 0, login.stderr
        stored = subprocess.run(
            ["secret-tool", "lookup", "service", "nowplaying-tray", "username", DEMO_CLIENT_ID],
            env=env,
            capture_output=True,
            text=True,
            timeout=10,
        )
        assert json.loads(stored.stdout)["refresh_token"]  # in the Secret Service...
        config_files = list(Path(env["XDG_CONFIG_HOME"]).rglob("*"))
        assert not any("refresh_token" in p.read_text() for p in config_files if p.is_file())

        # ...and the tray app reads it from there.
        with (tmp_path / "app.log").open("w") as log:
            app = subprocess.Popen(app_command(), env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            service = wait_for_sni_items(desk.bus_address, 1, timeout=20)[0]
            wait_for_sni_tooltip(
                desk.bus_address, service, "Dancing Queen — ABBA\nArrival", timeout=20
            )
            desk.notifications.clear()  # nothing is announced for the track already playing

            previous_id = 0
            for title, tooltip, skip in (
                ("Take On Me", "Take On Me — a-ha\nHunting High and Low", "elsewhere"),
                ("Heroes", "Heroes — David Bowie\nHeroes", "from the bubble"),
            ):
                if skip == "elsewhere":
                    sim.player.skip_next()  # on another device; the app notices within 5 s
                else:
                    _click_action(desk.bus_address, previous_id, "next")  # "Next track"
                wait_for_sni_tooltip(desk.bus_address, service, tooltip, timeout=15)
                calls = desk.notifications.wait_for_calls(1, timeout=10)
                ours = [c for c in calls if c.app_name == "Now Playing"]
                assert [c.summary for c in ours] == [title], calls
                assert ours[0].hints.get("image-path")
                assert ("next", "Next track") in ours[0].action_pairs
                if previous_id:
                    assert ours[0].replaces_id == previous_id  # one bubble, updated in place
                previous_id = ours[0].reply_id or 0
                desk.notifications.clear()

            # A second start shows the running app's popup and exits at once.
            second = subprocess.run(app_command(), env=env, capture_output=True, timeout=20)
            assert second.returncode == 0
            assert len(wait_for_sni_items(desk.bus_address, 1, timeout=5)) == 1
            ARTIFACTS.mkdir(exist_ok=True)
            wait_until(
                lambda: _popup_on_screen(desk.display, env, ARTIFACTS / "desktop-popup.png"),
                what="the popup on screen",
                timeout=10,
                log_path=tmp_path / "app.log",
            )
            assert [c for c in desk.notifications.calls if c.app_name == "Now Playing"] == []
        finally:
            app.send_signal(signal.SIGTERM)
            status = app.wait(timeout=15)
            log.close()
        output = (tmp_path / "app.log").read_text()
        assert status == 0, output
        assert "Traceback" not in output


def _click_action(bus_address: str, notification_id: int, action: str) -> None:
    """What the notification server sends when the person clicks an action button."""
    from jeepney import DBusAddress, new_signal

    from tests.desktop_support.bus import connect

    emitter = DBusAddress(
        "/org/freedesktop/Notifications", interface="org.freedesktop.Notifications"
    )
    connection = connect(bus_address)
    try:
        connection.send(new_signal(emitter, "ActionInvoked", "us", (notification_id, action)))
    finally:
        connection.close()


def _popup_on_screen(display: str, env: dict[str, str], path: Path) -> bool:
    screenshot(display, path, env)
    from tests.desktop_support import pixel_at

    # The popup is a card (light or dark, as the desktop is) in the bottom-right corner
    # of the 1280x800 screen, over the black root window; this pixel is in its padding.
    r, g, b = pixel_at(path, 1280 - 12 - 20, 800 - 12 - 95)
    return (r, g, b) != (0, 0, 0)
