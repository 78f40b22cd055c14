"""A real browser for the login: headless Chromium driven by Playwright clicks "Agree".

``python -m tests.support.chromium URL [agree|cancel] [screenshot.png]``.
``chromium_command`` writes a ``BROWSER`` script that starts it in the background.
"""

from __future__ import annotations

import shlex
import shutil
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def chromium_command(directory: Path, decision: str = "agree", shot: Path | None = None) -> str:
    script = directory / f"chromium-{decision}.sh"
    log = directory / f"chromium-{decision}.log"
    args = f'"$1" {decision}' + (f" {shlex.quote(str(shot))}" if shot else "")
    script.write_text(
        "#!/bin/sh\n"
        f"cd {shlex.quote(str(REPO_ROOT))}\n"
        f"{shlex.quote(sys.executable)} -m tests.support.chromium {args} "
        f">{shlex.quote(str(log))} 2>&1 &\n"
    )
    script.chmod(0o755)
    return str(script)


def answer(url: str, decision: str, shot: str | None) -> None:
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    assert executable, "chromium is not installed"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(url)
        if shot:
            page.screenshot(path=shot)  # the consent page, as the person sees it
        page.get_by_role("button", name="Agree" if decision == "agree" else "Cancel").click()
        page.wait_for_url("http://127.0.0.1:*/callback*")
        page.wait_for_load_state()
        if shot:
            page.screenshot(path=shot.replace(".png", "-done.png"))
        print(page.inner_text("body"))
        browser.close()


if __name__ == "__main__":
    answer(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
