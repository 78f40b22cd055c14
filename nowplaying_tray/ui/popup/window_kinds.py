"""The two kinds of window the card lives in: a popup at the tray icon, or an ordinary
window of its own when there is no tray."""

from __future__ import annotations

from PySide6.QtCore import Qt

# Tool: no taskbar entry. Frameless: the card draws its own (rounded) edge.
POPUP_FLAGS = (
    Qt.WindowType.Tool | Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint
)
# A title bar with minimise and close but no maximise: the card has one size, and a
# stretched card puts the art at the top and the controls at the bottom.
STANDALONE_FLAGS = (
    Qt.WindowType.Window
    | Qt.WindowType.CustomizeWindowHint
    | Qt.WindowType.WindowTitleHint
    | Qt.WindowType.WindowSystemMenuHint
    | Qt.WindowType.WindowMinimizeButtonHint
    | Qt.WindowType.WindowCloseButtonHint
)

QWIDGETSIZE_MAX = (1 << 24) - 1  # Qt's "no limit" for a widget's size

__all__ = ["POPUP_FLAGS", "QWIDGETSIZE_MAX", "STANDALONE_FLAGS"]
