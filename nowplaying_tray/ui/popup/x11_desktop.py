"""What Qt does not tell about an X11 desktop, asked of the X server through libX11
(the library Qt's own xcb platform already loads).

* Compositing: a translucent window is blended with what is behind it only while a
  compositing manager runs (it owns the ``_NET_WM_CM_S<screen>`` selection); without
  one (xfce's default, openbox, a bare X server) see-through corners show black.
* The work area: with more than one monitor Qt ignores the window manager's
  ``_NET_WORKAREA`` (it is one rectangle for the whole desktop) and reports each whole
  screen as available, so a panel's strip is unknown to it.

Both are answered on a small connection of our own, opened on first use; each answer
is two or three round trips to the local X server. Elsewhere (Wayland, Windows, macOS)
the windowing system composites and Qt knows the work area.
"""

from __future__ import annotations

import linecache
import logging
import os
from functools import cache
from typing import TYPE_CHECKING

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication

if TYPE_CHECKING:  # loaded on first use, on X11 only: not before the first playback
    import ctypes

logger = logging.getLogger(__name__)

XA_CARDINAL = 6


class _X11:
    def __init__(self, library: ctypes.CDLL, display: int) -> None:
        self._lib = library
        self._display = display

    def _atom(self, name: str) -> int:
        return int(self._lib.XInternAtom(self._display, name.encode(), False))

    def composited(self) -> bool:
        screen = self._lib.XDefaultScreen(self._display)
        atom = self._atom(f"_NET_WM_CM_S{screen}")
        return bool(atom) and self._lib.XGetSelectionOwner(self._display, atom) != 0

    def work_area(self) -> QRect | None:
        import ctypes  # loaded by _x11()

        root = self._lib.XDefaultRootWindow(self._display)
        actual_type, actual_format = ctypes.c_ulong(), ctypes.c_int()
        count, after = ctypes.c_ulong(), ctypes.c_ulong()
        data = ctypes.POINTER(ctypes.c_long)()
        status = self._lib.XGetWindowProperty(
            self._display, root, self._atom("_NET_WORKAREA"), 0, 4, False, XA_CARDINAL,
            ctypes.byref(actual_type), ctypes.byref(actual_format), ctypes.byref(count),
            ctypes.byref(after), ctypes.byref(data),
        )  # fmt: skip
        try:
            if status != 0 or actual_format.value != 32 or count.value < 4:
                return None
            x, y, width, height = (int(data[i]) for i in range(4))
        finally:
            if data:
                self._lib.XFree(data)
        return QRect(x, y, width, height) if width > 0 and height > 0 else None


@cache
def _x11() -> _X11 | None:
    import ctypes
    import ctypes.util

    linecache.clearcache()  # the source text PySide6 read at the import is not kept (launch.py)
    name = ctypes.util.find_library("X11")
    if name is None:
        return None
    try:
        lib = ctypes.CDLL(name)
    except OSError:
        return None
    pointer, ulong = ctypes.c_void_p, ctypes.c_ulong
    lib.XOpenDisplay.restype = pointer
    lib.XOpenDisplay.argtypes = [ctypes.c_char_p]
    lib.XDefaultScreen.argtypes = [pointer]
    lib.XDefaultRootWindow.restype = ulong
    lib.XDefaultRootWindow.argtypes = [pointer]
    lib.XInternAtom.restype = ulong
    lib.XInternAtom.argtypes = [pointer, ctypes.c_char_p, ctypes.c_int]
    lib.XGetSelectionOwner.restype = ulong
    lib.XGetSelectionOwner.argtypes = [pointer, ulong]
    lib.XGetWindowProperty.argtypes = [
        pointer, ulong, ulong, ctypes.c_long, ctypes.c_long, ctypes.c_int, ulong,
        ctypes.POINTER(ulong), ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ulong),
        ctypes.POINTER(ulong), ctypes.POINTER(ctypes.POINTER(ctypes.c_long)),
    ]  # fmt: skip
    lib.XFree.argtypes = [pointer]
    display = lib.XOpenDisplay(os.environ.get("DISPLAY", "").encode() or None)
    if not display:
        return None
    return _X11(lib, display)


def _on_x11() -> _X11 | None:
    return _x11() if QGuiApplication.platformName() == "xcb" else None


def compositing() -> bool:
    """True when see-through window corners will look see-through."""
    if QGuiApplication.platformName() != "xcb":
        return True
    x11 = _x11()
    if x11 is None:  # cannot tell: square corners look right either way
        logger.debug("Cannot ask the X server about compositing")
        return False
    return x11.composited()


def desktop_work_area() -> QRect | None:
    """The window manager's work area for the whole X11 desktop, in device pixels; None
    elsewhere or when no window manager sets one."""
    x11 = _on_x11()
    return x11.work_area() if x11 is not None else None


__all__ = ["compositing", "desktop_work_area"]
