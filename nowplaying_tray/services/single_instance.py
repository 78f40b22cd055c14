"""One running app per user and config: a second start asks the first to show itself.

A ``QLockFile`` says who runs; Qt removes the lock of a process that died (a
crash leaves no obstacle). The running instance listens on a ``QLocalServer``;
a second process connects, says "show", and exits with status 0.

On Unix the socket lives in ``XDG_RUNTIME_DIR`` (the user's own 0700 directory) or,
without one, in a 0700 directory of ours under the temp dir whose owner is checked: a
name in the shared /tmp could be taken first by another local user, who would then be
told our "show". A socket someone else owns is never spoken to.

On Unix the socket is a plain one (``instance_socket``); QtNetwork's named pipes are
used on Windows only. Taking the lock is all that happens before the tray icon is
shown; the listener starts a moment later (``listen``).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDeadlineTimer, QLockFile, QObject, QThread, Signal

from nowplaying_tray.core.atomic import make_private_dir
from nowplaying_tray.core.instance_address import socket_path
from nowplaying_tray.services.instance_socket import (
    SHOW_MESSAGE,
    UnixListener,
    knock,
    owned_by_someone_else,
)

if TYPE_CHECKING:  # Windows only
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

logger = logging.getLogger(__name__)

CONNECT_TIMEOUT_MS = 1000
# How long a second start keeps knocking while the first is between taking the lock
# and listening (a fraction of a second while it starts).
HANDOVER_WAIT_MS = 3000


class SingleInstance(QObject):
    """Signals: show_requested(): another start of the app asked us to show ourselves."""

    show_requested = Signal()

    def __init__(self, lock_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        make_private_dir(lock_dir)
        self._name = socket_path(lock_dir)
        self._lock = QLockFile(str(lock_dir / "instance.lock"))
        self._server: QLocalServer | None = None  # Windows
        self._listener: UnixListener | None = None
        # What a "state" question (``now``) is answered with; Unix only.
        self.state_answer: Callable[[], bytes] | None = None

    def acquire(self) -> bool:
        """True if we are the only instance; else tell the running one to show itself.

        The winner must call ``listen`` soon after, so later starts can reach it.
        """
        if self._lock.tryLock(100):
            return True
        logger.info("Already running; asking the running instance to show itself")
        self._ask_running_instance()
        return False

    def listen(self) -> None:
        if self._name is None:
            return
        if os.name != "posix":
            self._listen_on_pipe(self._name)
            return
        if owned_by_someone_else(self._name):
            logger.warning("Not listening: %s belongs to another user", self._name)
            return
        listener = UnixListener(self._name, lambda: self._state_answer(), self)
        if listener.listen():
            listener.show_requested.connect(self.show_requested)
            self._listener = listener

    def _state_answer(self) -> bytes:
        return self.state_answer() if self.state_answer is not None else b""

    def release(self) -> None:
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        if self._server is not None:
            self._server.close()
            self._server = None
        self._lock.unlock()

    def _ask_running_instance(self) -> None:
        if self._name is None:
            return
        if os.name == "posix":
            knock(self._name, HANDOVER_WAIT_MS / 1000, CONNECT_TIMEOUT_MS / 1000)
        else:
            self._knock_on_pipe(self._name)

    # Windows: a named pipe through QtNetwork ------------------------------------------

    def _listen_on_pipe(self, name: str) -> None:
        from PySide6.QtNetwork import QLocalServer

        QLocalServer.removeServer(name)
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(name):
            logger.warning("Cannot listen for other instances: %s", server.errorString())
            return
        server.newConnection.connect(self._on_connection)
        self._server = server

    def _on_connection(self) -> None:
        assert self._server is not None
        while (socket := self._server.nextPendingConnection()) is not None:
            socket.readyRead.connect(lambda socket=socket: self._read(socket))
            socket.disconnected.connect(socket.deleteLater)

    def _read(self, socket: QLocalSocket) -> None:
        if bytes(socket.readAll().data()).startswith(SHOW_MESSAGE.strip()):
            self.show_requested.emit()

    def _knock_on_pipe(self, name: str) -> None:
        from PySide6.QtNetwork import QLocalSocket

        socket = QLocalSocket()
        deadline = QDeadlineTimer(HANDOVER_WAIT_MS)
        while True:
            socket.connectToServer(name)
            if socket.waitForConnected(CONNECT_TIMEOUT_MS):
                break
            if deadline.hasExpired():
                logger.warning("The running instance did not answer: %s", socket.errorString())
                return
            QThread.msleep(100)  # its listener is not up yet; this process has nothing else to do
        socket.write(SHOW_MESSAGE)
        socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
        socket.disconnectFromServer()
