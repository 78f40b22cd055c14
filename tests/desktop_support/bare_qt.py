"""A bare Qt tray icon and nothing else: what Qt alone costs on a desktop session
(``python -m tests.desktop_support.bare_tray``, until terminated)."""

from __future__ import annotations

import sys

from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QApplication, QSystemTrayIcon


def main() -> int:
    app = QApplication(sys.argv[:1])
    pixmap = QPixmap(16, 16)
    pixmap.fill()
    icon = QSystemTrayIcon(QIcon(pixmap))
    icon.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
