"""The settings window's "Stream overlay" card: the port (or Off), the page's address and
a preview link that opens it in the browser."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QLabel, QWidget

from nowplaying_tray.core.settings import SETTING_RANGES
from nowplaying_tray.ui import dialog_style
from nowplaying_tray.ui.settings.editors import Editor, NumberBox
from nowplaying_tray.ui.settings.form_layout import SettingRow, section

logger = logging.getLogger(__name__)

OVERLAY_PORTS = SETTING_RANGES["overlay_port"]
OFF_TEXT = "Off"


def overlay_url(port: int) -> str:
    return f"http://127.0.0.1:{port}/"


class PortOrOffBox(NumberBox):
    """A port, or Off (0). The arrows go from Off straight to the lowest port and back;
    a typed port below the range is not taken."""

    def __init__(self, name: str, limits: tuple[int, int], parent: QWidget | None = None) -> None:
        super().__init__(name, (0, limits[1]), parent=parent)
        self._lowest = limits[0]
        self.setSpecialValueText(OFF_TEXT)

    def stepBy(self, steps: int) -> None:  # noqa: N802
        value = self.value()
        if value == 0 and steps > 0:
            self.setValue(self._lowest)
        elif value != 0 and value + steps < self._lowest:
            self.setValue(0)
        else:
            super().stepBy(steps)

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        state, text, pos = super().validate(text, pos)
        digits = text.strip()
        if (
            state == QValidator.State.Acceptable
            and digits.isdigit()
            and 0 < int(digits) < self._lowest
        ):
            state = QValidator.State.Intermediate
        return state, text, pos


def overlay_section(parent: QWidget, register: Callable[[str, Editor], None]) -> QWidget:
    port = PortOrOffBox("Overlay port", OVERLAY_PORTS, parent)
    register("overlay_port", port)
    port_row = SettingRow("Port", "Off, or a port on this computer (127.0.0.1 only).", port, parent)
    address = QLabel(parent)
    address.setObjectName("overlayUrl")
    address.setProperty("mono", True)  # the style sheet's hook
    address.setTextFormat(Qt.TextFormat.PlainText)
    address.setFont(dialog_style.mono_font(12))
    address.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    address.setCursor(Qt.CursorShape.IBeamCursor)
    preview = QLabel(parent)
    preview.setObjectName("overlayPreview")
    preview.setTextFormat(Qt.TextFormat.RichText)  # our own address only, never outside text
    preview.setOpenExternalLinks(True)
    address_row = SettingRow(
        "Address",
        "In OBS: add a Browser source with this URL, 600 × 160 (README: more options).",
        parent=parent,
    )
    address_row.add_below(address)
    address_row.add_below(preview)

    def show_port(value: int) -> None:
        address.setText(overlay_url(value) if value else "Turn the overlay on with a port.")
        preview.setText(f'<a href="{overlay_url(value)}">Open the preview</a>' if value else "")
        preview.setVisible(bool(value))

    port.valueChanged.connect(show_port)
    show_port(port.value())
    return section(
        "Stream overlay",
        [port_row, address_row],
        parent,
        note="A page for OBS and other streaming tools: the cover, title, artist and progress, "
        "pushed the moment they change.",
    )
