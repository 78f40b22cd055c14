"""Which tray icon the app shows, chosen before the rest of the app is loaded.

Where a StatusNotifierItem host runs (KDE, xfce4-panel, GNOME's AppIndicator
extension), the icon lives on the app's own session-bus connection (``BusTrayIcon``),
which the app then uses for all its D-Bus work: Qt's icon would open a connection
of its own beside it. Elsewhere (an XEmbed tray such as trayer, no session bus,
Windows, macOS) the icon is Qt's ``QSystemTrayIcon``.
"""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QSystemTrayIcon

from nowplaying_tray.ui.icons import TrayIconState, tray_icon

if TYPE_CHECKING:
    from nowplaying_tray.services.tray_item import TrayItem

logger = logging.getLogger(__name__)

STARTING = "Now Playing — starting…"


class TrayIconChoice(QObject):
    """Signal: ``chosen(icon, bus)``: the icon, already shown where a tray is, and the
    app's bus connection (``BusThread``) if one was opened to look (else None)."""

    chosen = Signal(object, object)

    def __init__(self, use_bus: bool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._use_bus = use_bus and sys.platform.startswith("linux")
        self._item: TrayItem | None = None

    def choose(self) -> None:
        """Choose; ``chosen`` follows at once without a bus, else once the bus answered
        (asked on the bus thread: the GUI never waits for it)."""
        if not self._use_bus:
            self.chosen.emit(qt_tray_icon(), None)
            return
        from nowplaying_tray.bus.thread import BusThread
        from nowplaying_tray.services.tray_item import TrayItem

        self._item = TrayItem(BusThread("dbus"))
        self._item.host_found.connect(self._on_host_found)
        self._item.find_host()

    def _on_host_found(self, host: bool) -> None:
        assert self._item is not None
        if not host:
            logger.info("No StatusNotifierItem host on the session bus: Qt's tray icon")
            self.chosen.emit(qt_tray_icon(), self._item.bus)
            return
        from nowplaying_tray.ui.bus_tray_icon import BusTrayIcon

        icon = BusTrayIcon(self._item, tray_icon(TrayIconState.IDLE))
        icon.setToolTip(STARTING)
        icon.show()
        self.chosen.emit(icon, self._item.bus)


def qt_tray_icon() -> QSystemTrayIcon:
    """Qt's tray icon, shown if a tray is there already (else the app waits for one)."""
    icon = QSystemTrayIcon(tray_icon(TrayIconState.IDLE))
    icon.setToolTip(STARTING)
    if QSystemTrayIcon.isSystemTrayAvailable():
        icon.show()
    return icon


__all__ = ["STARTING", "TrayIconChoice", "qt_tray_icon"]
