"""Where the setup and settings windows open: centred on the monitor the person is
using (where the pointer is: they just chose the entry from the tray's menu there),
not on the primary monitor Qt would pick."""

from __future__ import annotations

import logging

from PySide6.QtCore import QPoint
from PySide6.QtGui import QCursor, QGuiApplication
from PySide6.QtWidgets import QWidget

from nowplaying_tray.ui.popup.placement import logical_available

logger = logging.getLogger(__name__)


def present_where_the_pointer_is(window: QWidget) -> None:
    """Show ``window`` and bring it forward; a window that opens is first centred on
    the pointer's monitor (an open one stays where the person put it)."""
    if not window.isVisible():
        screen = QGuiApplication.screenAt(QCursor.pos()) or QGuiApplication.primaryScreen()
        if screen is not None:
            area = logical_available(
                screen.geometry(), screen.availableGeometry(), screen.devicePixelRatio()
            )
            size = window.size()
            window.move(area.center() - QPoint(size.width() // 2, size.height() // 2))
            logger.debug("Opening %s on %s", window.objectName(), screen.name())
    window.show()
    window.raise_()
    window.activateWindow()


__all__ = ["present_where_the_pointer_is"]
