"""Where the running tray app listens for other starts and for ``now``: Qt-free, so the
command line finds it without loading Qt.

On Unix the socket lives in ``XDG_RUNTIME_DIR`` (the user's own 0700 directory) or,
without one, in a 0700 directory of ours under the temp dir whose owner is checked.
"""

from __future__ import annotations

import getpass
import logging
import os
import socket
import stat
import tempfile
import zlib
from pathlib import Path

logger = logging.getLogger(__name__)

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


STATE_MESSAGE = b"state\n"  # "what is playing?", asked by ``now``
MAX_STATE_BYTES = 64 * 1024  # a playback answer is a few hundred bytes


def ask_state(path: str, timeout_s: float) -> bytes | None:
    """The running tray app's answer to "state", or None when no tray answers.

    One try: ``now`` falls back to asking Spotify itself when no tray listens.
    """
    try:
        if os.lstat(path).st_uid != os.getuid():
            logger.warning("Not asking %s: it belongs to another user", path)
            return None
    except OSError:
        return None  # nothing listens there
    chunks: list[bytes] = []
    size = 0
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as peer:
            peer.settimeout(timeout_s)
            peer.connect(path)
            peer.sendall(STATE_MESSAGE)
            while size <= MAX_STATE_BYTES:
                chunk = peer.recv(8192)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
    except OSError as exc:
        logger.info("The running tray app did not answer: %s", exc)
        return None
    if size > MAX_STATE_BYTES or not chunks:
        return None
    return b"".join(chunks)
