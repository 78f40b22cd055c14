"""Where the card and the menu open on a real desktop: xfce4-panel's tray (the icon
exported over D-Bus, no icon geometry for Qt) at the top and the bottom of the screen,
and trayer (XEmbed, geometry known). The icon is found on a screenshot, clicked with
xdotool, and the card's window measured. Screenshots go to ``artifacts/``.
"""

from __future__ import annotations

import contextlib
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from nowplaying_tray.simulator import DEMO_CLIENT_ID, SpotifySimulator, make_track
from tests.desktop_support import (
    UNHURRIED_BUDGET,
    desktop_session,
    require_tools,
    screenshot,
    wait_for_sni_items,
    wait_for_sni_tooltip,
    wait_until,
    write_app_settings,
)
from tests.desktop_support.pointer import (
    Box,
    click,
    find_icon,
    find_pixels,
    sni_menu_labels,
    sni_submenu_labels,
    trayer_host,
    wait_for_window,
)
from tests.support.browser import REPO_ROOT, browser_command

pytestmark = pytest.mark.desktop

TOOLS = ("Xvfb", "dbus-daemon", "dunst", "import", "convert", "xdotool")
WIDTH, HEIGHT = 1280, 800
SCREEN = Box(0, 0, WIDTH - 1, HEIGHT - 1)
NEAR = 40  # the card touches the icon's panel edge within this many pixels of the click
CARD = "Now Playing"  # the card's window title
ARTIFACTS = Path(REPO_ROOT) / "artifacts"


@contextlib.contextmanager
def running_app(env: Mapping[str, str], log_path: Path, *args: str) -> Iterator[None]:
    with log_path.open("w") as log:
        app = subprocess.Popen(
            [sys.executable, "-m", "nowplaying_tray", *args],
            env=dict(env),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield
        finally:
            app.send_signal(signal.SIGTERM)
            status = app.wait(timeout=15)
    output = log_path.read_text()
    assert status == 0, output
    assert "Traceback" not in output


def app_env(desk_env: Mapping[str, str]) -> dict[str, str]:
    return {**desk_env, "QT_QPA_PLATFORM": "xcb", "PYTHONPATH": str(REPO_ROOT)}


def assert_card_at_click(card: Box, pointer: tuple[int, int], edge: str) -> None:
    x, y = pointer
    assert SCREEN.left <= card.left and card.right <= SCREEN.right, card
    assert SCREEN.top <= card.top and card.bottom <= SCREEN.bottom, card
    if edge == "top":
        assert 0 < card.top - y <= NEAR, (card, pointer)
    else:
        assert 0 < y - card.bottom <= NEAR, (card, pointer)
    # Along the panel: the card spans the click, or is as close as the screen allows.
    assert card.left - NEAR <= x <= card.right + NEAR, (card, pointer)


@pytest.mark.parametrize("edge", ["top", "bottom"])
def test_card_opens_at_the_icon_on_xfce4_panel(tmp_path: Path, edge: str) -> None:
    require_tools(*TOOLS, "xfce4-panel")
    with desktop_session(tmp_path, panel_edge=edge) as desk:
        env = app_env(desk.env)
        strip = (
            Box(0, 0, WIDTH - 1, 40)
            if edge == "top"
            else Box(0, HEIGHT - 41, WIDTH - 1, HEIGHT - 1)
        )
        with running_app(env, tmp_path / "app.log", "--demo"):
            wait_for_sni_items(desk.bus_address, 1, timeout=20)
            icon = find_icon(desk.display, env, strip, tmp_path / "before.png")
            click(env, *icon.center)
            card = wait_for_window(env, CARD)
            ARTIFACTS.mkdir(exist_ok=True)
            screenshot(desk.display, ARTIFACTS / f"popup-xfce4-panel-{edge}.png", env)
            assert_card_at_click(card, icon.center, edge)


def test_card_opens_at_the_icon_in_trayer(tmp_path: Path) -> None:
    require_tools(*TOOLS, "trayer")
    with desktop_session(tmp_path, tray=False) as desk:
        env = app_env(desk.env)
        with trayer_host(env, tmp_path), running_app(env, tmp_path / "app.log", "--demo"):
            icon = find_icon(desk.display, env, Box(0, 0, WIDTH - 1, 40), tmp_path / "b.png")
            assert icon.right > WIDTH - 60  # trayer is right-aligned
            click(env, *icon.center)
            card = wait_for_window(env, CARD)
            ARTIFACTS.mkdir(exist_ok=True)
            screenshot(desk.display, ARTIFACTS / "popup-trayer.png", env)
            assert_card_at_click(card, icon.center, "top")
            assert card.top > icon.bottom  # XEmbed knows the icon: clear of it


QUEUE = [
    make_track("Dancing Queen", ["ABBA"], "Arrival", 300_000),
    make_track("Bridge over Troubled Water", ["Simon & Garfunkel"], "Bridge", 300_000),
]


def test_the_menu_is_current_after_a_track_change(tmp_path: Path, sim: SpotifySimulator) -> None:
    require_tools(*TOOLS, "xfce4-panel", "gnome-keyring-daemon")
    sim.player.set_queue(QUEUE)
    with desktop_session(tmp_path, secrets=True) as desk:
        env = app_env(desk.env) | {
            "SPOTIPY_CLIENT_ID": DEMO_CLIENT_ID,
            "NOWPLAYING_ACCOUNTS_URL": sim.accounts_url,
            "NOWPLAYING_API_URL": sim.api_url,
            "BROWSER": browser_command(tmp_path),
        }
        write_app_settings(env, UNHURRIED_BUDGET)  # a skip elsewhere is seen within 5 s
        login = subprocess.run(
            [sys.executable, "-m", "nowplaying_tray", "login"],
            env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert login.returncode == 0, login.stderr
        with running_app(env, tmp_path / "app.log"):
            service = wait_for_sni_items(desk.bus_address, 1, timeout=20)[0]
            wait_for_sni_tooltip(desk.bus_address, service, "Dancing Queen — ABBA\nArrival", 20)
            assert (
                gtk_shown(sni_menu_labels(desk.bus_address, service)[0]) == "Dancing Queen — ABBA"
            )
            sim.player.skip_next()  # on another device
            wait_for_sni_tooltip(
                desk.bus_address,
                service,
                "Bridge over Troubled Water — Simon & Garfunkel\nBridge",
                timeout=15,
            )
            # What the panel lays out on the next right-click, before anyone opens it:
            # the new line, whole, with its "&".
            labels = [gtk_shown(label) for label in sni_menu_labels(desk.bus_address, service)]
            assert labels[0] == "Bridge over Troubled Water — Simon & Garfunkel"
            assert labels[1:3] == ["Pause", "Next"]
            assert labels.index("Settings…") == labels.index("Log out") + 1
            assert [
                gtk_shown(label)
                for label in sni_submenu_labels(desk.bus_address, service, "Recently played")
            ] == ["Bridge over Troubled Water — Simon & Garfunkel", "Dancing Queen — ABBA"]
            icon = find_icon(desk.display, env, Box(0, 0, WIDTH - 1, 40), tmp_path / "b.png")
            click(env, *icon.center, button=3)
            ARTIFACTS.mkdir(exist_ok=True)
            menu_shot = ARTIFACTS / "menu-after-track-change.png"
            # The open menu is the panel's own window; its first line is the header.
            wait_until(
                lambda: find_pixels(
                    screenshot(desk.display, menu_shot, env), Box(0, 41, 300, 70), _is_text
                ),
                what="the menu's first line on screen",
                timeout=10,
            )


def gtk_shown(label: str) -> str:
    """A dbusmenu label as the panel's GTK menu shows it: "_" marks a mnemonic and "__"
    is a literal underscore (Qt exports a literal "&&" as "_&")."""
    return re.sub(r"_(.)", r"\1", label)


def _is_text(r: int, g: int, b: int) -> bool:
    return max(r, g, b) < 200 and max(r, g, b) > 60  # grey header text on the light menu


def test_without_a_tray_a_window_is_on_screen_within_seconds(tmp_path: Path) -> None:
    require_tools(*TOOLS)
    with desktop_session(tmp_path, tray=False) as desk:
        env = app_env(desk.env)
        with running_app(env, tmp_path / "app.log", "--demo"):
            started = time.monotonic()
            window = wait_for_window(env, "Now Playing", timeout=5)
            assert time.monotonic() - started < 5
            assert SCREEN.left <= window.left and window.right <= SCREEN.right, window
            assert SCREEN.top <= window.top and window.bottom <= SCREEN.bottom, window
            ARTIFACTS.mkdir(exist_ok=True)
            screenshot(desk.display, ARTIFACTS / "no-tray-window.png", env)
