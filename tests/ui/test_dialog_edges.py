"""The setup and settings windows: light or dark as the desktop (and the card) is, the
request bar in the same colours, Escape closes both, and the port shown is the one used."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QProgressBar, QSpinBox, QWidget
from pytestqt.qtbot import QtBot

from nowplaying_tray.core.budget import BudgetView
from nowplaying_tray.core.settings import Settings, redirect_uri_for
from nowplaying_tray.ui import style
from nowplaying_tray.ui.popup.window import PopupWindow
from nowplaying_tray.ui.settings.port_box import ANY_PORT_TEXT
from nowplaying_tray.ui.settings.window import SettingsWindow
from nowplaying_tray.ui.setup.window import SetupWindow
from tests.ui.test_popup_theme import set_desktop

CLIENT_ID = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def desktop_palette(qapp: QApplication) -> Iterator[None]:
    original = QGuiApplication.palette()
    yield
    QApplication.setPalette(original)
    style.use_scheme(style.DARK)


def shown(qtbot: QtBot, window: QWidget) -> QWidget:
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def settings_window(qtbot: QtBot, settings: Settings | None = None) -> SettingsWindow:
    window = SettingsWindow(
        settings or Settings(client_id=CLIENT_ID), budget=lambda: BudgetView(1000, 400)
    )
    shown(qtbot, window)
    return window


def background(window: QWidget) -> QColor:
    image: QImage = window.grab().toImage()
    return image.pixelColor(3, image.height() // 2)  # the window's own margin


@pytest.mark.parametrize(
    ("window", "text", "dark"), [("#2B2B2B", "#EEEEEE", True), ("#F2F2F2", "#111111", False)]
)
def test_settings_setup_and_card_share_the_desktop_scheme(
    qtbot: QtBot, desktop_palette: None, window: str, text: str, dark: bool
) -> None:
    set_desktop(window, text)
    popup = PopupWindow()
    shown(qtbot, popup)
    card = popup.grab().toImage().pixelColor(popup.width() // 2, popup.height() - 4)
    settings = settings_window(qtbot)
    setup = shown(qtbot, SetupWindow(redirect_uri_for(8974)))
    for each in (settings, setup):
        colour = background(each)
        assert (colour.lightness() < 80) is dark, (type(each).__name__, colour.name())
        assert (colour.lightness() < 80) is (card.lightness() < 80)
        title = each.findChild(QLabel, "pageTitle")
        if title is not None:
            ink = title.palette().color(QPalette.ColorRole.WindowText)
            assert (ink.lightness() > 160) is dark, ink.name()  # readable on it


@pytest.mark.parametrize(("window", "text"), [("#2B2B2B", "#EEEEEE"), ("#F2F2F2", "#111111")])
def test_the_request_bar_is_drawn_in_the_window_colours(
    qtbot: QtBot, desktop_palette: None, window: str, text: str
) -> None:
    set_desktop(window, text)
    settings = settings_window(qtbot)
    bar = settings.findChild(QProgressBar, "budgetProgress")
    assert bar is not None
    settings.findChild(QWidget, "page").ensureWidgetVisible(bar)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: bar.value() == 400)
    image = bar.grab().toImage()
    spent = image.pixelColor(image.width() // 10, image.height() // 2)
    left = image.pixelColor(image.width() * 9 // 10, image.height() // 2)
    assert spent.green() > 150 and spent.red() < 80, spent.name()  # the accent
    window_light = background(settings).lightness()
    # The rest of the bar is a quiet track near the window's own shade, not a system
    # widget's white or blue.
    assert abs(left.lightness() - window_light) < 120, (left.name(), window_light)
    assert left.blue() - left.red() < 20, left.name()


@pytest.mark.parametrize("kind", ["setup", "settings"])
def test_escape_closes_the_window(qtbot: QtBot, kind: str) -> None:
    window = (
        settings_window(qtbot)
        if kind == "settings"
        else shown(qtbot, SetupWindow(redirect_uri_for(8974)))
    )
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.isVisible())


def test_any_free_port_is_shown_as_such(qtbot: QtBot) -> None:
    # The demo's: port 0 from the environment, a free port at each login.
    demo = Settings(client_id=CLIENT_ID, redirect_port=0).with_changes(
        env_overrides=frozenset({"redirect_port"})
    )
    window = settings_window(qtbot, demo)
    box = window.findChild(QSpinBox, "redirect_port")
    uri = window.findChild(QLabel, "redirectUri")
    assert box is not None and uri is not None
    assert box.text() == ANY_PORT_TEXT
    assert "1024" not in box.text() and ":0/" not in uri.text()
    assert "any free port" in uri.text()


def test_a_real_port_is_shown_as_it_is(qtbot: QtBot) -> None:
    window = settings_window(qtbot, Settings(client_id=CLIENT_ID, redirect_port=8974))
    box = window.findChild(QSpinBox, "redirect_port")
    uri = window.findChild(QLabel, "redirectUri")
    assert box is not None and uri is not None
    assert box.value() == 8974 and box.minimum() == 1024
    assert uri.text() == "http://127.0.0.1:8974/callback"
