"""The card on desktops without a compositor and without a tray, on Xvfb: square corners
(no black ones) at trayer, and under openbox a no-tray window that keeps its size and
whose close (Alt+F4) ends the app. Screenshots go to ``artifacts/``."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.desktop.test_popup_placement import (
    ARTIFACTS,
    CARD,
    TOOLS,
    WIDTH,
    app_env,
    find_icon,
    running_app,
)
from tests.desktop_support import desktop_session, pixel_at, require_tools, screenshot, wait_until
from tests.desktop_support.pointer import Box, click, trayer_host, wait_for_window, window_box
from tests.desktop_support.window_manager import openbox
from tests.support.browser import REPO_ROOT

pytestmark = pytest.mark.desktop


def _distance(a: tuple[int, int, int], b: tuple[int, int, int]) -> int:
    return max(abs(x - y) for x, y in zip(a, b, strict=True))


def test_no_black_corners_without_a_compositor(tmp_path: Path) -> None:
    require_tools(*TOOLS, "trayer")
    with desktop_session(tmp_path, tray=False) as desk:
        env = app_env(desk.env)
        with trayer_host(env, tmp_path), running_app(env, tmp_path / "app.log", "--demo"):
            icon = find_icon(desk.display, env, Box(0, 0, WIDTH - 1, 40), tmp_path / "b.png")
            click(env, *icon.center)
            card = wait_for_window(env, CARD)
            ARTIFACTS.mkdir(exist_ok=True)
            shot = ARTIFACTS / "card-without-compositor.png"

            def corners_drawn() -> bool:
                screenshot(desk.display, shot, env)
                inside = pixel_at(shot, card.left + 4, card.bottom - 4)  # the card's padding
                corners = [
                    pixel_at(shot, x, y)
                    for x, y in ((card.left + 1, card.top + 1), (card.right - 1, card.bottom - 1))
                ]
                return all(_distance(corner, inside) < 40 for corner in corners)

            # Nothing blends a see-through corner here: it must be card, not black.
            wait_until(corners_drawn, what="card-coloured corners", timeout=10)


def _window_id(env: dict[str, str], title: str) -> str:
    ids = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", f"^{title}"],
        env=env, capture_output=True, text=True, timeout=30,
    ).stdout.split()  # fmt: skip
    assert ids, f"no window {title!r}"
    return ids[-1]


def _x(env: dict[str, str], *argv: str) -> str:
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=30).stdout


def _geometry(env: dict[str, str], window: str) -> str:
    """The client's size and place on screen, as xwininfo reports it."""
    return next(
        line.split()[-1]
        for line in _x(env, "xwininfo", "-id", window).splitlines()
        if "-geometry" in line
    )


def test_the_no_tray_window_keeps_its_size_and_alt_f4_quits(tmp_path: Path) -> None:
    require_tools(*TOOLS, "openbox", "xprop")
    with desktop_session(tmp_path, tray=False) as desk:
        env = app_env(desk.env)
        with openbox(env, tmp_path), (tmp_path / "app.log").open("w") as log:
            app = subprocess.Popen(
                [sys.executable, "-m", "nowplaying_tray", "--demo"],
                env=env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
            try:
                wait_for_window(env, "Now Playing", timeout=15)
                window = _window_id(env, "Now Playing")
                ARTIFACTS.mkdir(exist_ok=True)
                screenshot(desk.display, ARTIFACTS / "no-tray-window-openbox.png", env)
                allowed = _x(env, "xprop", "-id", window, "_NET_WM_ALLOWED_ACTIONS")
                assert "_NET_WM_ACTION_CLOSE" in allowed, allowed
                assert "MAXIMIZE" not in allowed and "RESIZE" not in allowed, allowed
                before = _geometry(env, window)  # e.g. 360x201+459+299
                # A double click on openbox's title bar maximises an ordinary window.
                width, _, rest = before.partition("x")
                x, y = (int(v) for v in rest.split("+")[1:3])
                subprocess.run(
                    ["xdotool", "mousemove", "--sync", str(x + int(width) // 2), str(y - 10),
                     "click", "--repeat", "2", "--delay", "80", "1"],
                    env=env, check=True, timeout=30,
                )  # fmt: skip
                screenshot(desk.display, ARTIFACTS / "no-tray-window-after-maximise.png", env)
                after = _geometry(env, window)
                # Same width and place; the height only follows the card (a status line
                # may have gone meanwhile), never the screen's.
                assert after.split("x")[0] == width, (before, after)
                assert after.partition("+")[2] == rest.partition("+")[2], (before, after)
                assert int(after.split("x")[1].split("+")[0]) < 400, (before, after)
                _x(env, "xdotool", "windowactivate", "--sync", window, "key", "alt+F4")
                status = app.wait(timeout=15)  # the app ends by itself
            finally:
                if app.poll() is None:
                    app.send_signal(signal.SIGTERM)
                    app.wait(timeout=15)
        output = (tmp_path / "app.log").read_text()
        assert status == 0, output
        assert "Traceback" not in output
        assert window_box(env, "Now Playing") is None


__all__ = ["REPO_ROOT"]
