"""Parts a session may never use are not imported with the app (each costs MiB at start)."""

from __future__ import annotations

import os
import subprocess
import sys

DEFERRED = (
    "nowplaying_tray.ui.popup_card",  # built on the card's first show
    "nowplaying_tray.ui.popup_widgets",
    "nowplaying_tray.ui.popup_labels",
    "nowplaying_tray.ui.setup_window",  # first open
    "nowplaying_tray.ui.settings_window",  # first open
    "keyring.backends.SecretService",  # the login's keyring check
    "PySide6.QtNetwork",  # only while offline, or on Windows
    "plistlib",  # macOS autostart, when switched on
)

CODE = f"""
import sys
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
