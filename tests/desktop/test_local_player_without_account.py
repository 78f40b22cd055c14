"""A real desktop with no Spotify account: Xvfb, xfce4-panel's tray, dunst, and Debian's
mpv playing. The panel's menu must offer set-up, not an account's entries, and the app
must hold two session-bus connections at most: the one Qt opens for any application
(measured here with a bare QApplication), and its own, which carries the tray icon, the
local players, our MPRIS player and the notifications. A bare QSystemTrayIcon alone
holds two (Qt's and the icon's own)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from jeepney.wrappers import DBusErrorResponse

from nowplaying_tray.simulator import SpotifySimulator
from tests.desktop_support import (
    DESKTOP_TOOLS,
    desktop_session,
    require_tools,
    screenshot,
    wait_for_sni_items,
    wait_until,
    write_app_settings,
)
from tests.desktop_support.bus import get_property, list_names, method_call
from tests.desktop_support.players import PLAYER_TOOLS, make_tone, mpv_player
from tests.desktop_support.pointer import DBUSMENU_IFACE, Box, click, find_icon, find_pixels
from tests.desktop_support.tray import ITEM_IFACE, read_sni_items, read_sni_tooltip, split_item
from tests.support.browser import REPO_ROOT
from tests.support.web_api import web_api_requests

pytestmark = pytest.mark.desktop

ARTIFACTS = Path(REPO_ROOT) / "artifacts"
DBUS = ("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus")


def menu_entries(bus_address: str, service: str) -> dict[str, tuple[bool, bool]]:
    """Each exported menu entry's label: (visible, enabled), as the panel lays it out."""
    name, path = split_item(service)
    _sig, menu_path = get_property(bus_address, name, path, ITEM_IFACE, "Menu")
    _revision, layout = method_call(
        bus_address, name, str(menu_path), DBUSMENU_IFACE, "GetLayout", "iias",
        (0, -1, ["label", "visible", "enabled", "type"]),
    )  # fmt: skip
    entries: dict[str, tuple[bool, bool]] = {}
    for _signature, (_id, props, _children) in layout[2]:
        if props.get("type", ("s", "standard"))[1] == "separator":
            continue
        label = str(props.get("label", ("s", ""))[1]).replace("_", "")
        entries[label] = (
            bool(props.get("visible", ("b", True))[1]),
            bool(props.get("enabled", ("b", True))[1]),
        )
    return entries


def connections_of(bus_address: str, pid: int) -> list[str]:
    """The unique bus names whose process is ``pid``."""
    owned = []
    for name in list_names(bus_address):
        if not name.startswith(":"):
            continue
        try:
            reply: Any = method_call(bus_address, *DBUS, "GetConnectionUnixProcessID", "s", (name,))
        except DBusErrorResponse:
            continue  # gone meanwhile (our own short-lived query connections)
        if reply and reply[0] == pid:
            owned.append(name)
    return owned


def is_menu_text(r: int, g: int, b: int) -> bool:
    return 60 < max(r, g, b) < 200  # grey header text on the light menu


def bare_qt_connections(bus_address: str, env: dict[str, str], *args: str) -> int:
    """How many session-bus connections a bare Qt application (``args``: with a tray
    icon) holds on this desktop."""
    with subprocess.Popen(
        [sys.executable, "-m", "tests.desktop_support.bare_qt", *args],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    ) as bare:
        return _connections_when_ready(bus_address, bare, bool(args))


def _connections_when_ready(bus_address: str, bare: subprocess.Popen[str], icon: bool) -> int:
    try:
        assert bare.stdout is not None and bare.stdout.readline() == "ready\n"
        if icon:
            wait_for_sni_items(bus_address, 1, timeout=20)
        return len(connections_of(bus_address, bare.pid))
    finally:
        bare.terminate()
        bare.wait(timeout=20)
        wait_until(lambda: not read_sni_items(bus_address) or None, what="the bare icon to go")


def test_a_local_player_without_an_account_offers_set_up_on_one_connection(
    tmp_path: Path, sim: SpotifySimulator
) -> None:
    require_tools(*DESKTOP_TOOLS, *PLAYER_TOOLS)
    tone = make_tone(tmp_path / "music", "tone.ogg", title="Quiet Tone", artist="Sine Band")
    with desktop_session(tmp_path) as desk:
        env = desk.env | {
            "QT_QPA_PLATFORM": "xcb",
            "NOWPLAYING_ACCOUNTS_URL": sim.accounts_url,  # never asked: no client ID
            "NOWPLAYING_API_URL": sim.api_url,
            "PYTHONPATH": str(REPO_ROOT),
        }
        env.pop("SPOTIPY_CLIENT_ID", None)
        write_app_settings(env, {"local_players": ["mpv"]})
        with mpv_player(desk.bus_address, tmp_path / "players", [str(tone.path)]) as mpv:
            mpv.wait_for_title(tone.title)
            qt_alone = bare_qt_connections(desk.bus_address, env)
            with (tmp_path / "app.log").open("w") as log:
                app = subprocess.Popen(
                    [sys.executable, "-m", "nowplaying_tray"],
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            try:
                service = wait_for_sni_items(desk.bus_address, 1, timeout=20)[0]
                wait_until(
                    lambda: "Quiet Tone" in read_sni_tooltip(desk.bus_address, service) or None,
                    what="the tray to show what mpv plays",
                    timeout=20,
                )

                entries = menu_entries(desk.bus_address, service)
                visible = {label for label, (shown, _enabled) in entries.items() if shown}
                enabled = {label for label, (shown, on) in entries.items() if shown and on}
                assert "Set up…" in enabled and "Log in" not in visible, entries
                assert "Log out" not in enabled, entries
                assert "Refresh" not in enabled, entries
                assert not any("Your Library" in label for label in enabled), entries

                mine = connections_of(desk.bus_address, app.pid)
                # Qt's own, and the app's one bus thread (which carries the icon too).
                assert len(mine) == qt_alone + 1 <= 2, (mine, qt_alone)

                # The menu as the panel shows it, for a person to look at.
                icon = find_icon(desk.display, env, Box(0, 0, 1279, 40), tmp_path / "find.png")
                click(env, *icon.center, button=3)
                ARTIFACTS.mkdir(exist_ok=True)
                shot = ARTIFACTS / "menu-local-player-no-account.png"
                wait_until(
                    lambda: find_pixels(
                        screenshot(desk.display, shot, env), Box(0, 41, 300, 70), is_menu_text
                    ),
                    what="the menu's first line on screen",
                    timeout=10,
                )
            finally:
                app.terminate()
                app.wait(timeout=20)
        assert web_api_requests(sim) == []  # no account, no request
