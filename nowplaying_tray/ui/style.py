"""Colours, sizes and the style sheet of the popup card: dark or light, as the desktop is.

``follow_system()`` picks the scheme (Qt's colour-scheme hint where the platform gives
one, else the lightness of the system palette) and sets the module's colours and
``STYLE_SHEET`` to match; the card calls it when it is built.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtGui import QColor, QGuiApplication, QPalette

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Scheme:
    """The card's colours for a light or a dark desktop."""

    dark: bool
    card: str
    card_border: QColor
    text: str
    text_secondary: str
    text_artist: str
    text_muted: str
    icon: str
    icon_hover: str
    icon_disabled: str
    track: str
    play_button: str
    play_button_hover: str
    play_button_pressed: str
    play_button_disabled: str
    play_icon: str
    play_icon_disabled: str
    warning: str
    warning_text: str
    hover: str  # a translucent wash over a button the pointer is on
    pressed: str
    focus: str
    tooltip_background: str
    tooltip_border: str
    volume_fill: str


DARK = Scheme(
    dark=True, card="#181818", card_border=QColor(255, 255, 255, 28), text="#FFFFFF",
    text_secondary="#B3B3B3", text_artist="#C8C8C8", text_muted="#8F8F8F", icon="#B3B3B3",
    icon_hover="#FFFFFF", icon_disabled="#4A4A4A", track="#404040", play_button="#FFFFFF",
    play_button_hover="#F0F0F0", play_button_pressed="#D6D6D6", play_button_disabled="#3A3A3A",
    play_icon="#000000", play_icon_disabled="#6A6A6A", warning="#F5B24A",
    warning_text="#F5C97A", hover="rgba(255, 255, 255, 0.08)", pressed="rgba(255, 255, 255, 0.14)",
    focus="rgba(255, 255, 255, 0.55)", tooltip_background="#282828", tooltip_border="#3E3E3E",
    volume_fill="#B3B3B3",
)  # fmt: skip
LIGHT = Scheme(
    dark=False, card="#FFFFFF", card_border=QColor(0, 0, 0, 38), text="#121212",
    text_secondary="#4D4D4D", text_artist="#3A3A3A", text_muted="#6A6A6A", icon="#4D4D4D",
    icon_hover="#000000", icon_disabled="#C4C4C4", track="#D9D9D9", play_button="#121212",
    play_button_hover="#2A2A2A", play_button_pressed="#3D3D3D", play_button_disabled="#D0D0D0",
    play_icon="#FFFFFF", play_icon_disabled="#9A9A9A", warning="#B86E00",
    warning_text="#8A5200", hover="rgba(0, 0, 0, 0.06)", pressed="rgba(0, 0, 0, 0.12)",
    focus="rgba(0, 0, 0, 0.45)", tooltip_background="#FFFFFF", tooltip_border="#C8C8C8",
    volume_fill="#4D4D4D",
)  # fmt: skip

ACCENT = QColor("#1DB954")
ACCENT_BRIGHT = QColor("#3BE477")

CARD_RADIUS = 12
ART_SIZE = 96
ART_RADIUS = 6
POPUP_WIDTH = 360
BUTTON_SIZE = 32
ICON_SIZE = 20
PLAY_BUTTON_SIZE = 34
PLAY_ICON_SIZE = 16


def style_sheet(s: Scheme) -> str:
    # Pixel sizes (not points) keep the card's proportions identical on every
    # desktop; Qt scales logical pixels on HiDPI screens.
    return f"""
QLabel {{ color: {s.text_secondary}; background: transparent; }}
QLabel#title {{ color: {s.text}; font-size: 15px; font-weight: bold; }}
QLabel#artist {{ color: {s.text_artist}; font-size: 13px; }}
QLabel#album {{ color: {s.text_muted}; font-size: 12px; }}
QLabel#device {{ color: {s.text_muted}; font-size: 11px; }}
QLabel#elapsed, QLabel#total {{ color: {s.text_muted}; font-size: 11px; }}
QLabel#status {{ color: {s.text_muted}; font-size: 11px; }}
QLabel#lyricLine {{ color: {s.text}; font-size: 15px; font-weight: bold; }}
QLabel#lyricNext {{ color: {s.text_muted}; font-size: 12px; }}
QPlainTextEdit#lyricsText {{
    color: {s.text}; background: transparent; font-size: 12px; border: none;
}}

QFrame#message {{
    background: rgba(245, 178, 74, 0.12);
    border: 1px solid rgba(245, 178, 74, 0.28);
    border-radius: 8px;
}}
QLabel#messageText {{ color: {s.warning_text}; font-size: 12px; }}

QToolButton {{
    background: transparent;
    border: none;
    border-radius: 16px;
    padding: 0;
}}
QToolButton:hover {{ background: {s.hover}; }}
QToolButton:pressed {{ background: {s.pressed}; }}
QToolButton:disabled {{ background: transparent; }}
QToolButton:focus {{ border: 1px solid {s.focus}; }}

QToolButton#play_pause {{ background: {s.play_button}; border-radius: 17px; }}
QToolButton#play_pause:hover {{ background: {s.play_button_hover}; }}
QToolButton#play_pause:pressed {{ background: {s.play_button_pressed}; }}
QToolButton#play_pause:disabled {{ background: {s.play_button_disabled}; }}
QToolButton#play_pause:focus {{ border: 2px solid #1DB954; }}

QSlider#volume::groove:horizontal {{ height: 4px; background: {s.track}; border-radius: 2px; }}
QSlider#volume::sub-page:horizontal {{ background: {s.volume_fill}; border-radius: 2px; }}
QSlider#volume::handle:horizontal {{
    background: {s.icon_hover}; width: 10px; margin: -3px 0; border-radius: 5px;
}}

QToolTip {{
    color: {s.text};
    background: {s.tooltip_background};
    border: 1px solid {s.tooltip_border};
    padding: 4px 6px;
}}
"""


def system_is_dark() -> bool:
    """Whether the desktop is in a dark scheme: Qt's hint (6.5+) when the platform
    knows, else a dark window colour in the system palette."""
    from PySide6.QtCore import Qt  # not at import: see services.timers.precise

    hints = QGuiApplication.styleHints()
    scheme = hints.colorScheme() if hasattr(hints, "colorScheme") else None
    if scheme == Qt.ColorScheme.Dark:
        return True
    if scheme == Qt.ColorScheme.Light:
        return False
    return QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128


def focus_color(scheme: Scheme) -> QColor:
    """The focus ring's colour for widgets that paint their own (the style sheet's
    ``focus``, which QColor cannot parse)."""
    return QColor(255, 255, 255, 140) if scheme.dark else QColor(0, 0, 0, 115)


def use_scheme(scheme: Scheme) -> None:
    """Set the module's colours and style sheet to ``scheme``."""
    global CURRENT, CARD, CARD_BORDER, TEXT, TEXT_SECONDARY, TEXT_MUTED, TRACK
    global ICON, ICON_HOVER, ICON_DISABLED, PLAY_ICON, PLAY_ICON_DISABLED, WARNING, STYLE_SHEET
    global FOCUS
    CURRENT = scheme
    CARD, CARD_BORDER = QColor(scheme.card), scheme.card_border
    TEXT, TEXT_SECONDARY = QColor(scheme.text), QColor(scheme.text_secondary)
    TEXT_MUTED, TRACK = QColor(scheme.text_muted), QColor(scheme.track)
    ICON, ICON_HOVER = QColor(scheme.icon), QColor(scheme.icon_hover)
    ICON_DISABLED = QColor(scheme.icon_disabled)
    PLAY_ICON, PLAY_ICON_DISABLED = QColor(scheme.play_icon), QColor(scheme.play_icon_disabled)
    WARNING = QColor(scheme.warning)
    FOCUS = focus_color(scheme)
    STYLE_SHEET = style_sheet(scheme)


def follow_system() -> Scheme:
    scheme = DARK if system_is_dark() else LIGHT
    if scheme is not CURRENT:
        logger.debug("Card colours: %s", "dark" if scheme.dark else "light")
        use_scheme(scheme)
    return scheme


# Dark until follow_system() is asked (the setup and settings windows are dark).
CURRENT = DARK
CARD = QColor(DARK.card)
CARD_BORDER = DARK.card_border
TEXT = QColor(DARK.text)
TEXT_SECONDARY = QColor(DARK.text_secondary)
TEXT_MUTED = QColor(DARK.text_muted)
TRACK = QColor(DARK.track)
ICON = QColor(DARK.icon)
ICON_HOVER = QColor(DARK.icon_hover)
ICON_DISABLED = QColor(DARK.icon_disabled)
PLAY_ICON = QColor(DARK.play_icon)
PLAY_ICON_DISABLED = QColor(DARK.play_icon_disabled)
WARNING = QColor(DARK.warning)
FOCUS = focus_color(DARK)
STYLE_SHEET = style_sheet(DARK)
