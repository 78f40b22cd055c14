"""The tray icon on the app's own bus connection, in xfce4-panel (a StatusNotifierItem
host): the icon's pixels as the host reads them, a click in the host's menu doing what
a click in Qt's would, and the icon back after the panel restarts."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from nowplaying_tray.simulator import SpotifySimulator
from tests.desktop.test_local_player_without_account import menu_entries
from tests.desktop_support import (
    DESKTOP_TOOLS,
    desktop_session,
    require_tools,
    wait_for_sni_items,
    wait_until,
)
from tests.desktop_support.bus import get_property, method_call, name_has_owner
from tests.desktop_support.pointer import DBUSMENU_IFACE
from tests.desktop_support.tray import (
    ITEM_IFACE,
    WATCHER_NAME,
    read_sni_property,
    split_item,
    tray_host,
)
from tests.support.browser import REPO_ROOT

pytestmark = pytest.mark.desktop


def menu_ids(bus_address: str, service: str) -> dict[str, tuple[int, dict[str, Any]]]:
    """Each entry's label: (id, properties), as the host reads them."""
    name, path = split_item(service)
    _sig, menu_path = get_property(bus_address, name, path, ITEM_IFACE, "Menu")
    _revision, layout = method_call(
        bus_address, name, str(menu_path), DBUSMENU_IFACE, "GetLayout", "iias", (0, -1, [])
    )
    return {
        str(props.get("label", ("s", ""))[1]): (entry_id, props)
        for _sig, (entry_id, props, _children) in layout[2]
    }


def click_entry(bus_address: str, service: str, entry_id: int) -> None:
    name, path = split_item(service)
    _sig, menu_path = get_property(bus_address, name, path, ITEM_IFACE, "Menu")
    method_call(
        bus_address, name, str(menu_path), DBUSMENU_IFACE, "Event", "isvu",
        (entry_id, "clicked", ("i", 0), 0),
    )  # fmt: skip


def test_the_icon_its_menu_and_a_panel_restart(tmp_path: Path, sim: SpotifySimulator) -> None:
    require_tools(*DESKTOP_TOOLS)
    with desktop_session(tmp_path) as desk:
        assert desk.tray is not None
        env = desk.env | {
            "QT_QPA_PLATFORM": "xcb",
            "NOWPLAYING_ACCOUNTS_URL": sim.accounts_url,
            "NOWPLAYING_API_URL": sim.api_url,
            "PYTHONPATH": str(REPO_ROOT),
        }
        env.pop("SPOTIPY_CLIENT_ID", None)
        with (tmp_path / "app.log").open("w") as log:
            app = subprocess.Popen(
                [sys.executable, "-m", "nowplaying_tray"], env=env, stdout=log, stderr=log
            )
        try:
            (service,) = wait_for_sni_items(desk.bus_address, 1, timeout=20)

            # ARGB, alpha first (network byte order), at the sizes panels use.
            pixmaps = read_sni_property(desk.bus_address, service, "IconPixmap")
            sizes = {(width, height) for width, height, _data in pixmaps}
            assert {(16, 16), (22, 22), (24, 24), (32, 32), (48, 48)} <= sizes
            width, _height, data = next(p for p in pixmaps if p[0] == 24)
            centre = (12 * width + 12) * 4
            assert len(data) == 24 * 24 * 4 and data[centre] == 0xFF, data[centre : centre + 4]

            # A click in the host's menu toggles the entry, as a click in Qt's menu does.
            entries = wait_until(
                lambda: menu_ids(desk.bus_address, service) or None,
                what="the menu (exported once the app is loaded, after the icon)",
            )
            entry_id, props = entries["Notifications"]
            assert props["toggle-state"] == ("i", 1)
            click_entry(desk.bus_address, service, entry_id)
            wait_until(
                lambda: (
                    menu_ids(desk.bus_address, service)["Notifications"][1]["toggle-state"]
                    == ("i", 0)
                ),
                what="notifications switched off in the exported menu",
            )
            assert "Set up…" in menu_entries(desk.bus_address, service)

            # The panel restarts: the icon is registered with the new one.
            os.killpg(desk.tray.pid, signal.SIGTERM)
            wait_until(
                lambda: not name_has_owner(desk.bus_address, WATCHER_NAME),
                what="the panel to go",
            )
            with tray_host(desk.env, tmp_path / "panel-again"):
                assert wait_for_sni_items(desk.bus_address, 1, timeout=20) == [service]
                assert "Set up…" in menu_entries(desk.bus_address, service)
        finally:
            app.terminate()
            app.wait(timeout=20)
    assert app.returncode == 0, (tmp_path / "app.log").read_text()
