"""One running app per user and config: a second start asks the first to show itself.

A ``QLockFile`` says who runs; Qt removes the lock of a process that died (a
crash leaves no obstacle). The running instance listens on a ``QLocalServer``;
a second process connects, says "show", and exits with status 0.

Taking the lock is all that happens before the tray icon is shown. QtNetwork is
imported, and the listener started, a moment later (``listen``), which keeps
~6 ms and a few MiB off the time to the icon.
"""

from __future__ import annotations

import getpass
import logging
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDeadlineTimer, QLockFile, QObject, QThread, Signal

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

logger = logging.getLogger(__name__)

SHOW_MESSAGE = b"show\n"
CONNECT_TIMEOUT_MS = 1000
# How long a second start keeps knocking while the first is between taking the lock
# and listening (a fraction of a second while it starts).
HANDOVER_WAIT_MS = 3000


def server_name(lock_dir: Path) -> str:
    # Short and unique per user and per config location (tests run side by side).
    digest = zlib.crc32(str(lock_dir.resolve()).encode())
    return f"nowplaying-tray-{getpass.getuser()}-{digest:08x}"


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
        """True if we are the only instance; else tell the running one to show itself.

        The winner must call ``listen`` soon after, so later starts can reach it.
        """
        if self._lock.tryLock(100):
            return True
        logger.info("Already running; asking the running instance to show itself")
        self._ask_running_instance()
        return False

    def listen(self) -> None:
        from PySide6.QtNetwork import QLocalServer

        QLocalServer.removeServer(self._name)  # a socket file left by a crash
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self._name):
            logger.warning("Cannot listen for other instances: %s", server.errorString())
            return
        server.newConnection.connect(self._on_connection)
        self._server = server

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        self._lock.unlock()

    def _on_connection(self) -> None:
        assert self._server is not None
        while (socket := self._server.nextPendingConnection()) is not None:
            socket.readyRead.connect(lambda socket=socket: self._read(socket))
            socket.disconnected.connect(socket.deleteLater)

    def _read(self, socket: QLocalSocket) -> None:
        if bytes(socket.readAll().data()).startswith(SHOW_MESSAGE.strip()):
            self.show_requested.emit()

    def _ask_running_instance(self) -> None:
        from PySide6.QtNetwork import QLocalSocket

        socket = QLocalSocket()
        deadline = QDeadlineTimer(HANDOVER_WAIT_MS)
        while True:
            socket.connectToServer(self._name)
            if socket.waitForConnected(CONNECT_TIMEOUT_MS):
                break
            if deadline.hasExpired():
                logger.warning("The running instance did not answer: %s", socket.errorString())
                return
            QThread.msleep(100)  # its listener is not up yet; this process has nothing else to do
        socket.write(SHOW_MESSAGE)
        socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
        socket.disconnectFromServer()
