"""The ``now --json`` object, built once for the command line and the stream overlay."""

from __future__ import annotations

from typing import Any

from nowplaying_tray.core.local_art import is_file_url
from nowplaying_tray.core.model import Playback

LOCAL = "local"  # a player on this computer, over MPRIS
WEB_API = "web_api"  # Spotify's Web API


def now_json(
    playback: Playback,
    source: str,
    now: float,
    budget: dict[str, Any] | None = None,
    local_paths: bool = True,
) -> dict[str, Any]:
    """The playback's fields (progress extrapolated to ``now``), its source and, for the
    Web API, the request budget. ``local_paths`` False leaves out a local player's
    ``file://`` url and art (the overlay's pages are read by other programs)."""
    data = playback.to_json(now) | {"source": source}
    if not local_paths:
        for key in ("url", "art_url"):
            if isinstance(data.get(key), str) and is_file_url(data[key]):
                data[key] = None
    if budget is not None:
        data["budget"] = budget
    return data
