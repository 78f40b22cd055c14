"""Worker threads for blocking calls: one for Spotify (network, keyring, files), one for
downloads (album art), so a slow cover never holds up a poll.

The GUI thread hands a callable to ``TaskRunner.submit``; the callable runs on
the runner's thread, and its result or its error comes back to the GUI thread as
a signal, where the matching callback is called. Calls run one at a time, in
order: spotipy's session and token refresh are not thread-safe.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from nowplaying_tray.core.errors import NowPlayingError

logger = logging.getLogger(__name__)

WORKER_NAME = "spotify-worker"
DOWNLOADS_NAME = "downloads"
ResultCallback = Callable[[Any], None]
ErrorCallback = Callable[[NowPlayingError], None]


class UnexpectedError(NowPlayingError):
    """A bug, not a Spotify problem: logged with its traceback, shown in plain words."""

    title = "Unexpected error"


class _Executor(QObject):
    """Lives on the worker thread; runs what it is given."""

    succeeded = Signal(int, object)
    failed = Signal(int, object)

    def __init__(self, name: str) -> None:
        super().__init__()
        self._name = name

    @Slot(int, object)
    def run(self, job_id: int, job: Callable[[], Any]) -> None:
        # Name the thread for Python too, so log lines say where they ran.
        threading.current_thread().name = self._name
        try:
            result = job()
        except NowPlayingError as exc:
            self.failed.emit(job_id, exc)
        except Exception:
            logger.exception("Background task failed")
            self.failed.emit(
                job_id, UnexpectedError("Something unexpected went wrong; see the log.")
            )
        else:
            self.succeeded.emit(job_id, result)


class TaskRunner(QObject):
    """GUI-side handle of the worker thread.

    Signals:
        busy_changed(bool): True while a task is running or queued.
    """

    busy_changed = Signal(bool)
    _submit = Signal(int, object)

    def __init__(self, parent: QObject | None = None, name: str = WORKER_NAME) -> None:
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._callbacks: dict[int, tuple[ResultCallback | None, ErrorCallback | None]] = {}
        self._thread = QThread()
        self._thread.setObjectName(name)
        self._executor = _Executor(name)
        self._executor.moveToThread(self._thread)
        self._submit.connect(self._executor.run)
        self._executor.succeeded.connect(self._on_succeeded)
        self._executor.failed.connect(self._on_failed)
        self._thread.finished.connect(self._executor.deleteLater)
        self._thread.start()

    @property
    def pending(self) -> int:
        return len(self._callbacks)

    def submit(
        self,
        job: Callable[[], Any],
        on_result: ResultCallback | None = None,
        on_error: ErrorCallback | None = None,
    ) -> int:
        job_id = next(self._ids)
        self._callbacks[job_id] = (on_result, on_error)
        if len(self._callbacks) == 1:
            self.busy_changed.emit(True)
        self._submit.emit(job_id, job)
        return job_id

    def shutdown(self, timeout_ms: int = 3000, last: Callable[[], None] | None = None) -> None:
        """Stop the thread; a call still running gets ``timeout_ms`` to finish.

        ``last`` runs on the worker as it ends (jobs still queued at a quit are dropped
        by Qt, so a final save cannot simply be submitted).
        """
        self._callbacks.clear()
        if last is not None:
            from PySide6.QtCore import Qt  # not at import: see services.timers.precise

            # Direct: in the thread that emits ``finished``, the worker, right before it ends.
            self._thread.finished.connect(
                lambda: _run_last(last), Qt.ConnectionType.DirectConnection
            )
        self._thread.quit()
        if not self._thread.wait(timeout_ms):
            logger.warning("The worker did not stop in time; leaving it to the OS")

    @Slot(int, object)
    def _on_succeeded(self, job_id: int, result: object) -> None:
        on_result, _ = self._pop(job_id)
        if on_result is not None:
            on_result(result)

    @Slot(int, object)
    def _on_failed(self, job_id: int, error: NowPlayingError) -> None:
        dropped = job_id not in self._callbacks  # by shutdown: its caller is gone
        _, on_error = self._pop(job_id)
        if on_error is not None:
            on_error(error)
        elif dropped:
            logger.debug("A task dropped at the quit failed: %s", error.message)
        else:
            logger.warning("Background task failed: %s", error.message)

    def _pop(self, job_id: int) -> tuple[ResultCallback | None, ErrorCallback | None]:
        callbacks = self._callbacks.pop(job_id, (None, None))
        if not self._callbacks:
            self.busy_changed.emit(False)
        return callbacks


def _run_last(job: Callable[[], None]) -> None:
    try:
        job()
    except Exception:
        logger.exception("The last job before the worker stopped failed")
