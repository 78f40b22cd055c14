"""Atomic file writes: readers see the old file or the new one, never half of one.

Every file the app writes goes through here, so the rules are in one place: the
file is readable by its owner only (0600, from ``mkstemp``), a directory we create
is 0700 whatever the umask, text that UTF-8 cannot carry (a lone surrogate) is
replaced rather than failing the write, and a path that is not a regular file (a
FIFO, a device, a directory, a symlink) is refused, never replaced.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path


def make_private_dir(path: Path) -> None:
    """Create ``path`` and its missing parents as 0700; existing ones are left as they are."""
    missing: list[Path] = []
    probe = path
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for directory in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another process was quicker
            directory.mkdir(mode=0o700)
            directory.chmod(0o700)  # mkdir's mode is masked by the umask; this is not
    if not path.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(path))


def refuse_non_regular(path: Path) -> None:
    """``OSError`` if ``path`` exists and is anything but a regular file."""
    try:
        mode = os.stat(path).st_mode  # a link to a regular file is written as before
    except FileNotFoundError:
        return
    if not stat.S_ISREG(mode):
        raise OSError(errno.EPERM, "it is not a regular file, so it is left alone", str(path))


def write_bytes_atomic(path: Path, data: bytes) -> None:
    make_private_dir(path.parent)
    refuse_non_regular(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise


def write_text_atomic(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8", errors="replace"))
