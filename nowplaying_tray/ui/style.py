"""Colours, sizes and the style sheet of the popup card (a dark, Spotify-like look)."""

from __future__ import annotations

import logging

from PySide6.QtGui import QColor

logger = logging.getLogger(__name__)

CARD = QColor("#181818")
CARD_BORDER = QColor(255, 255, 255, 28)
TEXT = QColor("#FFFFFF")
TEXT_SECONDARY = QColor("#B3B3B3")
TEXT_MUTED = QColor("#8F8F8F")
ACCENT = QColor("#1DB954")
ACCENT_BRIGHT = QColor("#3BE477")
TRACK = QColor("#404040")
ICON = QColor("#B3B3B3")
ICON_HOVER = QColor("#FFFFFF")
ICON_DISABLED = QColor("#4A4A4A")
PLAY_ICON = QColor("#000000")
PLAY_ICON_DISABLED = QColor("#6A6A6A")
WARNING = QColor("#F5B24A")

CARD_RADIUS = 12
ART_SIZE = 96
ART_RADIUS = 6
POPUP_WIDTH = 360
BUTTON_SIZE = 32
ICON_SIZE = 20
PLAY_BUTTON_SIZE = 34
PLAY_ICON_SIZE = 16

# Pixel sizes (not points) keep the card's proportions identical on every
# desktop; Qt scales logical pixels on HiDPI screens.
STYLE_SHEET = """
QLabel { color: #B3B3B3; background: transparent; }
QLabel#title { color: #FFFFFF; font-size: 15px; font-weight: bold; }
QLabel#artist { color: #C8C8C8; font-size: 13px; }
QLabel#album { color: #8F8F8F; font-size: 12px; }
QLabel#device { color: #8F8F8F; font-size: 11px; }
QLabel#elapsed, QLabel#total { color: #8F8F8F; font-size: 11px; }
QLabel#status { color: #8F8F8F; font-size: 11px; }

QFrame#message {
    background: rgba(245, 178, 74, 0.12);
    border: 1px solid rgba(245, 178, 74, 0.28);
    border-radius: 8px;
}
QLabel#messageText { color: #F5C97A; font-size: 12px; }

QToolButton {
    background: transparent;
    border: none;
    border-radius: 16px;
    padding: 0;
}
QToolButton:hover { background: rgba(255, 255, 255, 0.08); }
QToolButton:pressed { background: rgba(255, 255, 255, 0.14); }
QToolButton:disabled { background: transparent; }
QToolButton:focus { border: 1px solid rgba(255, 255, 255, 0.55); }

QToolButton#play_pause { background: #FFFFFF; border-radius: 17px; }
QToolButton#play_pause:hover { background: #F0F0F0; }
QToolButton#play_pause:pressed { background: #D6D6D6; }
QToolButton#play_pause:disabled { background: #3A3A3A; }
QToolButton#play_pause:focus { border: 2px solid #1DB954; }

QSlider#volume::groove:horizontal { height: 4px; background: #404040; border-radius: 2px; }
QSlider#volume::sub-page:horizontal { background: #B3B3B3; border-radius: 2px; }
QSlider#volume::handle:horizontal {
    background: #FFFFFF; width: 10px; margin: -3px 0; border-radius: 5px;
}

QToolTip {
    color: #FFFFFF;
    background: #282828;
    border: 1px solid #3E3E3E;
    padding: 4px 6px;
}
"""
