"""The floor: a minimal PySide6 tray app (QApplication + QSystemTrayIcon + QMenu + QTimer).

    python bench/_minimal_tray.py [--with-spotipy-keyring [--without-redis]] [--stay]
                                  [--interval-ms N]

Prints ``BENCH first-tick <monotonic> {...}`` at its first timer tick, then quits,
or with ``--stay`` keeps ticking every ``--interval-ms`` until killed (the CPU
baseline). ``--with-spotipy-keyring`` also imports spotipy and keyring first, as any
program would (spotipy then loads redis); add ``--without-redis`` to import spotipy
the way the app does, through ``nowplaying_tray.core.spotipy_loader`` (no redis).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path


def emit_mark(name: str, **data: object) -> None:
    import json

    # CPU time of the whole process so far: unlike wall time, it barely moves with load.
    data = {**data, "cpu_s": round(time.process_time(), 4)}
    payload = json.dumps(data, separators=(",", ":"))
    sys.stdout.write(f"BENCH {name} {time.monotonic():.6f} {payload}".rstrip() + "\n")
    sys.stdout.flush()


def memory() -> dict[str, int]:
    values = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key = line.split(":", 1)[0]
        if key in ("VmRSS", "VmHWM"):
            values[key.lower()[2:] + "_kib"] = int(line.split()[1])
    return values


def main() -> int:
    argv = sys.argv[1:]
    emit_mark("launcher-start")
    if "--with-spotipy-keyring" in argv:
        import keyring  # noqa: F401

        if "--without-redis" in argv:
            import nowplaying_tray.core.spotipy_loader  # noqa: F401
        import spotipy  # noqa: F401
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QColor, QIcon, QPixmap
    from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon

    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    pixmap = QPixmap(22, 22)
    pixmap.fill(QColor("#1db954"))
    tray = QSystemTrayIcon(QIcon(pixmap))
    menu = QMenu()
    menu.addAction("Quit", app.quit)
    tray.setContextMenu(menu)
    tray.setToolTip("Minimal tray")
    tray.show()
    stay = "--stay" in argv
    interval = int(argv[argv.index("--interval-ms") + 1]) if "--interval-ms" in argv else 5000
    ticks = 0

    def tick() -> None:
        nonlocal ticks
        ticks += 1
        if ticks == 1:
            emit_mark("first-tick", **memory())
            if not stay:
                app.quit()
                return
            timer.setInterval(interval)
        tray.setToolTip(f"Minimal tray {ticks}")

    timer = QTimer()
    timer.setInterval(0)
    timer.timeout.connect(tick)
    timer.start()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
