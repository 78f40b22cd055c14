"""What the tray icon on the app's bus hands a StatusNotifierItem host: menu labels in
dbusmenu's mnemonic syntax, and pixels in the byte order the specification asks for."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QIcon, QPixmap
from pytestqt.qtbot import QtBot

from nowplaying_tray.ui.bus_tray_icon import PIXMAP_SIZES, dbus_label, icon_pixmaps


@pytest.mark.parametrize(
    ("qt_text", "label"),
    [
        ("Simon && Garfunkel", "Simon & Garfunkel"),  # Qt's literal "&"
        ("&Quit", "_Quit"),  # the access key
        ("snake_case", "snake__case"),  # a literal "_"
        ("Log in again", "Log in again"),
        ("trailing &", "trailing _"),
    ],
)
def test_labels_keep_their_meaning(qt_text: str, label: str) -> None:
    assert dbus_label(qt_text) == label


def test_pixels_are_argb_with_alpha_first_at_every_size(qtbot: QtBot) -> None:
    pixmap = QPixmap(64, 64)
    pixmap.fill(QColor(0x11, 0x22, 0x33, 0xFF))
    pixmaps = icon_pixmaps(QIcon(pixmap))
    assert [(w, h) for w, h, _data in pixmaps] == [(s, s) for s in PIXMAP_SIZES]
    for width, height, data in pixmaps:
        assert len(data) == width * height * 4
        assert data[:4] == bytes([0xFF, 0x11, 0x22, 0x33])
