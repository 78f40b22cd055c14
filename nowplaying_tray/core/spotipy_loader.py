"""The one door through which the app imports spotipy.

spotipy 2.x imports redis at module level for its ``RedisCacheHandler``, which
this app never uses (tokens live in the OS keyring). Loading redis costs about
0.1 s of start-up and 18 MiB, and a frozen build would have to carry it. So
spotipy is imported here with a stand-in for redis, removed again at once:
anything else that imports redis later gets the real one.
"""

from __future__ import annotations

import importlib
import sys
import types


def _import_without_redis() -> types.ModuleType:
    if "spotipy" in sys.modules or "redis" in sys.modules:
        return importlib.import_module("spotipy")
    stand_in = types.ModuleType("redis")
    stand_in.RedisError = type("RedisError", (Exception,), {})  # type: ignore[attr-defined]
    stand_in_asyncio = types.ModuleType("redis.asyncio")
    sys.modules["redis"], sys.modules["redis.asyncio"] = stand_in, stand_in_asyncio
    try:
        return importlib.import_module("spotipy")
    finally:
        for name, module in (("redis", stand_in), ("redis.asyncio", stand_in_asyncio)):
            if sys.modules.get(name) is module:
                del sys.modules[name]


spotipy = _import_without_redis()

from spotipy import Spotify, SpotifyException  # noqa: E402
from spotipy.cache_handler import CacheHandler  # noqa: E402
from spotipy.oauth2 import SpotifyOauthError, SpotifyPKCE  # noqa: E402

__all__ = [
    "CacheHandler",
    "Spotify",
    "SpotifyException",
    "SpotifyOauthError",
    "SpotifyPKCE",
    "spotipy",
]
