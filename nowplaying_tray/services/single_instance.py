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

import getpass
import logging
import os
import stat
import tempfile
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDeadlineTimer, QLockFile, QObject, QThread, Signal

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
# A Unix socket address holds 108 bytes, the terminating NUL included.
MAX_SOCKET_PATH_BYTES = 107


def socket_path(lock_dir: Path) -> str | None:
    """The instance socket's name: unique per config location (tests run side by side).

    A full path in a private directory on Unix; None when no private directory can be
    had (then no instance listens or is asked). On Windows, a named pipe's name.
    """
    digest = zlib.crc32(str(lock_dir.resolve()).encode())
    if os.name != "posix":
        return f"nowplaying-tray-{getpass.getuser()}-{digest:08x}"
    name = f"nowplaying-tray-{digest:08x}"
    directory = _private_dir(name)
    return None if directory is None else str(directory / name)


def _private_dir(name: str) -> Path | None:
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and _is_private_dir(Path(runtime)) and _fits(Path(runtime) / name):
        return Path(runtime)
    fallback = Path(tempfile.gettempdir()) / f"nowplaying-tray-{os.getuid()}"
    try:
        fallback.mkdir(mode=0o700)
    except FileExistsError:
        pass
    except OSError as exc:
        logger.warning("Cannot make a private directory for the instance socket: %s", exc)
        return None
    if _is_private_dir(fallback):
        return fallback
    logger.warning(
        "%s is not a private directory of this user; other starts of the app will not "
        "find this one",
        fallback,
    )
    return None


def _fits(path: Path) -> bool:
    # A runtime dir deep in a file system (seen in sandboxes and test runners) would
    # make listen() fail with a bare "Name error"; the private temp dir is used instead.
    return len(os.fsencode(path)) <= MAX_SOCKET_PATH_BYTES


def _is_private_dir(path: Path) -> bool:
    try:
        info = os.lstat(path)  # lstat: a symlink planted there is not followed
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o077


class SingleInstance(QObject):
    """Signals: show_requested(): another start of the app asked us to show ourselves."""

    show_requested = Signal()

    def __init__(self, lock_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        lock_dir.mkdir(parents=True, exist_ok=True)
        self._name = socket_path(lock_dir)
        self._lock = QLockFile(str(lock_dir / "instance.lock"))
        self._server: QLocalServer | None = None  # Windows
        self._listener: UnixListener | None = None

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
        listener = UnixListener(self._name, self)
        if listener.listen():
            listener.show_requested.connect(self.show_requested)
            self._listener = listener

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
