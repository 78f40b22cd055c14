"""The tray icon on the app's own D-Bus connection: a StatusNotifierItem and its menu.

Qt's ``QSystemTrayIcon`` would open a second session-bus connection of its own for
this; on the app's ``BusThread`` the icon, our MPRIS player, the local players and the
notifications share one. Where no StatusNotifierItem host runs (an XEmbed tray such as
trayer, Windows, macOS), the app keeps Qt's icon: ``find_host`` tells which.

All bus work runs on the D-Bus thread; the host's calls come back as Qt signals.
A host that restarts (the panel) gets the item registered again.
"""

from __future__ import annotations

import logging
import os
import time
from typing import Any

from PySide6.QtCore import QObject, Signal

from nowplaying_tray.bus.dbus_menu import ROOT_ID, DBusMenu, MenuEntry
from nowplaying_tray.bus.status_notifier import (
    WATCHER_IFACE,
    WATCHER_NAME,
    WATCHER_PATH,
    ItemActions,
    ItemLook,
    Pixmap,
    StatusNotifierItem,
)
from nowplaying_tray.bus.thread import BusThread, BusUnavailable

logger = logging.getLogger(__name__)

# A host that sends both AboutToShow and an "opened" event means one opening.
OPENED_AFTER_ABOUT_TO_SHOW_S = 1.0


def host_present(bus: BusThread) -> bool:
    """A StatusNotifierItem watcher runs with a host registered (bus thread; blocking)."""
    try:
        bus.connect()
    except BusUnavailable as exc:
        logger.info("No D-Bus tray: %s", exc)
        return False
    if not bus.call_bus("NameHasOwner", "s", (WATCHER_NAME,)):
        return False
    registered = bus.get_property(
        WATCHER_NAME, WATCHER_PATH, WATCHER_IFACE, "IsStatusNotifierHostRegistered"
    )
    return registered is True


class TrayItem(QObject):
    """Signals (emitted on the D-Bus thread, delivered queued to the GUI thread):
    activated / secondary_activated / context_menu_requested (x, y on the screen, 0 when
    the host does not tell), scrolled(delta, orientation), menu_clicked(id),
    menu_about_to_show(id) for a menu entry of ``MenuEntry.id``; host_found(bool): the
    answer to ``find_host``."""

    activated = Signal(int, int)
    secondary_activated = Signal(int, int)
    context_menu_requested = Signal(int, int)
    scrolled = Signal(int, str)
    menu_clicked = Signal(int)
    menu_about_to_show = Signal(int)
    host_found = Signal(bool)

    def __init__(self, bus: BusThread, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bus = bus
        self._name = f"org.kde.StatusNotifierItem-{os.getpid()}-1"
        actions = ItemActions(
            activate=self.activated.emit,
            secondary_activate=self.secondary_activated.emit,
            context_menu=self.context_menu_requested.emit,
            scroll=self.scrolled.emit,
        )
        self._item = StatusNotifierItem("nowplaying-tray", actions, bus.send)
        self._menu = DBusMenu(self._on_menu_event, self._on_about_to_show, bus.send)
        self._wanted = False  # the GUI's wish; the D-Bus thread follows it in order
        self._shown = False  # D-Bus thread only
        self._exported = False
        self._about_to_show_at: dict[int, float] = {}  # D-Bus thread only

    @property
    def bus(self) -> BusThread:
        return self._bus

    @property
    def service(self) -> str:
        """The bus name the item is registered under."""
        return self._name

    def find_host(self) -> None:
        """Look for a StatusNotifierItem host; the answer comes as ``host_found``."""
        self._bus.submit(lambda: self.host_found.emit(host_present(self._bus)))

    def show_state(self, look: ItemLook, menu: MenuEntry) -> None:
        """The icon, tooltip and menu, changed together: a host that sees the new tooltip
        reads the menu that goes with it (one job on the D-Bus thread, the menu first)."""

        def show_both() -> None:
            self._menu.show(menu)
            self._item.show(look)

        self._bus.submit(show_both)

    def show(self) -> None:
        if not self._wanted:
            self._wanted = True
            self._bus.submit(self._sync)

    def hide(self) -> None:
        if self._wanted:
            self._wanted = False
            self._bus.submit(self._sync)

    # the D-Bus thread -----------------------------------------------------------------

    def _sync(self) -> None:
        """Bring the bus in line with ``_wanted``."""
        try:
            self._bus.connect()
        except BusUnavailable as exc:
            logger.info("No tray icon on D-Bus: %s", exc)
            return
        if not self._exported:
            self._bus.export(self._item.exported)
            self._bus.export(self._menu.exported)
            self._bus.on_message(self._on_message)
            rule = (
                "type='signal',sender='org.freedesktop.DBus',member='NameOwnerChanged',"
                f"arg0='{WATCHER_NAME}'"
            )
            self._bus.call_bus("AddMatch", "s", (rule,))
            self._exported = True
        if self._wanted and not self._shown:
            if not self._bus.request_name(self._name):
                logger.info("%s is taken; no tray icon on D-Bus", self._name)
                return
            self._shown = True
            self._register()
        elif not self._wanted and self._shown:
            self._bus.release_name(self._name)
            self._shown = False

    def _register(self) -> None:
        reply = self._bus.call(
            WATCHER_NAME, WATCHER_PATH, WATCHER_IFACE, "RegisterStatusNotifierItem", "s",
            (self._name,),
        )  # fmt: skip
        if reply is not None:
            logger.info("Tray icon registered with the StatusNotifierItem host")

    def _on_message(self, message: Any) -> None:
        from jeepney import HeaderFields, MessageType

        fields = message.header.fields
        if (
            message.header.message_type is MessageType.signal
            and fields.get(HeaderFields.member) == "NameOwnerChanged"
            and fields.get(HeaderFields.sender) == "org.freedesktop.DBus"
            and message.body[:1] == (WATCHER_NAME,)
            and message.body[2]
            and self._shown
        ):
            logger.info("The tray host came back; registering the icon again")
            self._register()

    def _on_menu_event(self, entry_id: int, event: str) -> None:
        if event == "clicked":
            self.menu_clicked.emit(entry_id)
        elif event == "opened":  # hosts that send no AboutToShow
            last = self._about_to_show_at.get(entry_id, float("-inf"))
            if time.monotonic() - last > OPENED_AFTER_ABOUT_TO_SHOW_S:
                self.menu_about_to_show.emit(entry_id)

    def _on_about_to_show(self, entry_id: int) -> None:
        self._about_to_show_at[entry_id] = time.monotonic()
        self.menu_about_to_show.emit(entry_id)


__all__ = ["ROOT_ID", "ItemLook", "MenuEntry", "Pixmap", "TrayItem", "host_present"]
