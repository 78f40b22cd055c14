"""Whether the desktop composites windows: only then can the card have see-through corners.

On X11 a translucent window is blended with what is behind it only while a compositing
manager runs (it owns the ``_NET_WM_CM_S<screen>`` selection); without one (xfce's
default, openbox, a bare X server) the transparent corners show as black squares. Qt
does not say which is the case, so we ask the X server through libX11, the library Qt's
own xcb platform already loads. Wayland, Windows and macOS always composite.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
from functools import cache

from PySide6.QtGui import QGuiApplication

logger = logging.getLogger(__name__)


class _X11:
    """One small connection of our own to the X server, opened on first use."""

    def __init__(self, library: ctypes.CDLL, display: int) -> None:
        self._lib = library
        self._display = display

    def composited(self) -> bool:
        screen = self._lib.XDefaultScreen(self._display)
        atom = self._lib.XInternAtom(self._display, f"_NET_WM_CM_S{screen}".encode(), False)
        return bool(atom) and self._lib.XGetSelectionOwner(self._display, atom) != 0


@cache
def _x11() -> _X11 | None:
    name = ctypes.util.find_library("X11")
    if name is None:
        return None
    try:
        library = ctypes.CDLL(name)
    except OSError:
        return None
    library.XOpenDisplay.restype = ctypes.c_void_p
    library.XOpenDisplay.argtypes = [ctypes.c_char_p]
    library.XDefaultScreen.argtypes = [ctypes.c_void_p]
    library.XInternAtom.restype = ctypes.c_ulong
    library.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    library.XGetSelectionOwner.restype = ctypes.c_ulong
    library.XGetSelectionOwner.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
    display_name = os.environ.get("DISPLAY", "")
    display = library.XOpenDisplay(display_name.encode() or None)
    if not display:
        return None
    return _X11(library, display)


def compositing() -> bool:
    """True when see-through window corners will look see-through."""
    if QGuiApplication.platformName() != "xcb":
        return True
    x11 = _x11()
    if x11 is None:  # cannot tell: square corners look right either way
        logger.debug("Cannot ask the X server about compositing")
        return False
    return x11.composited()


__all__ = ["compositing"]
