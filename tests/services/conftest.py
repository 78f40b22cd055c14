"""Set-up shared by the services' tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from pytestqt.qtbot import QtBot

from nowplaying_tray.services.worker import TaskRunner


@pytest.fixture
def runner(qtbot: QtBot) -> Iterator[TaskRunner]:
    """The worker thread; the objects under test are its children, so they go with it."""
    runner = TaskRunner()
    yield runner
    runner.shutdown()
    runner.deleteLater()  # Qt objects must die on their own thread, not in a later GC
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
