"""No system tray: the popup becomes the app's window, where it was left last time."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QPoint, Signal
from PySide6.QtWidgets import QApplication, QMenu

from nowplaying_tray.core.errors import NowPlayingError
from nowplaying_tray.core.window_position import load_position, save_position, window_file
from nowplaying_tray.services.session import Session
from nowplaying_tray.services.throttle import Throttle
from nowplaying_tray.services.worker import TaskRunner
from nowplaying_tray.ui.popup.window import PopupWindow

logger = logging.getLogger(__name__)

WINDOW_SAVE_MS = 1000  # a window dragged about is saved about once a second


class NoTrayWindow(QObject):
    """The card as a window with the tray's menu on a button; closing it quits.

    Signals: ``quit_requested`` when the person closes the window (its close button,
    Alt+F4): with no tray to come back to, nothing would be left of the app.
    """

    quit_requested = Signal()
    """The window was closed: the app should end."""

    def __init__(
        self,
        popup: PopupWindow,
        menu: QMenu,
        session: Session,
        runner: TaskRunner,
        state_dir: Path,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._popup = popup
        self._menu = menu
        self._session = session
        self._runner = runner
        self._path = window_file(state_dir)
        self._saver = Throttle(self._save, WINDOW_SAVE_MS, name="window-position-save", parent=self)

    def open(self) -> None:
        """Become the window: placed where it was left (read on the worker)."""
        logger.warning("No system tray appeared; showing the window instead")
        self._popup.set_standalone(True, self._menu)
        QApplication.instance().setQuitOnLastWindowClosed(True)  # type: ignore[union-attr]
        self._popup.moved.connect(self._saver)
        self._popup.installEventFilter(self)
        path = self._path
        self._runner.submit(lambda: load_position(path), self._show, self._show_unplaced)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self._popup and event.type() == QEvent.Type.Close:
            logger.info("The window was closed; quitting")
            self.quit_requested.emit()
        return False

    def _save(self, x: int, y: int) -> None:
        path = self._path
        self._runner.submit(lambda: save_position(path, (x, y)))

    def _show_unplaced(self, _error: NowPlayingError) -> None:
        self._show(None)  # an unreadable window.json: centred, as the first time

    def _show(self, position: tuple[int, int] | None) -> None:
        self._popup.show_window_at(QPoint(*position) if position is not None else None)
        self._session.set_popup_visible(True)
