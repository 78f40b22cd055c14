"""Applying a settings change while the app runs: saved off the GUI thread, used at once.

Every part that depends on a setting listens to ``changed``; nothing needs a restart.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal

from nowplaying_tray.core.autostart import Autostart
from nowplaying_tray.core.errors import FileWriteFailed, NowPlayingError
from nowplaying_tray.core.settings import Settings, SettingsStore
from nowplaying_tray.services.worker import TaskRunner

logger = logging.getLogger(__name__)


class Preferences(QObject):
    """The settings the person chose: kept, saved, and announced when they change."""

    changed = Signal(Settings)
    """The new settings, just chosen."""
    save_failed = Signal(NowPlayingError)
    """The settings file (or the start-at-login entry) could not be written."""

    def __init__(
        self,
        settings: Settings,
        store: SettingsStore,
        autostart: Autostart,
        runner: TaskRunner,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._store = store
        self._autostart = autostart
        self._runner = runner

    @property
    def current(self) -> Settings:
        return self._settings

    def apply(self, settings: Settings) -> None:
        old, self._settings = self._settings, settings
        if settings == old:
            return
        self._runner.submit(lambda: self._store.save(settings), on_error=self._on_save_failed)
        if settings.autostart != old.autostart:
            self._runner.submit(
                lambda: self._set_autostart(settings.autostart), on_error=self._on_save_failed
            )
        logger.info("Settings changed")
        self.changed.emit(settings)

    def apply_autostart(self) -> None:
        """At start: make the start-at-login entry match the file's ``autostart``, so a
        hand-edited value takes effect. Without the key the entry is left alone (an
        installer may have made it)."""
        on = self._settings.autostart

        def sync() -> None:
            if self._store.file_sets("autostart") and self._autostart.is_enabled() != on:
                self._set_autostart(on)

        self._runner.submit(sync, on_error=self._on_save_failed)

    def set_notifications(self, on: bool) -> None:
        self.apply(self._settings.with_changes(notifications=on))

    def _set_autostart(self, on: bool) -> None:
        try:
            self._autostart.enable() if on else self._autostart.disable()
        except OSError as exc:
            raise FileWriteFailed("the start-at-login entry", exc.strerror or str(exc)) from exc

    def _on_save_failed(self, error: NowPlayingError) -> None:
        logger.warning("Settings not saved: %s", error.message)
        self.save_failed.emit(error)
