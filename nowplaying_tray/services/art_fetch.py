"""Album art as a file, for the card, the notifications, the overlay and the OBS files.

A cover is taken from the cache, read from a local player's ``file://`` URL, or
downloaded within the request timeout in effect at that moment (the settings can
change it while the app runs).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import requests

from nowplaying_tray.core.art_cache import ArtCache, fetch_art
from nowplaying_tray.core.local_art import is_file_url, read_local_art

logger = logging.getLogger(__name__)


class ArtFetcher:
    """``http``: a session from ``core.art_cache.art_session``; ``timeout_s``: read at each
    download."""

    def __init__(
        self, cache: ArtCache, http: requests.Session, timeout_s: Callable[[], float]
    ) -> None:
        self._cache = cache
        self._http = http
        self._timeout_s = timeout_s

    def fetch(self, url: str) -> Path:
        """The album art at ``url`` as a file. Blocking: for the downloads thread."""
        if is_file_url(url):
            return read_local_art(url, self._cache)
        return fetch_art(url, self._cache, self._http, self._timeout_s())
