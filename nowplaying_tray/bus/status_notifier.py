"""A tray icon as a StatusNotifierItem (``org.kde.StatusNotifierItem``), the D-Bus tray of
KDE, xfce4-panel, GNOME's AppIndicator extension and most panels on Linux today.

The item is plain data here: an icon as ARGB pixmaps, a tooltip, and the path of the
menu (``dbus_menu``). A host calls ``Activate`` on a left click, ``SecondaryActivate``
on a middle click, ``ContextMenu`` only if it cannot read the menu itself, ``Scroll``
on the wheel; each goes to ``ItemActions`` on the bus thread, which must only hand over.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from nowplaying_tray.bus.dbus_menu import MENU_PATH
from nowplaying_tray.bus.exported import ExportedObject, Interface, Method, Property

logger = logging.getLogger(__name__)

ITEM_IFACE = "org.kde.StatusNotifierItem"
ITEM_PATH = "/StatusNotifierItem"
WATCHER_NAME = "org.kde.StatusNotifierWatcher"
WATCHER_PATH = "/StatusNotifierWatcher"
WATCHER_IFACE = "org.kde.StatusNotifierWatcher"
Pixmap = tuple[int, int, bytes]  # width, height, ARGB32 in network byte order


@dataclass(frozen=True)
class ItemActions:
    """What a host's calls do (x and y: where on the screen, when the host tells)."""

    activate: Callable[[int, int], None]
    secondary_activate: Callable[[int, int], None]
    context_menu: Callable[[int, int], None]
    scroll: Callable[[int, str], None]  # delta, "vertical" or "horizontal"


@dataclass(frozen=True)
class ItemLook:
    """What the item shows."""

    pixmaps: tuple[Pixmap, ...] = ()
    tooltip: str = ""
    title: str = "Now Playing"


class StatusNotifierItem:
    """Our object at ``/StatusNotifierItem``; bus thread only."""

    def __init__(self, item_id: str, actions: ItemActions, send: Callable[[Any], None]) -> None:
        self._send = send
        self._look = ItemLook()
        props: dict[str, Property] = {
            "Category": Property("s", lambda: "ApplicationStatus"),
            "Id": Property("s", lambda: item_id),
            "Title": Property("s", lambda: self._look.title),
            "Status": Property("s", lambda: "Active"),
            "WindowId": Property("i", lambda: 0),
            "IconThemePath": Property("s", lambda: ""),
            "IconName": Property("s", lambda: ""),
            "IconPixmap": Property("a(iiay)", lambda: list(self._look.pixmaps)),
            "OverlayIconName": Property("s", lambda: ""),
            "OverlayIconPixmap": Property("a(iiay)", lambda: []),
            "AttentionIconName": Property("s", lambda: ""),
            "AttentionIconPixmap": Property("a(iiay)", lambda: []),
            "AttentionMovieName": Property("s", lambda: ""),
            # The whole text as the title: hosts show it as it is (plain text), as for Qt's.
            "ToolTip": Property("(sa(iiay)ss)", lambda: ("", [], self._look.tooltip, "")),
            "ItemIsMenu": Property("b", lambda: False),
            "Menu": Property("o", lambda: MENU_PATH),
        }
        point = (("x", "i"), ("y", "i"))
        interface = Interface(
            ITEM_IFACE,
            methods={
                "Activate": Method(actions.activate, point),
                "SecondaryActivate": Method(actions.secondary_activate, point),
                "ContextMenu": Method(actions.context_menu, point),
                "Scroll": Method(actions.scroll, (("delta", "i"), ("orientation", "s"))),
            },
            properties=props,
            signals={
                "NewTitle": (),
                "NewIcon": (),
                "NewAttentionIcon": (),
                "NewOverlayIcon": (),
                "NewToolTip": (),
                "NewStatus": (("status", "s"),),
            },
        )
        self.exported = ExportedObject(ITEM_PATH, [interface])

    def show(self, look: ItemLook) -> None:
        """Show ``look``; the host is told what changed."""
        old, self._look = self._look, look
        if look.pixmaps != old.pixmaps:
            self._signal("NewIcon")
        if look.tooltip != old.tooltip:
            self._signal("NewToolTip")
        if look.title != old.title:
            self._signal("NewTitle")

    def _signal(self, member: str) -> None:
        self._send(self.exported.signal(ITEM_IFACE, member, "", ()))


__all__ = [
    "ITEM_IFACE",
    "ITEM_PATH",
    "WATCHER_IFACE",
    "WATCHER_NAME",
    "WATCHER_PATH",
    "ItemActions",
    "ItemLook",
    "StatusNotifierItem",
]
