"""Clicking, finding windows and finding things on screen, with xdotool and ImageMagick;
and an XEmbed tray host (trayer) beside xfce4-panel's StatusNotifierItem one."""

from __future__ import annotations

import contextlib
import logging
import re
import subprocess
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from ._proc import managed_process, wait_until
from .bus import get_property, method_call
from .tray import ITEM_IFACE, split_item
from .xserver import screenshot

logger = logging.getLogger(__name__)

DBUSMENU_IFACE = "com.canonical.dbusmenu"
_PIXEL = re.compile(r"^(\d+),(\d+): \((\d+),(\d+),(\d+)")


@dataclass(frozen=True)
class Box:
    left: int
    top: int
    right: int  # inclusive
    bottom: int  # inclusive

    @property
    def center(self) -> tuple[int, int]:
        return (self.left + self.right) // 2, (self.top + self.bottom) // 2


def _run(argv: list[str], env: Mapping[str, str]) -> str:
    result = subprocess.run(
        argv, env=dict(env), capture_output=True, text=True, timeout=30, check=False
    )
    return result.stdout


def click(env: Mapping[str, str], x: int, y: int, button: int = 1) -> None:
    """Move the pointer to (x, y) and click there, as a person would."""
    _run(["xdotool", "mousemove", "--sync", str(x), str(y), "click", str(button)], env)


def window_box(env: Mapping[str, str], name: str) -> Box | None:
    """The screen rectangle of the visible window whose title starts with ``name``."""
    for window in _run(["xdotool", "search", "--onlyvisible", "--name", f"^{name}"], env).split():
        shell = _run(["xdotool", "getwindowgeometry", "--shell", window], env)
        values = dict(line.split("=", 1) for line in shell.split() if "=" in line)
        if {"X", "Y", "WIDTH", "HEIGHT"} <= set(values):
            x, y = int(values["X"]), int(values["Y"])
            width, height = int(values["WIDTH"]), int(values["HEIGHT"])
            if width > 50 and height > 50:  # not Qt's small helper windows
                return Box(x, y, x + width - 1, y + height - 1)
    return None


def wait_for_window(env: Mapping[str, str], name: str, timeout: float = 10.0) -> Box:
    return wait_until(lambda: window_box(env, name), what=f"window {name!r}", timeout=timeout)


def find_pixels(image: Path, region: Box, match: Callable[[int, int, int], bool]) -> Box | None:
    """The bounding box of the pixels in ``region`` whose colour ``match``es."""
    width, height = region.right - region.left + 1, region.bottom - region.top + 1
    text = subprocess.run(
        ["convert", str(image), "-crop", f"{width}x{height}+{region.left}+{region.top}",
         "+repage", "-depth", "8", "txt:-"],
        capture_output=True, text=True, timeout=60, check=True,
    ).stdout  # fmt: skip
    xs: list[int] = []
    ys: list[int] = []
    for line in text.splitlines():
        found = _PIXEL.match(line)
        if found and match(*(int(v) for v in found.groups()[2:])):
            xs.append(int(found.group(1)) + region.left)
            ys.append(int(found.group(2)) + region.top)
    return Box(min(xs), min(ys), max(xs), max(ys)) if xs else None


def find_icon(display: str, env: Mapping[str, str], strip: Box, shot: Path) -> Box:
    """Where the app's green icon is, within ``strip`` of the screen (waits for it)."""

    def look() -> Box | None:
        screenshot(display, shot, env)
        return find_pixels(shot, strip, is_app_green)

    return wait_until(look, what="the tray icon on screen", timeout=20)


def is_app_green(r: int, g: int, b: int) -> bool:
    """The tray icon's green disc (the app's accent, #1DB954)."""
    return g > 140 and r < 90 and b < 130 and g - r > 80


@contextlib.contextmanager
def trayer_host(env: Mapping[str, str], root: Path, edge: str = "top") -> Iterator[int]:
    """An XEmbed system tray (``trayer``) at ``edge``, right-aligned; yields its pid."""
    log_path = root / "trayer.log"
    argv = [
        "trayer", "--edge", edge, "--align", "right", "--widthtype", "request",
        "--height", "32", "--SetDockType", "true", "--SetPartialStrut", "true",
        "--transparent", "false", "--tint", "0xf0f0f0",
    ]  # fmt: skip
    with managed_process(argv, name="trayer", env=env, log_path=log_path) as proc:
        wait_until(
            lambda: _trayer_window(env), what="trayer's window", proc=proc, log_path=log_path
        )
        yield proc.pid


def _trayer_window(env: Mapping[str, str]) -> bool:
    return bool(_run(["xdotool", "search", "--onlyvisible", "--class", "trayer"], env).split())


def sni_menu_labels(bus_address: str, service: str) -> list[str]:
    """The visible labels of an item's exported menu (com.canonical.dbusmenu), in order:
    what a StatusNotifierItem host lays out when the menu opens."""
    name, path = split_item(service)
    _sig, menu_path = get_property(bus_address, name, path, ITEM_IFACE, "Menu")
    _revision, layout = method_call(
        bus_address, name, str(menu_path), DBUSMENU_IFACE, "GetLayout", "iias",
        (0, -1, ["label", "visible", "type"]),
    )  # fmt: skip
    _id, _props, children = layout
    labels: list[str] = []
    for _signature, child in children:
        _child_id, props, _grandchildren = child
        visible = props.get("visible", ("b", True))[1]
        kind = props.get("type", ("s", "standard"))[1]
        if visible and kind != "separator":
            labels.append(str(props.get("label", ("s", ""))[1]))
    return labels


def sni_submenu_labels(bus_address: str, service: str, label: str) -> list[str]:
    """The visible labels of the exported submenu whose entry reads ``label`` (as exported,
    with "&&" for "&"); [] when there is no such submenu."""
    name, path = split_item(service)
    _sig, menu_path = get_property(bus_address, name, path, ITEM_IFACE, "Menu")
    _revision, layout = method_call(
        bus_address, name, str(menu_path), DBUSMENU_IFACE, "GetLayout", "iias",
        (0, -1, ["label", "visible", "type"]),
    )  # fmt: skip
    for _signature, (_child_id, props, grandchildren) in layout[2]:
        if str(props.get("label", ("s", ""))[1]) != label:
            continue
        return [
            str(child_props.get("label", ("s", ""))[1])
            for _sig2, (_id, child_props, _rest) in grandchildren
            if child_props.get("visible", ("b", True))[1]
        ]
    return []
