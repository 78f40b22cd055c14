"""Where the card and the windows open on a 2x HiDPI screen and on two monitors, on
Xvfb with xfce4-panel's tray (or trayer) and openbox. Screenshots go to ``artifacts/``."""

from __future__ import annotations

import contextlib
import subprocess
from pathlib import Path

import pytest

from nowplaying_tray.ui.popup.placement import ANCHOR_GAP
from tests.desktop.test_popup_placement import (
    ARTIFACTS,
    CARD,
    TOOLS,
    WIDTH,
    app_env,
    find_icon,
    running_app,
)
from tests.desktop_support import desktop_session, require_tools, screenshot, wait_for_sni_items
from tests.desktop_support.monitors import (
    MONITOR_WIDTH,
    choose_menu_entry,
    two_monitor_desktop,
)
from tests.desktop_support.pointer import Box, click, trayer_host, wait_for_window
from tests.desktop_support.window_manager import openbox, work_area

pytestmark = pytest.mark.desktop

SCALE = 2
TRAYER_HEIGHT = 32


@pytest.mark.parametrize("tray", ["xfce4-panel", "trayer"])
def test_at_2x_the_card_opens_next_to_the_panel(tmp_path: Path, tray: str) -> None:
    require_tools(*TOOLS, tray, "openbox", "xprop")
    with desktop_session(tmp_path, tray=tray == "xfce4-panel") as desk:
        env = app_env(desk.env) | {"QT_SCALE_FACTOR": str(SCALE)}
        with contextlib.ExitStack() as stack:
            stack.enter_context(openbox(env, tmp_path))
            if tray == "trayer":
                stack.enter_context(trayer_host(env, tmp_path))
            with running_app(env, tmp_path / "app.log", "--demo"):
                if tray == "xfce4-panel":
                    wait_for_sni_items(desk.bus_address, 1, timeout=20)
                strip = Box(0, 0, WIDTH - 1, 40)
                icon = find_icon(desk.display, env, strip, tmp_path / "before.png")
                click(env, *icon.center)
                card = wait_for_window(env, CARD)
                ARTIFACTS.mkdir(exist_ok=True)
                screenshot(desk.display, ARTIFACTS / f"card-at-2x-{tray}.png", env)
        area = work_area(env)
        panel_bottom = area[1] if area is not None and area[1] > 0 else TRAYER_HEIGHT
        # The gap is ANCHOR_GAP logical pixels: twice as many on screen, give or take
        # the half pixel of a panel with an odd height.
        assert abs(card.top - panel_bottom - ANCHOR_GAP * SCALE) <= SCALE, (card, panel_bottom)
        assert card.right - card.left + 1 == 360 * SCALE


def test_two_monitors_card_clears_the_panel_and_settings_open_where_the_pointer_is(
    tmp_path: Path,
) -> None:
    require_tools(*TOOLS, "xfce4-panel", "openbox", "xprop", "xrandr")
    with two_monitor_desktop(tmp_path) as desk:
        env = app_env(desk.env)
        with running_app(env, tmp_path / "app.log", "--demo"):
            service = wait_for_sni_items(desk.bus_address, 1, timeout=20)[0]
            strip = Box(0, 0, 2 * MONITOR_WIDTH - 1, 40)
            icon = find_icon(desk.display, env, strip, tmp_path / "before.png")
            assert icon.right < MONITOR_WIDTH  # the panel is on the left monitor
            click(env, *icon.center)
            card = wait_for_window(env, CARD)
            ARTIFACTS.mkdir(exist_ok=True)
            screenshot(desk.display, ARTIFACTS / "two-monitors-card.png", env)
            area = work_area(env)
            assert area is not None
            assert card.top - area[1] == ANCHOR_GAP, (card, area)  # clear of the panel
            # Then Settings, chosen from the tray's menu with the pointer on the right.
            subprocess.run(
                ["xdotool", "mousemove", "--sync", str(MONITOR_WIDTH + 640), "400"],
                env=env, check=True, timeout=30,
            )  # fmt: skip
            choose_menu_entry(desk.bus_address, service, "Settings…")
            settings = wait_for_window(env, "Settings", timeout=15)
            screenshot(desk.display, ARTIFACTS / "two-monitors-settings.png", env)
            assert settings.left >= MONITOR_WIDTH, settings  # on the right monitor
            assert abs((settings.left + settings.right) // 2 - (MONITOR_WIDTH + 640)) <= 20
