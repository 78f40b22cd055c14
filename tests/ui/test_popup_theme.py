"""The card follows the desktop's light or dark scheme (the system palette here)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QLabel

from nowplaying_tray.ui import style
from nowplaying_tray.ui.popup.window import PopupWindow


@pytest.fixture
def desktop_palette(qapp: QApplication) -> Iterator[None]:
    original = QGuiApplication.palette()
    yield
    QApplication.setPalette(original)
    style.use_scheme(style.DARK)


def set_desktop(window: str, text: str) -> None:
    palette = QPalette(QGuiApplication.palette())
    palette.setColor(QPalette.ColorRole.Window, QColor(window))
    palette.setColor(QPalette.ColorRole.WindowText, QColor(text))
    QApplication.setPalette(palette)


@pytest.mark.parametrize(
    ("window", "text", "dark"), [("#2B2B2B", "#EEEEEE", True), ("#F2F2F2", "#111111", False)]
)
def test_the_card_is_light_or_dark_like_the_desktop(
    qtbot, desktop_palette: None, window: str, text: str, dark: bool
) -> None:
    set_desktop(window, text)
    popup = PopupWindow()
    qtbot.addWidget(popup)
    popup.show_near(None)
    qtbot.waitExposed(popup)
    image = popup.grab().toImage()
    card = image.pixelColor(image.width() // 2, image.height() - 4)  # the card's padding
    assert (card.lightness() < 80) is dark, card.name()
    title = popup.findChild(QLabel, "title")
    title_colour = title.palette().color(QPalette.ColorRole.WindowText)
    assert (title_colour.lightness() > 160) is dark  # readable on that card
