"""The instance socket on Unix: a plain ``AF_UNIX`` socket watched by a ``QSocketNotifier``.

QtNetwork's ``QLocalServer`` would do the same for about 2.7 MiB of extra memory; the
standard library already has the socket, and QtCore can watch it. The socket lives in
a private directory chosen by ``single_instance``; nothing here decides where.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import stat
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QSocketNotifier, Signal

from nowplaying_tray.core.instance_address import STATE_MESSAGE

logger = logging.getLogger(__name__)

SHOW_MESSAGE = b"show\n"
# Our own knock sends its whole message in one write; a peer that says more is cut off.
MAX_MESSAGE_BYTES = 64
RETRY_PAUSE_S = 0.1
ANSWER_TIMEOUT_S = 1.0  # an answer is a few hundred bytes: the socket buffer takes it at once


def owned_by_someone_else(path: str) -> bool:
    try:
        return os.lstat(path).st_uid != os.getuid()
    except FileNotFoundError:
        return False


class UnixListener(QObject):
    """Signals: show_requested(): a peer connected and said "show".

    A peer that says "state" (``now``) is answered with ``state_answer()``.
    """

    show_requested = Signal()

    def __init__(
        self,
        path: str,
        state_answer: Callable[[], bytes] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._path = path
        self.state_answer = state_answer
        self._socket: socket.socket | None = None
        self._notifier: QSocketNotifier | None = None
        self._peers: dict[socket.socket, QSocketNotifier] = {}

    def listen(self) -> bool:
        """Listen on the path; False (logged) if it cannot be had."""
        _remove_stale_socket(self._path)
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            server.bind(self._path)
            server.listen(8)
        except OSError as exc:
            server.close()
            logger.warning("Cannot listen for other instances on %s: %s", self._path, exc)
            return False
        server.setblocking(False)
        self._socket = server
        self._notifier = QSocketNotifier(server.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._accept)
        return True

    def close(self) -> None:
        for peer in list(self._peers):
            self._drop(peer)
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        if self._socket is not None:
            self._socket.close()
            self._socket = None
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self._path)

    def _accept(self) -> None:
        assert self._socket is not None
        while True:
            try:
                peer, _address = self._socket.accept()
            except (BlockingIOError, InterruptedError):
                return  # all pending connections taken
            except OSError as exc:
                logger.info("Instance socket: accept failed: %s", exc)
                return
            peer.setblocking(False)
            notifier = QSocketNotifier(peer.fileno(), QSocketNotifier.Type.Read, self)
            notifier.activated.connect(lambda *_args, peer=peer: self._read(peer))
            self._peers[peer] = notifier

    def _read(self, peer: socket.socket) -> None:
        try:
            data = peer.recv(MAX_MESSAGE_BYTES)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if data.startswith(SHOW_MESSAGE.strip()):
            self.show_requested.emit()
        elif data.startswith(STATE_MESSAGE.strip()) and self.state_answer is not None:
            self._answer(peer, self.state_answer())
        self._drop(peer)  # one message per connection

    def _answer(self, peer: socket.socket, answer: bytes) -> None:
        try:
            peer.settimeout(ANSWER_TIMEOUT_S)
            peer.sendall(answer)
        except OSError as exc:
            logger.info("Instance socket: the answer was not taken: %s", exc)

    def _drop(self, peer: socket.socket) -> None:
        notifier = self._peers.pop(peer, None)
        if notifier is not None:
            notifier.setEnabled(False)
            notifier.deleteLater()
        peer.close()


def knock(path: str, wait_s: float, connect_timeout_s: float) -> bool:
    """Say "show" to the instance listening on ``path``; True if it was said.

    Keeps trying for ``wait_s`` while nobody listens yet (the first instance may be
    between taking its lock and listening). Blocking: this runs in a second start,
    which has nothing else to do.
    """
    deadline = time.monotonic() + wait_s
    while True:
        if owned_by_someone_else(path):
            logger.warning("Not asking %s: it belongs to another user", path)
            return False
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as peer:
                peer.settimeout(connect_timeout_s)
                peer.connect(path)
                peer.sendall(SHOW_MESSAGE)
            return True
        except (FileNotFoundError, ConnectionRefusedError) as exc:
            failure: OSError = exc  # not listening yet
        except OSError as exc:
            logger.warning("The running instance did not answer: %s", exc)
            return False
        if time.monotonic() >= deadline:
            logger.warning("The running instance did not answer: %s", failure)
            return False
        time.sleep(RETRY_PAUSE_S)


def _remove_stale_socket(path: str) -> None:
    # We hold the instance lock, so a socket there was left by a crash. Anything
    # else (a file, a directory) stays, and the bind then fails with a clear error.
    with contextlib.suppress(FileNotFoundError):
        if stat.S_ISSOCK(os.lstat(path).st_mode):
            os.unlink(path)
