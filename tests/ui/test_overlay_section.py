"""The settings window's Stream overlay card: a port or Off, the address and a preview link."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QSpinBox

from nowplaying_tray.core.settings import Settings
from nowplaying_tray.ui.settings.window import SettingsWindow
from tests.support import widgets


def test_off_then_on_shows_the_address_and_preview(qtbot) -> None:
    window = SettingsWindow(Settings())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    port = widgets.find(window, QSpinBox, "overlay_port")
    address = widgets.find(window, QLabel, "overlayUrl")
    preview = widgets.find(window, QLabel, "overlayPreview")
    assert port.text() == "Off" and preview.isHidden()

    with qtbot.waitSignal(window.settings_changed, timeout=1000) as changed:
        port.stepBy(1)  # from Off straight to the lowest port
    assert changed.args[0].overlay_port == 1024
    assert address.text() == "http://127.0.0.1:1024/"
    assert 'href="http://127.0.0.1:1024/"' in preview.text() and preview.isVisible()

    window.set_settings(Settings(overlay_port=8975))  # from the file, shown silently
    assert address.text() == "http://127.0.0.1:8975/"
    port.setValue(1024)
    with qtbot.waitSignal(window.settings_changed, timeout=1000) as changed:
        port.stepBy(-1)  # below the lowest port is Off
    assert changed.args[0].overlay_port == 0 and port.text() == "Off"


def test_a_port_below_1024_cannot_be_typed(qtbot) -> None:
    window = SettingsWindow(Settings(overlay_port=8975))
    qtbot.addWidget(window)
    port = widgets.find(window, QSpinBox, "overlay_port")
    emitted: list[Settings] = []
    window.settings_changed.connect(emitted.append)
    port.lineEdit().selectAll()
    QTest.keyClicks(port, "80")
    QTest.keyClick(port, Qt.Key.Key_Return)
    assert emitted == [] and port.value() == 8975
