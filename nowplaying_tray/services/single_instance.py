"""One running app per user and config: a second start asks the first to show itself.

A ``QLockFile`` says who runs; Qt removes the lock of a process that died (a
crash leaves no obstacle). The running instance listens on a ``QLocalServer``;
a second process connects, says "show", and exits with status 0.
"""

from __future__ import annotations

import getpass
import hashlib
import logging
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

logger = logging.getLogger(__name__)

SHOW_MESSAGE = b"show\n"
CONNECT_TIMEOUT_MS = 1000


def server_name(lock_dir: Path) -> str:
    # Short and unique per user and per config location (tests run side by side).
    digest = hashlib.sha256(str(lock_dir.resolve()).encode()).hexdigest()[:10]
    return f"nowplaying-tray-{getpass.getuser()}-{digest}"


class SingleInstance(QObject):
    """Signals: show_requested(): another start of the app asked us to show ourselves."""

    show_requested = Signal()

    def __init__(self, lock_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        lock_dir.mkdir(parents=True, exist_ok=True)
        self._name = server_name(lock_dir)
        self._lock = QLockFile(str(lock_dir / "instance.lock"))
        self._server: QLocalServer | None = None

    def acquire(self) -> bool:
        """True if we are the only instance; else tell the running one to show itself."""
        if self._lock.tryLock(100):
            self._listen()
            return True
        logger.info("Already running; asking the running instance to show itself")
        self._ask_running_instance()
        return False

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        self._lock.unlock()

    def _listen(self) -> None:
        QLocalServer.removeServer(self._name)  # a socket file left by a crash
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self._name):
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

    def _ask_running_instance(self) -> None:
        socket = QLocalSocket()
        socket.connectToServer(self._name)
        if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
            logger.warning("The running instance did not answer: %s", socket.errorString())
            return
        socket.write(SHOW_MESSAGE)
        socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
        socket.disconnectFromServer()
