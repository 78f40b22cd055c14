"""One app per user: a second start shows the first and exits 0; a crash leaves no obstacle."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from nowplaying_tray.core.paths import AppPaths
from tests.desktop_support import wait_until
from tests.support.browser import REPO_ROOT


def start_demo(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    # The child keeps its own descriptor; ours is closed once it has started.
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "nowplaying_tray", "--demo"],
            env=env,
            cwd=REPO_ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def test_second_start_shows_the_first_then_a_crash_is_survived(tmp_path: Path) -> None:
    env = dict(os.environ) | {"QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO_ROOT)}
    first_log = tmp_path / "first.log"
    first = start_demo(env, first_log)
    try:
        wait_until(
            lambda: "Now playing:" in first_log.read_text(),
            what="the first instance playing",
            timeout=30,
        )
        second = subprocess.run(
            [sys.executable, "-m", "nowplaying_tray"],
            env=env,
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert second.returncode == 0
        assert "already running" in second.stderr
        # Headless, the console shows track changes only; the log file has the rest.
        app_log = AppPaths.default().log_dir / "nowplaying-tray.log"
        wait_until(
            lambda: (
                app_log.exists() and "Shown at the request of another start" in app_log.read_text()
            ),
            what="the first instance showing itself",
            timeout=10,
        )
        # Qt's own words about it go to the log; the terminal keeps only ours.
        wait_until(
            lambda: "Qt: This plugin does not support raise()" in app_log.read_text(),
            what="Qt's message in the log",
            timeout=10,
        )
        assert "raise()" not in first_log.read_text()
    finally:
        first.send_signal(signal.SIGKILL)  # a crash: the lock file stays behind
        first.wait(timeout=10)

    third_log = tmp_path / "third.log"
    third = start_demo(env, third_log)
    try:
        wait_until(
            lambda: "Now playing:" in third_log.read_text(),
            what="a new instance despite the stale lock",
            timeout=30,
        )
    finally:
        third.send_signal(signal.SIGTERM)
        assert third.wait(timeout=15) == 0
    assert "Traceback" not in third_log.read_text()


_HOLDER = """
import sys
from PySide6.QtCore import QCoreApplication, QTimer
from nowplaying_tray.core.paths import AppPaths
from nowplaying_tray.services.single_instance import SingleInstance

app = QCoreApplication([])
instance = SingleInstance(AppPaths.default().cache_dir)
assert instance.acquire()
print("locked", flush=True)
sys.stdin.readline()  # the test says when this instance has finished "starting"
instance.listen()
instance.show_requested.connect(lambda: (print("shown", flush=True), app.quit()))
QTimer.singleShot(20_000, app.quit)
app.exec()
"""


def test_a_start_during_the_first_ones_start_up_is_handed_over(tmp_path: Path) -> None:
    # The first instance takes its lock before the tray icon and listens a moment later;
    # a second start in between keeps knocking instead of giving up.
    env = dict(os.environ) | {"QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO_ROOT)}
    holder_log = tmp_path / "holder.log"
    with holder_log.open("wb") as out:
        holder = subprocess.Popen(
            [sys.executable, "-c", _HOLDER],
            env=env,
            cwd=REPO_ROOT,
            stdin=subprocess.PIPE,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    second_log = tmp_path / "second.log"
    try:
        wait_until(lambda: "locked" in holder_log.read_text(), what="the lock", timeout=30)
        with second_log.open("wb") as out:
            second = subprocess.Popen(
                [sys.executable, "-m", "nowplaying_tray"],
                env=env,
                cwd=REPO_ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        app_log = AppPaths.default().log_dir / "nowplaying-tray.log"  # not on a headless console
        wait_until(
            lambda: app_log.exists() and "Already running" in app_log.read_text(),
            what="the second start knocking",
            timeout=30,
        )
        assert holder.stdin is not None
        holder.stdin.write(b"go\n")
        holder.stdin.flush()
        assert second.wait(timeout=30) == 0
        assert holder.wait(timeout=30) == 0
    finally:
        holder.kill()
        holder.wait(timeout=10)
        if holder.stdin is not None:
            holder.stdin.close()
    assert "shown" in holder_log.read_text()
    assert "did not answer" not in second_log.read_text()
