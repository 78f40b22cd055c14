"""Prototype of a two-phase start, for the start-up benchmark: tray first, the rest later.

    python bench/_early_tray.py

Shows the app's own ``TrayView`` (icon, tooltip and menu) right after
``QApplication`` is made, importing only Qt and the tray's modules, and only then
imports ``nowplaying_tray.app`` (spotipy, keyring, requests, the popup...). It
measures how soon the icon could appear if ``run_app`` were split this way; it
builds no ``TrayApp`` and polls nothing.
"""

from __future__ import annotations

import json
import sys
import time


def emit_mark(name: str, **data: object) -> None:
    payload = json.dumps(data, separators=(",", ":")) if data else ""
    sys.stdout.write(f"BENCH {name} {time.monotonic():.6f} {payload}".rstrip() + "\n")
    sys.stdout.flush()


def main() -> int:
    emit_mark("launcher-start")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from nowplaying_tray.ui.tray import MenuState, TrayView

    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    tray = TrayView(lambda: MenuState(header="Starting…"), tray_wait_attempts=0)
    tray.show()
    emit_mark("tray-shown")

    def rest() -> None:
        import nowplaying_tray.app  # noqa: F401

        emit_mark("app-imported")
        app.quit()

    QTimer.singleShot(0, rest)
    status = app.exec()
    tray.dispose()
    return status


if __name__ == "__main__":
    sys.exit(main())
