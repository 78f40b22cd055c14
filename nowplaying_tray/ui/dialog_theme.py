"""The setup and settings windows in the desktop's light or dark scheme, as the card is.

``dialog_style`` holds the dark look; the light one is the same style sheet and palette
with each dark colour swapped for its light counterpart, so the two cannot drift apart.
The green accent and black text on green stay as they are in both.
"""

from __future__ import annotations

import logging
import re

from PySide6.QtGui import QColor, QPalette

logger = logging.getLogger(__name__)

# Dark colour -> light colour, for every colour the dark style sheet and palette use.
LIGHT_COLOURS = {
    "#121212": "#F5F5F5",  # window
    "#181818": "#FFFFFF",  # cards
    "#FFFFFF": "#121212",  # text
    "#B3B3B3": "#4D4D4D",
    "#CFCFCF": "#3A3A3A",
    "#A7A7A7": "#555555",
    "#8F8F8F": "#6A6A6A",
    "#555555": "#B0B0B0",
    "#5E5E5E": "#A0A0A0",  # disabled text
    "#6F6F6F": "#8A8A8A",  # placeholder text
    "#242424": "#FFFFFF",  # fields
    "#3E3E3E": "#C8C8C8",  # field borders, the budget bar's track
    "#5A5A5A": "#8A8A8A",
    "#1C1C1C": "#F0F0F0",
    "#1E1E1E": "#F2F2F2",
    "#2A2A2A": "#EBEBEB",
    "#282828": "#FFFFFF",  # tooltips
    "#727272": "#8A8A8A",
    "#3A3A3A": "#D6D6D6",
    "#333333": "#D6D6D6",
    "#4A4A4A": "#B0B0B0",
    "#6A6A6A": "#9A9A9A",
    "#F3727F": "#C62F3E",  # error text, darker to read on white
    "#1ED760": "#117A37",  # links and "ok", likewise
    "#3BE477": "#0E6B30",
    "#4A6B55": "#9DBBA7",
}
_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}\b|rgba\(255, 255, 255, ")


def _swap(found: re.Match[str]) -> str:
    text = found.group(0)
    if text.startswith("rgba"):
        return "rgba(0, 0, 0, "  # white washes and lines become black ones
    return LIGHT_COLOURS.get(text.upper(), text)


def light_style_sheet(dark_sheet: str) -> str:
    return _COLOUR.sub(_swap, dark_sheet)


def light_palette(dark: QPalette) -> QPalette:
    palette = QPalette(dark)
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive,
                  QPalette.ColorGroup.Disabled):  # fmt: skip
        for role in range(QPalette.ColorRole.NColorRoles.value):
            colour_role = QPalette.ColorRole(role)
            name = dark.color(group, colour_role).name().upper()
            if name in LIGHT_COLOURS:
                palette.setColor(group, colour_role, QColor(LIGHT_COLOURS[name]))
    return palette


__all__ = ["LIGHT_COLOURS", "light_palette", "light_style_sheet"]
