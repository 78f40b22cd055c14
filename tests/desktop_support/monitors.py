"""A desktop of two monitors side by side on one Xvfb screen (RandR monitors, as a
laptop with an external screen has), with xfce4-panel's tray and openbox; and choosing
a tray menu entry over D-Bus, as the panel does when it is clicked."""

from __future__ import annotations

import contextlib
import logging
import subprocess
from collections.abc import Iterator
from pathlib import Path

from .bus import get_property, method_call, session_bus
from .env import isolated_env
from .session import DesktopSession
from .tray import ITEM_IFACE, split_item, tray_host
from .window_manager import openbox
from .xserver import xvfb

logger = logging.getLogger(__name__)

DBUSMENU_IFACE = "com.canonical.dbusmenu"
MONITOR_WIDTH, MONITOR_HEIGHT = 1280, 800


@contextlib.contextmanager
def two_monitor_desktop(tmp_path: Path) -> Iterator[DesktopSession]:
    """Monitors "left" (primary, with the panel at its top) and "right", 1280x800 each."""
    root = tmp_path / "desktop"
    env = isolated_env(root / "session")
    with contextlib.ExitStack() as stack:
        display = stack.enter_context(
            xvfb(f"{2 * MONITOR_WIDTH}x{MONITOR_HEIGHT}x24", log_dir=root)
        )
        env["DISPLAY"] = display
        size = f"{MONITOR_WIDTH}/338x{MONITOR_HEIGHT}/211"
        for name, x, output in (("left", 0, "screen"), ("right", MONITOR_WIDTH, "none")):
            subprocess.run(
                ["xrandr", "--setmonitor", name, f"{size}+{x}+0", output],
                env=env, check=True, capture_output=True, timeout=30,
            )  # fmt: skip
        bus_address = stack.enter_context(session_bus(env))
        env["DBUS_SESSION_BUS_ADDRESS"] = bus_address
        session = DesktopSession(display=display, bus_address=bus_address, env=env)
        session.tray = stack.enter_context(tray_host(env, root))
        stack.enter_context(openbox(env, root))
        yield session


def choose_menu_entry(bus_address: str, service: str, label: str) -> None:
    """Send the "clicked" event for the top-level menu entry reading ``label``."""
    name, path = split_item(service)
    _sig, menu_path = get_property(bus_address, name, path, ITEM_IFACE, "Menu")
    _revision, layout = method_call(
        bus_address, name, str(menu_path), DBUSMENU_IFACE, "GetLayout", "iias",
        (0, -1, ["label"]),
    )  # fmt: skip
    for _signature, (child_id, props, _children) in layout[2]:
        if str(props.get("label", ("s", ""))[1]).replace("_", "") == label:
            method_call(
                bus_address, name, str(menu_path), DBUSMENU_IFACE, "Event", "isvu",
                (child_id, "clicked", ("s", ""), 0),
            )  # fmt: skip
            return
    raise LookupError(f"no menu entry {label!r}")


__all__ = ["MONITOR_HEIGHT", "MONITOR_WIDTH", "choose_menu_entry", "two_monitor_desktop"]
