"""The two kinds of window the card lives in: a popup at the tray icon, or an ordinary
window of its own when there is no tray.

Flags are made when a window is set up, not at import: the first use of any of ``Qt``'s
enums builds PySide6's whole ``Qt`` namespace (see ``services.timers.precise``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtCore import Qt


def popup_flags() -> Qt.WindowType:
    """Tool: no taskbar entry. Frameless: the card draws its own (rounded) edge."""
    from PySide6.QtCore import Qt

    return (
        Qt.WindowType.Tool | Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint
    )


def standalone_flags() -> Qt.WindowType:
    """A title bar with minimise and close but no maximise: the card has one size, and a
    stretched card puts the art at the top and the controls at the bottom."""
    from PySide6.QtCore import Qt

    return (
        Qt.WindowType.Window
        | Qt.WindowType.CustomizeWindowHint
        | Qt.WindowType.WindowTitleHint
        | Qt.WindowType.WindowSystemMenuHint
        | Qt.WindowType.WindowMinimizeButtonHint
        | Qt.WindowType.WindowCloseButtonHint
    )


QWIDGETSIZE_MAX = (1 << 24) - 1  # Qt's "no limit" for a widget's size

__all__ = ["QWIDGETSIZE_MAX", "popup_flags", "standalone_flags"]
