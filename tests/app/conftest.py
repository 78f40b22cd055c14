from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from pytestqt.qtbot import QtBot

from nowplaying_tray.app import AppOptions, TrayApp
from nowplaying_tray.core.memory_keyring import MemoryKeyring
from nowplaying_tray.core.paths import AppPaths
from nowplaying_tray.core.settings import Settings
from tests.support.login import follow_redirects


def dispose(app: TrayApp) -> None:
    """Shut down and delete the app's Qt objects now, on this thread.

    Left to Python's garbage collector, they could be freed on the worker
    thread of a later test, and Qt objects must die on the thread they live on.
    """
    app.shutdown()
    app.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def make_app(
    settings: Settings, paths: AppPaths, keyring: MemoryKeyring, *, mpris: bool = False
) -> TrayApp:
    return TrayApp(
        settings,
        paths,
        AppOptions(
            keyring_backend=keyring,
            open_url=follow_redirects,
            use_dbus_notifications=False,
            tray_wait_attempts=10_000,  # offscreen has no tray; keep waiting quietly
            mpris=mpris,
        ),
    )


@pytest.fixture
def started_app(
    qtbot: QtBot, logged_in: Settings, app_paths: AppPaths, memory_keyring: MemoryKeyring
) -> Iterator[TrayApp]:
    """The tray app, logged in, with its first playback shown."""
    app = make_app(logged_in, app_paths, memory_keyring)
    with qtbot.waitSignal(app.hub.playback_changed, timeout=5000):
        app.start()
    yield app
    dispose(app)


@pytest.fixture
def logged_out_app(
    qtbot: QtBot, settings: Settings, app_paths: AppPaths, memory_keyring: MemoryKeyring
) -> Iterator[TrayApp]:
    app = make_app(settings, app_paths, memory_keyring)
    with qtbot.waitSignal(app.poller.stopped, timeout=5000):
        app.start()
    yield app
    dispose(app)
