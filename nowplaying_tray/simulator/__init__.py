"""A local stand-in for Spotify's accounts service and Web API, over real HTTP.

Used by the tests, the benchmarks and the app's demo mode::

    with SpotifySimulator(auto_approve=True) as sim:
        authorize_url = f"{sim.accounts_url}/authorize"
        token_url = f"{sim.accounts_url}/api/token"
        api_prefix = sim.api_url + "/"

Standard library only; no Qt and no spotipy.
"""

from __future__ import annotations

import logging

from .catalog import (
    DEV_MODE_REMOVED,
    demo_playlist,
    make_ad,
    make_context,
    make_episode,
    make_local_track,
    make_track,
    without_image_sizes,
)
from .simulator import DEMO_CLIENT_ID, SpotifySimulator
from .timeline import Player

logger = logging.getLogger(__name__)

__all__ = [
    "DEMO_CLIENT_ID",
    "DEV_MODE_REMOVED",
    "Player",
    "SpotifySimulator",
    "demo_playlist",
    "make_ad",
    "make_context",
    "make_episode",
    "make_local_track",
    "make_track",
    "without_image_sizes",
]
