"""Memory a session would spend for nothing: parts it may never use stay unimported,
and the source text PySide6 reads at every import is not kept."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

DEFERRED = (
    "nowplaying_tray.ui.popup.card",  # built on the card's first show
    "nowplaying_tray.ui.popup.widgets",
    "nowplaying_tray.ui.popup.labels",
    "nowplaying_tray.ui.setup.window",  # first open
    "nowplaying_tray.ui.settings.window",  # first open
    "keyring.backends.SecretService",  # the login's keyring check
    "PySide6.QtNetwork",  # only while offline, or on Windows
    "plistlib",  # macOS autostart, when switched on
    "nowplaying_tray.core.lyrics_lookup",  # the first lookup, on the lyrics worker
    "nowplaying_tray.core.lrc",  # with the lookup
    "nowplaying_tray.core.login_listener",  # the first login
    "ctypes",  # the clock-step watch, a second after the start; X11 on the card's first show
)

CODE = f"""
import sys
from pathlib import Path
import nowplaying_tray.app
print([name for name in {DEFERRED!r} if name in sys.modules])
"""


def test_the_app_module_leaves_the_deferred_parts_unimported() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", CODE], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


RUN_AND_COUNT = """
import linecache, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from nowplaying_tray import launch
from nowplaying_tray.core.paths import AppPaths

app = QApplication(sys.argv[:1])
def count():
    print("sources kept:", len(linecache.cache), flush=True)
    app.quit()
QTimer.singleShot(launch.LATE_IMPORTS_MS + 1000, count)
sys.exit(launch.run_app(AppPaths.default(), demo=True))
"""


def run_headless(code: str, tmp_path: Path) -> str:
    """Run ``code`` in a fresh offscreen interpreter with its own home and no session bus;
    its standard output."""
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        HOME=str(tmp_path),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
        XDG_STATE_HOME=str(tmp_path / "state"),
        XDG_DATA_HOME=str(tmp_path / "data"),
    )
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout + done.stderr


def test_a_started_app_keeps_no_module_sources(tmp_path: Path) -> None:
    # PySide6 reads every imported module's source and linecache would keep it (~5 MiB).
    output = run_headless(RUN_AND_COUNT, tmp_path)
    assert "sources kept: 0" in output, output


BUILD_AND_START = """
import sys
import PySide6.QtCore as QtCore
from PySide6.QtWidgets import QApplication
from nowplaying_tray.app import AppOptions, TrayApp
from nowplaying_tray.core.paths import AppPaths
from nowplaying_tray.core.settings import Settings

app = QApplication(sys.argv[:1])
tray_app = TrayApp(Settings(client_id="5e1a7c3f9b2d4e6a8c0f1b3d5e7a9c2b"), AppPaths.default())
tray_app.start()
print("Qt namespace built:", "Qt" in vars(QtCore), flush=True)
tray_app.shutdown()
"""


def test_the_qt_namespace_waits_until_after_the_start(tmp_path: Path) -> None:
    # Its first use builds all of Qt's ~90 enums (20-40 ms), before the first playback
    # could be shown: the app is built and started without it.
    output = run_headless(BUILD_AND_START, tmp_path)
    assert "Qt namespace built: False" in output, output
