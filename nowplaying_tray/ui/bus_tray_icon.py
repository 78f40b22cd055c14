"""``BusTrayIcon``: the tray icon as a StatusNotifierItem on the app's bus (``TrayItem``),
with the few ``QSystemTrayIcon`` methods ``TrayView`` uses, so that the view works the
same on either. The ``QMenu`` given to ``setContextMenu`` is exported as it changes;
a click in the host's menu triggers the ``QAction``, as a click in Qt's own would.
"""

from __future__ import annotations

import array
import logging
import sys
from dataclasses import replace

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize, QTimer, Signal
from PySide6.QtGui import QAction, QIcon, QImage
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from nowplaying_tray.services.tray_item import ROOT_ID, ItemLook, MenuEntry, Pixmap, TrayItem

logger = logging.getLogger(__name__)

# Hosts pick the size nearest their panel's (xfce4-panel: 16-64 px, twice that at 2x).
PIXMAP_SIZES = (16, 22, 24, 32, 48, 64)
_MENU_EVENTS = (QEvent.Type.ActionAdded, QEvent.Type.ActionChanged, QEvent.Type.ActionRemoved)


def dbus_label(text: str) -> str:
    """A Qt action text ("&" marks the access key, "&&" is an "&") as a dbusmenu label
    ("_" marks it, "__" is a "_")."""
    out, chars = [], iter(text)
    for char in chars:
        if char == "&":
            following = next(chars, "")
            out.append("&" if following == "&" else "_" + following.replace("_", "__"))
        else:
            out.append("__" if char == "_" else char)
    return "".join(out)


def icon_pixmaps(icon: QIcon) -> tuple[Pixmap, ...]:
    """``icon`` at each size, as ARGB32 in network byte order (the item's IconPixmap)."""
    pixmaps = []
    for size in PIXMAP_SIZES:
        image = icon.pixmap(QSize(size, size), 1.0).toImage()
        image = image.convertToFormat(QImage.Format.Format_ARGB32)
        if image.isNull():
            continue
        width, height = image.width(), image.height()
        pixels = array.array("I", bytes(image.constBits())[: width * height * 4])
        if sys.byteorder == "little":  # Qt keeps 0xAARRGGBB words; the host reads bytes
            pixels.byteswap()
        pixmaps.append((width, height, pixels.tobytes()))
    return tuple(pixmaps)


class BusTrayIcon(QObject):
    """Signal: ``activated(QSystemTrayIcon.ActivationReason)``, as ``QSystemTrayIcon``'s."""

    activated = Signal(QSystemTrayIcon.ActivationReason)

    def __init__(self, item: TrayItem, icon: QIcon, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._item = item
        self._look = ItemLook(pixmaps=icon_pixmaps(icon))
        self._visible = False
        self._menu: QMenu | None = None
        self._ids: dict[int, QAction] = {}
        self._id_by_action: dict[QAction, int] = {}
        self._menus: dict[int, QMenu] = {}
        self._next_id = ROOT_ID + 1
        self._export_pending = False
        # Bound methods, not lambdas: the item emits on the D-Bus thread, and only a
        # receiver object brings the call over to the GUI thread.
        item.activated.connect(self._on_activate)
        item.secondary_activated.connect(self._on_secondary_activate)
        item.context_menu_requested.connect(self._show_menu_at)
        item.menu_clicked.connect(self._on_clicked)
        item.menu_about_to_show.connect(self._on_about_to_show)
        self._export()  # the icon's pixels before the host first reads them

    # what TrayView uses of QSystemTrayIcon ----------------------------------------------

    @staticmethod
    def isSystemTrayAvailable() -> bool:  # noqa: N802  (QSystemTrayIcon's name)
        return True  # made only once a host was found

    def setIcon(self, icon: QIcon) -> None:  # noqa: N802
        self._set_look(replace(self._look, pixmaps=icon_pixmaps(icon)))

    def setToolTip(self, text: str) -> None:  # noqa: N802
        self._set_look(replace(self._look, tooltip=text))

    def toolTip(self) -> str:  # noqa: N802
        return self._look.tooltip

    def show(self) -> None:
        self._visible = True
        self._item.show()

    def hide(self) -> None:
        self._visible = False
        self._item.hide()

    def isVisible(self) -> bool:  # noqa: N802
        return self._visible

    def geometry(self) -> QRect:
        return QRect()  # a StatusNotifierItem host never tells where the icon is

    def setContextMenu(self, menu: QMenu | None) -> None:  # noqa: N802
        if self._menu is not None:
            for watched in self._menus.values():
                watched.removeEventFilter(self)
        self._menu, self._ids, self._id_by_action, self._menus = menu, {}, {}, {}
        if menu is not None:
            self._watch(ROOT_ID, menu)
        self._schedule_export()

    def showMessage(self, title: str, text: str, *_args: object) -> None:  # noqa: N802
        # Only reached without a notification server: a StatusNotifierItem has no balloon.
        logger.info("No notification server for: %s", title)

    # the menu -------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in _MENU_EVENTS:
            self._schedule_export()
        return False

    def _watch(self, menu_id: int, menu: QMenu) -> None:
        self._menus[menu_id] = menu
        menu.installEventFilter(self)

    def _schedule_export(self) -> None:
        # One export per turn of the event loop, however many entries changed in it, with
        # the tooltip set in the same turn: the host never sees one without the other.
        if not self._export_pending:
            self._export_pending = True
            QTimer.singleShot(0, self._export)

    def _export(self) -> None:
        self._export_pending = False
        children = self._entries(self._menu) if self._menu is not None else ()
        self._item.show_state(self._look, MenuEntry(ROOT_ID, children=children))

    def _entries(self, menu: QMenu) -> tuple[MenuEntry, ...]:
        return tuple(self._entry(action) for action in menu.actions())

    def _entry(self, action: QAction) -> MenuEntry:
        entry_id = self._id_of(action)
        if action.isSeparator():
            return MenuEntry(entry_id, separator=True, visible=action.isVisible())
        submenu = action.menu()
        children: tuple[MenuEntry, ...] = ()
        if isinstance(submenu, QMenu):
            if entry_id not in self._menus:
                self._watch(entry_id, submenu)
            children = self._entries(submenu)
        return MenuEntry(
            entry_id,
            label=dbus_label(action.text()),
            enabled=action.isEnabled(),
            visible=action.isVisible(),
            checked=action.isChecked() if action.isCheckable() else None,
            children=children,
            submenu=isinstance(submenu, QMenu),
        )

    def _id_of(self, action: QAction) -> int:
        entry_id = self._id_by_action.get(action)
        if entry_id is None:  # ids are never reused: a host may still hold an old one
            entry_id, self._next_id = self._next_id, self._next_id + 1
            self._ids[entry_id], self._id_by_action[action] = action, entry_id
        return entry_id

    def _on_clicked(self, entry_id: int) -> None:
        action = self._ids.get(entry_id)
        if action is not None and action.isEnabled() and action.menu() is None:
            action.trigger()

    def _on_about_to_show(self, entry_id: int) -> None:
        menu = self._menus.get(entry_id)
        if menu is not None:
            menu.aboutToShow.emit()  # what the menu's own opening would send

    def _show_menu_at(self, x: int, y: int) -> None:
        if self._menu is not None:  # a host that cannot lay out the exported menu
            self._menu.popup(QPoint(x, y))

    def _on_activate(self, _x: int, _y: int) -> None:
        self.activated.emit(QSystemTrayIcon.ActivationReason.Trigger)

    def _on_secondary_activate(self, _x: int, _y: int) -> None:
        self.activated.emit(QSystemTrayIcon.ActivationReason.MiddleClick)

    def _set_look(self, look: ItemLook) -> None:
        if look != self._look:
            self._look = look
            self._schedule_export()


TrayIcon = QSystemTrayIcon | BusTrayIcon
"""Either tray icon: Qt's, or ours on the app's bus."""

__all__ = ["BusTrayIcon", "TrayIcon", "dbus_label", "icon_pixmaps"]
