"""A menu exported as ``com.canonical.dbusmenu``: what a StatusNotifierItem host (xfce4-panel,
KDE, GNOME's AppIndicator extension) reads and lays out itself when the icon is clicked.

The menu is plain data (``MenuEntry``), replaced whole whenever it changes; the host is
told with ``LayoutUpdated`` and reads it again. A click comes back as a call to
``on_event(id, event)``, an opening as ``on_about_to_show(id)``; both run on the bus
thread and must only hand over (never block). Everything a host sends is checked:
unknown ids get an error, not an exception.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from nowplaying_tray.bus.exported import CallError, ExportedObject, Interface, Method, Property

logger = logging.getLogger(__name__)

MENU_IFACE = "com.canonical.dbusmenu"
MENU_PATH = "/MenuBar"
ROOT_ID = 0
MAX_IDS = 1000  # a host's group call is answered for this many ids at most
Layout = tuple[int, dict[str, tuple[str, Any]], list[tuple[str, Any]]]  # (ia{sv}av)


@dataclass(frozen=True)
class MenuEntry:
    """One entry: ``label`` uses "_" before the access key ("__" is a literal "_")."""

    id: int
    label: str = ""
    enabled: bool = True
    visible: bool = True
    separator: bool = False
    checked: bool | None = None  # None: not a check box
    children: tuple[MenuEntry, ...] = ()
    submenu: bool = False

    def properties(self) -> dict[str, tuple[str, Any]]:
        """Its dbusmenu properties; defaults (enabled, visible, standard) are left out."""
        props: dict[str, tuple[str, Any]] = {}
        if self.separator:
            props["type"] = ("s", "separator")
        elif self.id != ROOT_ID:
            props["label"] = ("s", self.label)
        if not self.enabled:
            props["enabled"] = ("b", False)
        if not self.visible:
            props["visible"] = ("b", False)
        if self.checked is not None:
            props["toggle-type"] = ("s", "checkmark")
            props["toggle-state"] = ("i", 1 if self.checked else 0)
        if self.submenu or self.id == ROOT_ID:
            props["children-display"] = ("s", "submenu")
        return props

    def walk(self) -> Iterator[MenuEntry]:
        yield self
        for child in self.children:
            yield from child.walk()


class DBusMenu:
    """The exported menu at ``/MenuBar``; bus thread only."""

    def __init__(
        self,
        on_event: Callable[[int, str], None],
        on_about_to_show: Callable[[int], None],
        send: Callable[[Any], None],
    ) -> None:
        self._on_event = on_event
        self._on_about_to_show = on_about_to_show
        self._send = send
        self._root = MenuEntry(ROOT_ID)
        self._by_id: dict[int, MenuEntry] = {ROOT_ID: self._root}
        self._revision = 1
        self.exported = ExportedObject(MENU_PATH, [self._interface()])

    def show(self, root: MenuEntry) -> None:
        """The menu is now ``root``'s children; the host is told if anything changed."""
        if root == self._root:
            return
        self._root = root
        self._by_id = {entry.id: entry for entry in root.walk()}
        self._revision += 1
        self._send(
            self.exported.signal(MENU_IFACE, "LayoutUpdated", "ui", (self._revision, ROOT_ID))
        )

    # the calls -------------------------------------------------------------------------

    def _interface(self) -> Interface:
        props = {
            "Version": Property("u", lambda: 3),
            "TextDirection": Property("s", lambda: "ltr"),
            "Status": Property("s", lambda: "normal"),
            "IconThemePath": Property("as", lambda: []),
        }
        return Interface(
            MENU_IFACE,
            methods={
                "GetLayout": Method(
                    self._get_layout,
                    (("parentId", "i"), ("recursionDepth", "i"), ("propertyNames", "as")),
                    returns="u(ia{sv}av)",
                ),
                "GetGroupProperties": Method(
                    self._group_properties,
                    (("ids", "ai"), ("propertyNames", "as")),
                    returns="a(ia{sv})",
                ),
                "GetProperty": Method(
                    self._get_property, (("id", "i"), ("name", "s")), returns="v"
                ),
                "Event": Method(
                    self._event,
                    (("id", "i"), ("eventId", "s"), ("data", "v"), ("timestamp", "u")),
                ),
                "EventGroup": Method(self._event_group, (("events", "a(isvu)"),), returns="ai"),
                "AboutToShow": Method(self._about_to_show, (("id", "i"),), returns="b"),
                "AboutToShowGroup": Method(
                    self._about_to_show_group, (("ids", "ai"),), returns="aiai"
                ),
            },
            properties=props,
            signals={
                "ItemsPropertiesUpdated": (("updatedProps", "a(ia{sv})"), ("removed", "a(ias)")),
                "LayoutUpdated": (("revision", "u"), ("parent", "i")),
                "ItemActivationRequested": (("id", "i"), ("timestamp", "u")),
            },
        )

    def _entry(self, entry_id: int) -> MenuEntry:
        entry = self._by_id.get(entry_id)
        if entry is None:
            raise CallError("InvalidArgs", f"No menu entry {entry_id}")
        return entry

    def _get_layout(self, parent_id: int, depth: int, names: list[str]) -> tuple[Any, ...]:
        return self._revision, _layout(self._entry(parent_id), depth, set(names))

    def _group_properties(self, ids: list[int], names: list[str]) -> tuple[Any, ...]:
        wanted = set(names)
        found = [self._by_id[i] for i in ids[:MAX_IDS] if i in self._by_id]
        return ([(entry.id, _chosen(entry, wanted)) for entry in found],)

    def _get_property(self, entry_id: int, name: str) -> tuple[Any, ...]:
        props = self._entry(entry_id).properties()
        if name not in props:
            raise CallError("InvalidArgs", f"Menu entry {entry_id} has no property {name}")
        return (props[name],)

    def _event(self, entry_id: int, event: str, _data: Any, _timestamp: int) -> None:
        self._entry(entry_id)
        self._on_event(entry_id, event)

    def _event_group(self, events: list[tuple[int, str, Any, int]]) -> tuple[Any, ...]:
        unknown = []
        for entry_id, event, data, timestamp in events[:MAX_IDS]:
            if entry_id in self._by_id:
                self._event(entry_id, event, data, timestamp)
            else:
                unknown.append(entry_id)
        return (unknown,)

    def _about_to_show(self, entry_id: int) -> tuple[Any, ...]:
        self._entry(entry_id)
        self._on_about_to_show(entry_id)
        return (False,)  # a change it brings comes as LayoutUpdated

    def _about_to_show_group(self, ids: list[int]) -> tuple[Any, ...]:
        known = [i for i in ids[:MAX_IDS] if i in self._by_id]
        for entry_id in known:
            self._on_about_to_show(entry_id)
        return [], [i for i in ids[:MAX_IDS] if i not in self._by_id]


def _chosen(entry: MenuEntry, names: set[str]) -> dict[str, tuple[str, Any]]:
    props = entry.properties()
    return {k: v for k, v in props.items() if k in names} if names else props


def _layout(entry: MenuEntry, depth: int, names: set[str]) -> Layout:
    """``(id, properties, children)``; ``depth`` -1 is the whole tree, 0 the entry alone."""
    children = []
    if depth != 0:
        children = [
            ("(ia{sv}av)", _layout(child, depth - 1 if depth > 0 else -1, names))
            for child in entry.children
        ]
    return entry.id, _chosen(entry, names), children


__all__ = ["MENU_IFACE", "MENU_PATH", "ROOT_ID", "DBusMenu", "MenuEntry"]
