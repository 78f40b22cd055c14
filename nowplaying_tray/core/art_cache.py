"""Album art on disk, in the platform cache directory, with a bounded size."""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

import requests

from nowplaying_tray.core.atomic import write_bytes_atomic
from nowplaying_tray.core.bounded_http import download, mount_bounded
from nowplaying_tray.core.disk_cache import evict_oldest
from nowplaying_tray.core.errors import ApiUnavailable, Offline

logger = logging.getLogger(__name__)

MAX_IMAGE_BYTES = 5_000_000  # album art is a few hundred kB at most; refuse anything huge


class ArtCache:
    """A directory of images named by the hash of their URL; oldest files go first."""

    def __init__(self, directory: Path, max_bytes: int = 30_000_000) -> None:
        self.directory = directory
        self.max_bytes = max_bytes

    def path_for(self, url: str) -> Path:
        return self.directory / (hashlib.sha256(url.encode()).hexdigest()[:32] + ".img")

    def get(self, url: str) -> Path | None:
        path = self.path_for(url)
        if path.is_file():
            os.utime(path)  # recently used: evict it last
            return path
        return None

    def put(self, url: str, data: bytes) -> Path:
        path = self.path_for(url)
        write_bytes_atomic(path, data)
        self._evict()
        return path

    def _evict(self) -> None:
        evict_oldest(self.directory, "*.img", self.max_bytes)


def art_session() -> requests.Session:
    """A session of its own for album art (it is downloaded on its own thread), bounded
    like the API's: one deadline for the whole download, a size cap."""
    session = requests.Session()
    mount_bounded(session)
    return session


def fetch_art(url: str, cache: ArtCache, session: requests.Session, timeout_s: float) -> Path:
    """The art at ``url`` as a file, cached or downloaded within ``timeout_s`` in all.
    Blocking: run it on the downloads thread. ``session``: one from ``art_session``."""
    cached = cache.get(url)
    if cached is not None:
        return cached
    try:
        data = download(session, url, timeout_s, MAX_IMAGE_BYTES)
    except requests.exceptions.ConnectTimeout as exc:
        raise Offline() from exc
    except requests.exceptions.Timeout as exc:
        raise ApiUnavailable("The album art did not arrive in time.") from exc
    except requests.exceptions.ConnectionError as exc:
        raise Offline() from exc
    except requests.RequestException as exc:
        raise ApiUnavailable("The album art could not be downloaded.") from exc
    if not data:
        raise ApiUnavailable("The album art was not a usable image.")
    return cache.put(url, data)
