"""Where the current cover is on disk: a local player's own file, or the art cache's copy."""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import unquote, urlsplit

from nowplaying_tray.services.artwork import ArtworkLoader

logger = logging.getLogger(__name__)


def local_file(url: str) -> Path | None:
    """The path of a ``file://`` URL (players such as VLC and mpv point their art there)."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(unquote(parts.path))
    return path if path.is_absolute() else None


class CoverFiles:
    """Looks a cover up for the overlay; a download is started when it is not on disk
    (``ArtworkLoader.loaded`` then says where it is)."""

    def __init__(self, artwork: ArtworkLoader) -> None:
        self._artwork = artwork

    def lookup(self, url: str) -> Path | None:
        local = local_file(url)
        if local is not None or url.startswith("file:"):
            return local  # read (and checked to be an image) when it is asked for
        cached = self._artwork.cached_path(url)
        if cached is not None:
            return Path(cached)
        self._artwork.request(url)
        return None
