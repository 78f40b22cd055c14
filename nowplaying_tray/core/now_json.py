"""The ``now --json`` object, built once for the command line and the stream overlay."""

from __future__ import annotations

from typing import Any

from nowplaying_tray.core.model import Playback

LOCAL = "local"  # a player on this computer, over MPRIS
WEB_API = "web_api"  # Spotify's Web API


def now_json(
    playback: Playback, source: str, now: float, budget: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The playback's fields (progress extrapolated to ``now``), its source and, for the
    Web API, the request budget."""
    data = playback.to_json(now) | {"source": source}
    if budget is not None:
        data["budget"] = budget
    return data
