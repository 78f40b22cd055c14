"""The window the card becomes without a tray: one size, and closing it ends the app."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from nowplaying_tray.core.memory_keyring import MemoryKeyring
from nowplaying_tray.core.paths import AppPaths
from nowplaying_tray.core.settings import Settings
from tests.app.test_tray_app import started_without_tray


def test_closing_the_window_without_a_tray_quits(
    qtbot: QtBot, logged_in: Settings, app_paths: AppPaths, memory_keyring: MemoryKeyring
) -> None:
    with started_without_tray(logged_in, app_paths, memory_keyring, wait_attempts=1) as app:
        qtbot.waitUntil(app.popup.isVisible, timeout=5000)
        with qtbot.waitSignal(app.no_tray.quit_requested, timeout=2000):
            app.popup.close()  # the title bar's close button, or Alt+F4


def test_the_window_without_a_tray_has_one_size(
    qtbot: QtBot, logged_in: Settings, app_paths: AppPaths, memory_keyring: MemoryKeyring
) -> None:
    with started_without_tray(logged_in, app_paths, memory_keyring, wait_attempts=1) as app:
        popup = app.popup
        qtbot.waitUntil(popup.isVisible, timeout=5000)
        assert not popup.windowFlags() & Qt.WindowType.WindowMaximizeButtonHint
        assert popup.windowFlags() & Qt.WindowType.WindowCloseButtonHint
        size = popup.size()
        assert popup.minimumSize() == popup.maximumSize() == size  # nothing to stretch
        popup.show_message("A longer note that takes a line or two of its own in the card.")
        qtbot.waitUntil(lambda: popup.height() > size.height())
        assert popup.minimumSize() == popup.maximumSize() == popup.size()  # still one size
