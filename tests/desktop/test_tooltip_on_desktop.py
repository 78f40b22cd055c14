"""A title with tags in the tray tooltip, on Xvfb: xfce4-panel (StatusNotifierItem) is
sent it as plain text, which it shows as it comes; trayer (XEmbed) leaves the tooltip
to Qt, which gets it escaped. Screenshots go to ``artifacts/``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from nowplaying_tray.simulator import DEMO_CLIENT_ID, SpotifySimulator, make_track
from tests.desktop.test_popup_placement import (
    ARTIFACTS,
    TOOLS,
    WIDTH,
    app_env,
    find_icon,
    running_app,
)
from tests.desktop_support import (
    desktop_session,
    require_tools,
    screenshot,
    wait_for_sni_items,
    wait_for_sni_tooltip,
    wait_until,
)
from tests.desktop_support.pointer import Box, find_pixels, trayer_host
from tests.support.browser import browser_command

pytestmark = pytest.mark.desktop

TITLE = "<b>Bold</b> & <i>Co</i>"
ARTIST = "The <u>Tags</u>"


def logged_in_env(tmp_path: Path, desk_env: dict[str, str], sim: SpotifySimulator) -> dict:
    env = app_env(desk_env) | {
        "SPOTIPY_CLIENT_ID": DEMO_CLIENT_ID,
        "NOWPLAYING_ACCOUNTS_URL": sim.accounts_url,
        "NOWPLAYING_API_URL": sim.api_url,
        "BROWSER": browser_command(tmp_path),
    }
    login = subprocess.run(
        [sys.executable, "-m", "nowplaying_tray", "login"],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert login.returncode == 0, login.stderr
    return env


def test_xfce4_panel_is_sent_the_tooltip_as_plain_text(
    tmp_path: Path, sim: SpotifySimulator
) -> None:
    require_tools(*TOOLS, "xfce4-panel", "gnome-keyring-daemon")
    sim.player.set_queue([make_track(TITLE, [ARTIST], "Album", 300_000)])
    with desktop_session(tmp_path, secrets=True) as desk:
        env = logged_in_env(tmp_path, desk.env, sim)
        with running_app(env, tmp_path / "app.log", "--debug"):
            service = wait_for_sni_items(desk.bus_address, 1, timeout=20)[0]
            # No "<p style='white-space:pre'>" wrapper: the panel would show it raw.
            wait_for_sni_tooltip(desk.bus_address, service, f"{TITLE} — {ARTIST}\nAlbum", 20)
        assert "the tray draws the tooltip" in (tmp_path / "app.log").read_text()


def test_trayer_leaves_the_tooltip_to_qt_which_gets_it_escaped(
    tmp_path: Path, sim: SpotifySimulator
) -> None:
    require_tools(*TOOLS, "trayer", "gnome-keyring-daemon")
    sim.player.set_queue([make_track(TITLE, [ARTIST], "Album", 300_000)])
    with desktop_session(tmp_path, tray=False, secrets=True) as desk:
        env = logged_in_env(tmp_path, desk.env, sim)
        log = tmp_path / "app.log"
        with trayer_host(env, tmp_path), running_app(env, log, "--debug"):
            icon = find_icon(desk.display, env, Box(0, 0, WIDTH - 1, 40), tmp_path / "b.png")
            wait_until(lambda: "XEmbed" in log.read_text(), what="the icon in trayer", timeout=20)
            subprocess.run(
                ["xdotool", "mousemove", "--sync", str(icon.center[0]), str(icon.center[1])],
                env=env, check=True, timeout=30,
            )  # fmt: skip
            ARTIFACTS.mkdir(exist_ok=True)
            shot = ARTIFACTS / "tooltip-trayer.png"
            # Qt's tooltip opens under the pointer, a light box on the black root window.
            below = Box(max(0, icon.left - 400), 40, WIDTH - 1, 160)  # under trayer
            wait_until(
                lambda: find_pixels(screenshot(desk.display, shot, env), below, _is_light),
                what="Qt's tooltip on screen",
                timeout=15,
            )
        assert "XEmbed: Qt draws the tooltip" in log.read_text()


def _is_light(r: int, g: int, b: int) -> bool:
    return min(r, g, b) > 200
