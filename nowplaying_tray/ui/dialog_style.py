"""The look shared by the setup and settings windows: light or dark, like the popup card.

Both windows get the same palette and style sheet from ``apply_window_style``,
plus a few small building blocks (labels, link buttons, a scrolling page) so
they cannot drift apart. Colours and pixel sizes follow ``ui.style``.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QPalette
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QScrollArea, QSizePolicy, QWidget

from nowplaying_tray.ui import icons, style
from nowplaying_tray.ui.dialog_theme import light_palette, light_style_sheet

logger = logging.getLogger(__name__)

WINDOW = QColor("#121212")
CARD = QColor("#181818")
FIELD = QColor("#242424")
FIELD_BORDER = QColor("#3E3E3E")
TEXT = style.TEXT
TEXT_SECONDARY = style.TEXT_SECONDARY
TEXT_MUTED = style.TEXT_MUTED
TEXT_DISABLED = QColor("#5E5E5E")
ACCENT = style.ACCENT
ERROR = QColor("#F3727F")
WARNING = style.WARNING

BASE_FONT_PX = 13
# Windows are sized to their content but never taller than this share of the screen.
MAX_SCREEN_SHARE = 0.88

# Pixel sizes (not points), as in the popup: same proportions on every desktop.
STYLE_SHEET = """
QWidget[dialogWindow="true"] { background: #121212; color: #FFFFFF; }
QWidget#pageBody { background: transparent; }
QLabel { background: transparent; }
QLabel#pageTitle { color: #FFFFFF; font-size: 20px; font-weight: bold; }
QLabel#pageSubtitle { color: #B3B3B3; font-size: 13px; }
QLabel#sectionTitle {
    color: #B3B3B3; font-size: 11px; font-weight: bold; letter-spacing: 1px;
}
QLabel#rowTitle { color: #FFFFFF; font-size: 13px; }
QLabel#rowTitle:disabled { color: #5E5E5E; }
QLabel#rowText, QLabel#body { color: #A7A7A7; font-size: 12px; }
QLabel#rowText:disabled, QLabel#body:disabled { color: #555555; }
QLabel#stepNumber {
    color: #000000; background: #1DB954; border-radius: 13px;
    font-size: 13px; font-weight: bold;
}
QLabel#stepTitle { color: #FFFFFF; font-size: 15px; font-weight: bold; }
QLabel[mono="true"] { color: #FFFFFF; }
QLabel[mono="true"]:disabled { color: #5E5E5E; }

QLabel#hint { color: #8F8F8F; font-size: 12px; }
QLabel#hint[tone="error"] { color: #F3727F; }
QLabel#hint[tone="ok"] { color: #1ED760; }

QFrame#card {
    background: #181818;
    border: 1px solid rgba(255, 255, 255, 0.06);
    border-radius: 10px;
}
QFrame#divider { background: rgba(255, 255, 255, 0.07); border: none; }

QFrame[banner="true"] {
    background: rgba(255, 255, 255, 0.04);
    border: 1px solid rgba(255, 255, 255, 0.10);
    border-radius: 8px;
}
QFrame[banner="true"][tone="warning"] {
    background: rgba(245, 178, 74, 0.10); border-color: rgba(245, 178, 74, 0.55);
}
QFrame[banner="true"][tone="error"] {
    background: rgba(243, 114, 127, 0.10); border-color: rgba(243, 114, 127, 0.50);
}
QFrame[banner="true"][tone="ok"] {
    background: rgba(30, 215, 96, 0.08); border-color: rgba(30, 215, 96, 0.40);
}
QLabel#bannerTitle { color: #FFFFFF; font-size: 13px; font-weight: bold; }
QLabel#bannerText { color: #CFCFCF; font-size: 12px; }

QLineEdit, QPlainTextEdit, QAbstractSpinBox {
    background: #242424;
    color: #FFFFFF;
    border: 1px solid #3E3E3E;
    border-radius: 6px;
    selection-background-color: #1DB954;
    selection-color: #000000;
}
QLineEdit { padding: 6px 8px; }
QPlainTextEdit { padding: 3px 4px; }
QAbstractSpinBox { padding: 5px 24px 5px 8px; min-width: 56px; }
QLineEdit:hover, QPlainTextEdit:hover, QAbstractSpinBox:hover { border-color: #5A5A5A; }
QLineEdit:focus, QPlainTextEdit:focus, QAbstractSpinBox:focus { border-color: #1DB954; }
QLineEdit[tone="error"], QPlainTextEdit[tone="error"] { border-color: #F3727F; }
QLineEdit:disabled, QPlainTextEdit:disabled, QAbstractSpinBox:disabled {
    color: #5E5E5E; background: #1C1C1C; border-color: #2A2A2A;
}
QLineEdit:read-only { background: #1E1E1E; }
QLineEdit:read-only:focus { border-color: #5A5A5A; }

QAbstractSpinBox::up-button, QAbstractSpinBox::down-button {
    subcontrol-origin: border; width: 22px; border: none; background: transparent;
}
QAbstractSpinBox::up-button { subcontrol-position: top right; margin-top: 3px; }
QAbstractSpinBox::down-button { subcontrol-position: bottom right; margin-bottom: 3px; }
/* The arrows are painted by the spin box itself (QSS cannot draw a triangle). */
QAbstractSpinBox::up-arrow, QAbstractSpinBox::down-arrow {
    image: none; width: 0; height: 0; border: none;
}

QPushButton {
    color: #FFFFFF;
    background: transparent;
    border: 1px solid #727272;
    border-radius: 16px;
    padding: 6px 16px;
    font-size: 13px;
    font-weight: bold;
    min-height: 18px;
}
QPushButton:hover { border-color: #FFFFFF; }
QPushButton:pressed { background: rgba(255, 255, 255, 0.08); }
QPushButton:focus { border-color: #1DB954; }
QPushButton:disabled { color: #5E5E5E; border-color: #3A3A3A; }

QPushButton[kind="primary"] {
    color: #000000; background: #1DB954; border: none; padding: 8px 24px;
    border-radius: 17px;
}
QPushButton[kind="primary"]:hover { background: #1ED760; }
QPushButton[kind="primary"]:pressed { background: #169C46; }
QPushButton[kind="primary"]:focus {
    border: 2px solid rgba(255, 255, 255, 0.85); padding: 6px 22px;
}
QPushButton[kind="primary"]:disabled { color: #6A6A6A; background: #2A2A2A; }

QPushButton[kind="small"] {
    border-radius: 6px; padding: 5px 12px; font-size: 12px; min-height: 16px;
}

QPushButton[kind="link"] {
    color: #1ED760; border: none; padding: 2px 0; border-radius: 0;
    font-weight: normal; text-align: left; min-height: 0;
}
QPushButton[kind="link"]:hover { color: #3BE477; text-decoration: underline; }
QPushButton[kind="link"]:focus { text-decoration: underline; }
QPushButton[kind="link"]:pressed { background: transparent; }
QPushButton[kind="link"]:disabled { color: #4A6B55; }

QPushButton[kind="chip"] {
    color: #CFCFCF; background: #2A2A2A; border: 1px solid #333333;
    border-radius: 5px; padding: 2px 7px; font-size: 11px; font-weight: normal;
    min-height: 0;
}
QPushButton[kind="chip"]:hover { color: #FFFFFF; border-color: #5A5A5A; }
QPushButton[kind="chip"]:focus { border-color: #1DB954; }
QPushButton[kind="chip"]:disabled { color: #4A4A4A; background: #1E1E1E; }

QPushButton[kind="segment"] {
    color: #B3B3B3; background: #242424; border: 1px solid #3E3E3E;
    border-radius: 0; padding: 6px 14px; font-size: 12px; font-weight: normal;
    min-height: 0;
}
QPushButton[kind="segment"][edge="first"] {
    border-top-left-radius: 6px; border-bottom-left-radius: 6px; border-right: none;
}
QPushButton[kind="segment"][edge="last"] {
    border-top-right-radius: 6px; border-bottom-right-radius: 6px;
}
QPushButton[kind="segment"]:hover { color: #FFFFFF; }
QPushButton[kind="segment"]:checked {
    color: #000000; background: #1DB954; border-color: #1DB954;
}
QPushButton[kind="segment"]:focus { color: #FFFFFF; }
QPushButton[kind="segment"]:checked:focus { color: #000000; }

QScrollArea { background: transparent; border: none; }
QScrollBar:vertical { background: transparent; width: 10px; margin: 4px 2px; }
QScrollBar::handle:vertical {
    background: rgba(255, 255, 255, 0.18); border-radius: 3px; min-height: 28px;
}
QScrollBar::handle:vertical:hover { background: rgba(255, 255, 255, 0.32); }
QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical { height: 0; }
QScrollBar::add-page:vertical, QScrollBar::sub-page:vertical { background: none; }

QProgressBar#budgetProgress { background: #3E3E3E; border: none; border-radius: 3px; }
QProgressBar#budgetProgress::chunk { background: #1DB954; border-radius: 3px; }

QToolTip {
    color: #FFFFFF; background: #282828; border: 1px solid #3E3E3E; padding: 4px 6px;
}
"""


def dark_palette() -> QPalette:
    """The palette behind the style sheet: text cursors, selections and disabled text."""
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: WINDOW,
        QPalette.ColorRole.WindowText: TEXT,
        QPalette.ColorRole.Base: FIELD,
        QPalette.ColorRole.AlternateBase: CARD,
        QPalette.ColorRole.Text: TEXT,
        QPalette.ColorRole.Button: QColor("#2A2A2A"),
        QPalette.ColorRole.ButtonText: TEXT,
        QPalette.ColorRole.Highlight: ACCENT,
        QPalette.ColorRole.HighlightedText: QColor("#000000"),
        QPalette.ColorRole.ToolTipBase: QColor("#282828"),
        QPalette.ColorRole.ToolTipText: TEXT,
        QPalette.ColorRole.PlaceholderText: QColor("#6F6F6F"),
        QPalette.ColorRole.Link: ACCENT,
        QPalette.ColorRole.Mid: FIELD_BORDER,
    }
    for role, color in roles.items():
        palette.setColor(role, color)
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, TEXT_DISABLED)
    return palette


def apply_window_style(window: QWidget) -> None:
    window.setWindowIcon(icons.app_icon())
    dark = style.system_is_dark()  # as the card decides
    window.setPalette(dark_palette() if dark else light_palette(dark_palette()))
    # A plain QWidget paints a style-sheet background only with this attribute.
    window.setProperty("dialogWindow", True)
    window.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
    font = QFont(window.font())
    font.setPixelSize(BASE_FONT_PX)
    window.setFont(font)
    window.setStyleSheet(STYLE_SHEET if dark else light_style_sheet(STYLE_SHEET))


def mono_font(pixel_size: int = BASE_FONT_PX) -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPixelSize(pixel_size)
    return font


def set_tone(widget: QWidget, tone: str) -> None:
    """Switch a ``[tone=...]`` style-sheet rule ("", "error", "ok"); Qt needs a re-polish."""
    if widget.property("tone") == tone:
        return
    widget.setProperty("tone", tone)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def text_label(text: str, name: str, parent: QWidget | None = None) -> QLabel:
    """A plain-text label (never rich text: the text may come from Spotify or the user)."""
    label = QLabel(text, parent)
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


def button(text: str, kind: str = "", parent: QWidget | None = None) -> QPushButton:
    widget = QPushButton(text, parent)
    if kind:
        widget.setProperty("kind", kind)
    widget.setCursor(Qt.CursorShape.PointingHandCursor)
    widget.setAutoDefault(False)
    return widget


def link_button(text: str, parent: QWidget | None = None) -> QPushButton:
    """A link-looking button: the window emits a signal, the app opens the target."""
    widget = button(text, "link", parent)
    widget.setIcon(icons.glyph("open-external", QColor("#1ED760"), 14))
    widget.setIconSize(QSize(14, 14))
    widget.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
    return widget


def card(parent: QWidget | None = None) -> QFrame:
    frame = QFrame(parent)
    frame.setObjectName("card")
    return frame


def divider(parent: QWidget | None = None) -> QFrame:
    line = QFrame(parent)
    line.setObjectName("divider")
    line.setFixedHeight(1)
    return line


def scroll_page(body: QWidget, parent: QWidget | None = None) -> QScrollArea:
    """A vertical scroller whose background is the window's own."""
    area = QScrollArea(parent)
    area.setObjectName("page")
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    body.setObjectName("pageBody")
    body.setAutoFillBackground(False)
    area.setWidget(body)
    area.viewport().setAutoFillBackground(False)
    return area


def fit_to_screen(window: QWidget, width: int, body: QWidget, chrome_height: int) -> None:
    """Size ``window`` to show all of ``body`` (plus fixed parts), within the screen."""
    window.ensurePolished()
    body.ensurePolished()
    layout = body.layout()
    if layout is not None and layout.hasHeightForWidth():
        content = layout.totalHeightForWidth(width)
    else:
        content = body.sizeHint().height()
    wanted = chrome_height + content
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        wanted = min(wanted, int(screen.availableGeometry().height() * MAX_SCREEN_SHARE))
    window.resize(width, wanted)


__all__ = [
    "STYLE_SHEET",
    "apply_window_style",
    "button",
    "card",
    "dark_palette",
    "divider",
    "fit_to_screen",
    "link_button",
    "mono_font",
    "scroll_page",
    "set_tone",
    "text_label",
]
