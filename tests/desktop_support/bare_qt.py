"""A bare Qt application and nothing else: what Qt alone costs on a desktop session
(``python -m tests.desktop_support.bare_qt [--tray-icon]``, until terminated). It prints
``ready`` once its event loop runs (with ``--tray-icon``, once its icon is shown)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QApplication, QSystemTrayIcon


def main() -> int:
    app = QApplication(sys.argv[:1])
    if "--tray-icon" in sys.argv:
        pixmap = QPixmap(16, 16)
        pixmap.fill()
        icon = QSystemTrayIcon(QIcon(pixmap))
        icon.show()
    QTimer.singleShot(0, lambda: print("ready", flush=True))
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
