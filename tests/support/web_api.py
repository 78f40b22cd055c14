"""What the simulator's request log says about the Web API."""

from __future__ import annotations

from nowplaying_tray.simulator import SpotifySimulator


def web_api_requests(sim: SpotifySimulator) -> list[str]:
    """The paths of every Web API request (``/v1/...``) the simulator was sent."""
    return [r.path for r in sim.requests if r.path.startswith("/v1")]
