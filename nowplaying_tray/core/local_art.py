"""Album art that a local player (mpv, VLC) names with a ``file://`` URL.

The file is read here, never handed on: it must be a regular file, at most
``MAX_IMAGE_BYTES``, and start like an image (JPEG, PNG, GIF, WebP). What is read
is copied into the art cache, so the notification, the now-playing art file and the
card only ever see our copy, never the person's own path.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from nowplaying_tray.core.art_cache import MAX_IMAGE_BYTES, ArtCache
from nowplaying_tray.core.errors import ArtUnreadable

logger = logging.getLogger(__name__)

# Opened without waiting (a FIFO named cover.jpg must not block the worker) and
# without handing the descriptor to child processes.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
# The images read, by their first bytes: never any other local file.
_IMAGE_TYPES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


def image_type(head: bytes) -> str | None:
    """The MIME type of an image file from its first bytes; None if it is not one."""
    for magic, kind in _IMAGE_TYPES:
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def is_file_url(url: str) -> bool:
    return url[:5].lower() == "file:"


def file_url_path(url: str) -> Path | None:
    """The path a ``file://`` URL names on this computer; None for another host."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(url2pathname(parts.path) if os.name == "nt" else unquote(parts.path))
    return path if path.is_absolute() else None


def read_local_art(url: str, cache: ArtCache) -> Path:
    """Our copy of the image at the ``file://`` ``url``. Blocking: run it on the worker.

    The copy is named by the URL with the file's size and time, so a cover replaced in
    place is read again."""
    path = file_url_path(url)
    if path is None:
        raise ArtUnreadable()
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        logger.info("Local album art cannot be opened: %s", exc.strerror)
        raise ArtUnreadable() from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or not 0 < info.st_size <= MAX_IMAGE_BYTES:
            raise ArtUnreadable()
        key = f"{url}#{info.st_size}:{info.st_mtime_ns}"
        cached = cache.get(key)
        if cached is not None:
            return cached
        data = _read_bounded(fd)
    except OSError as exc:
        raise ArtUnreadable() from exc
    finally:
        os.close(fd)
    if len(data) > MAX_IMAGE_BYTES or image_type(data[:16]) is None:
        raise ArtUnreadable()
    return cache.put(key, data)


def _read_bounded(fd: int) -> bytes:
    """At most one byte more than ``MAX_IMAGE_BYTES``, however the file grows meanwhile."""
    chunks: list[bytes] = []
    left = MAX_IMAGE_BYTES + 1
    while left > 0 and (chunk := os.read(fd, min(left, 1 << 16))):
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
