"""The settings window's Lyrics card: lyrics on or off, and how much sooner lines show."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from nowplaying_tray.core.settings import SETTING_RANGES
from nowplaying_tray.ui.settings.editors import Editor, NumberBox, ToggleSwitch
from nowplaying_tray.ui.settings.form_layout import SettingRow, section

logger = logging.getLogger(__name__)

OFFSET_RANGE_MS = SETTING_RANGES["lyrics_offset_ms"]


def lyrics_section(parent: QWidget, register: Callable[[str, Editor], None]) -> QWidget:
    """The card; its editors are registered under ``lyrics`` and ``lyrics_offset_ms``."""
    switch = ToggleSwitch("Show lyrics", parent)
    register("lyrics", switch)
    switch_row = SettingRow(
        "Show lyrics",
        "From LRCLIB, which is sent the title, artist, album and length of each track.",
        switch,
        parent,
    )
    offset = NumberBox("Lyrics offset", OFFSET_RANGE_MS, " ms", parent)
    offset.setSingleStep(100)
    register("lyrics_offset_ms", offset)
    offset_row = SettingRow("Offset", "Positive: each line shows this much sooner.", offset, parent)
    return section("Lyrics", [switch_row, offset_row], parent)


__all__ = ["lyrics_section"]
