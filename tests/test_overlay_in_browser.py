"""The stream overlay in a real browser: the tray app in its own process, logged in to the
simulator, serves the page; headless Chromium (Playwright) opens it as OBS's browser
source would, and the simulator's control API plays, skips and pauses."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from nowplaying_tray.core.paths import AppPaths
from nowplaying_tray.simulator import SpotifySimulator
from tests.desktop_support import require_tools, wait_until
from tests.support.browser import REPO_ROOT, browser_command
from tests.support.chromium import CHROMIUM_ARGS, chromium_path
from tests.support.cli import cli_environment, run_cli
from tests.support.overlay_http import free_port, get

pytestmark = pytest.mark.browser

SIZE = {"width": 640, "height": 180}  # the size the README suggests for the browser source


@dataclass
class RunningApp:
    url: str
    port: int
    sim: SpotifySimulator

    def control(self, action: str, **arguments: Any) -> None:
        answer = requests.post(
            f"{self.sim.base_url}/_sim/control", json={"action": action, **arguments}, timeout=5
        )
        assert answer.json() == {"ok": True}, answer.text

    def sim_title(self) -> str:
        return str(requests.get(f"{self.sim.base_url}/_sim/state", timeout=5).json()["title"])


@pytest.fixture
def app(tmp_path: Path, sim: SpotifySimulator, isolated_home: AppPaths) -> Iterator[RunningApp]:
    """The tray app as a person runs it, with the overlay on and a quick poll."""
    env = cli_environment(sim, tmp_path / "keyring.json", browser_command(tmp_path))
    login = run_cli(env, "login")
    assert login.returncode == 0, login.stderr
    port = free_port()
    isolated_home.config_dir.mkdir(parents=True, exist_ok=True)
    (isolated_home.config_dir / "settings.json").write_text(
        json.dumps({"overlay_port": port, "poll_interval_s": 2, "daily_request_budget": 100_000})
    )
    env = {
        k: v
        for k, v in env.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS")
    } | {"QT_QPA_PLATFORM": "offscreen"}
    log = tmp_path / "app.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "nowplaying_tray"],
            env=env,
            cwd=REPO_ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    running = RunningApp(f"http://127.0.0.1:{port}/", port, sim)

    def playing() -> bool:
        try:
            status, _, body = get(port, "/now.json")
        except OSError:
            return False
        return status == 200 and json.loads(body)["state"] == "playing"

    try:
        wait_until(playing, what="the overlay serving what plays", timeout=60, log_path=log)
        yield running
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def chromium() -> Iterator[Any]:
    require_tools("chromium")
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    assert executable is not None
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


def open_page(chromium: Any, url: str) -> Any:
    page = chromium.new_page(viewport=SIZE)
    page.goto(url)
    return page


def bar_fraction(page: Any) -> float:
    """How far the progress bar is drawn right now (its scaleX, mid-transition)."""
    return float(
        page.evaluate(
            "() => new DOMMatrixReadOnly(getComputedStyle(document.getElementById('fill'))"
            ".transform).a"
        )
    )


def test_page_shows_the_title_and_follows_a_skip_without_reloading(
    app: RunningApp, chromium: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    page = open_page(chromium, app.url)
    first = app.sim_title()
    expect(page.locator("#title")).to_have_text(first, timeout=10_000)
    expect(page.locator("#card")).to_be_visible()
    # The cover, served by /art from the art the app downloaded for this item.
    page.wait_for_function(
        "() => { const c = document.getElementById('cover');"
        " return c.complete && c.naturalWidth > 0 && c.src.includes('/art'); }",
        timeout=10_000,
    )
    start = bar_fraction(page)
    page.wait_for_function(
        f"() => new DOMMatrixReadOnly(getComputedStyle(document.getElementById('fill'))"
        f".transform).a > {start}",
        timeout=10_000,
    )  # the bar moves between events, with no event at all
    page.screenshot(path=str(tmp_path / "overlay-playing.png"), omit_background=True)
    page.evaluate("() => { window.stillTheSamePage = true; }")

    app.control("skip_next")
    second = app.sim_title()
    assert second != first
    expect(page.locator("#title")).to_have_text(second, timeout=10_000)
    assert page.evaluate("() => window.stillTheSamePage") is True
    page.wait_for_timeout(600)  # the item's entrance animation, for the screenshot only
    page.screenshot(path=str(tmp_path / "overlay-after-skip.png"), omit_background=True)


def test_page_hides_on_pause_when_asked(app: RunningApp, chromium: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    asked = open_page(chromium, app.url + "?hide=paused&accent=ff5500&radius=4")
    plain = open_page(chromium, app.url)
    for page in (asked, plain):
        expect(page.locator("#card")).to_be_visible(timeout=10_000)
    accent = asked.evaluate(
        "() => getComputedStyle(document.getElementById('fill')).backgroundColor"
    )
    assert accent == "rgb(255, 85, 0)"  # the theme from the query
    app.control("pause")
    expect(asked.locator("#card")).to_be_hidden(timeout=10_000)
    expect(plain.locator("#card")).to_have_attribute("data-state", "paused", timeout=10_000)
    expect(plain.locator("#card")).to_be_visible()
    asked.screenshot(path=str(tmp_path / "overlay-paused-hidden.png"), omit_background=True)
    plain.screenshot(path=str(tmp_path / "overlay-paused-shown.png"), omit_background=True)
