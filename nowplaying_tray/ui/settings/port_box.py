"""The redirect port as it is really used.

Port 0 (the demo's, set from the environment) means "any free port": the login listener
picks one at each login. Shown as a number it would read 1024 (the box's lowest port)
beside ``http://127.0.0.1:0/callback``; it reads "Any" and a URI that says so instead.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtWidgets import QLabel, QWidget

from nowplaying_tray.core.settings import redirect_uri_for
from nowplaying_tray.ui.settings.editors import NumberBox

logger = logging.getLogger(__name__)

ANY_PORT = 0
ANY_PORT_TEXT = "Any"
ANY_PORT_URI = "http://127.0.0.1:<any free port>/callback"


def redirect_uri_text(port: int) -> str:
    return ANY_PORT_URI if port == ANY_PORT else redirect_uri_for(port)


class PortBox(NumberBox):
    """The port box: ports from ``limits``, and "Any" when the setting is 0."""

    def __init__(self, name: str, limits: tuple[int, int], parent: QWidget | None = None) -> None:
        super().__init__(name, limits, parent=parent)
        self._lowest = limits[0]

    def show_uri_in(self, label: QLabel) -> None:
        """Keep ``label`` showing the redirect URI for the port in the box."""
        self.valueChanged.connect(lambda port: label.setText(redirect_uri_text(port)))

    def set_value(self, value: Any) -> None:
        any_port = round(float(value)) == ANY_PORT
        # Only a port that already is 0 can show as 0: nobody can step down to it.
        self.setMinimum(ANY_PORT if any_port else self._lowest)
        self.setSpecialValueText(ANY_PORT_TEXT if any_port else "")
        super().set_value(value)


__all__ = ["ANY_PORT_TEXT", "ANY_PORT_URI", "PortBox", "redirect_uri_text"]
