"""The demo: a built-in Spotify simulator, logged in through the real login flow.

The simulator approves the login by itself, and a tiny user agent follows the
authorize redirect to our loopback listener in place of a browser window. The
token lives in memory only: it is worth nothing outside this process.
"""

from __future__ import annotations

import logging

import requests

from nowplaying_tray.core.memory_keyring import MemoryKeyring
from nowplaying_tray.core.settings import Settings
from nowplaying_tray.simulator import DEMO_CLIENT_ID, SpotifySimulator

logger = logging.getLogger(__name__)


class Demo:
    def __init__(self) -> None:
        # No test harness (faults, quota, request log, remote control): the demo only plays.
        self.simulator = SpotifySimulator(auto_approve=True, harness=False).start()
        self.keyring = MemoryKeyring()
        logger.info("Demo simulator running at %s", self.simulator.base_url)

    def settings(self, base: Settings) -> Settings:
        return base.with_changes(
            client_id=DEMO_CLIENT_ID,
            accounts_url=self.simulator.accounts_url,
            api_url=self.simulator.api_url,
            lyrics_url=self.simulator.base_url,  # the simulator answers as LRCLIB too
            redirect_port=0,  # any free port: never clash with a real login
            env_overrides=frozenset(
                {"client_id", "accounts_url", "api_url", "lyrics_url", "redirect_port"}
            ),
        )

    @staticmethod
    def open_url(url: str) -> bool:
        """Stands in for the browser: follows the authorize redirect to our listener."""
        logger.info("Demo: the simulator approves the login by itself; no browser is opened")
        requests.get(url, timeout=10, allow_redirects=True)
        return True

    def stop(self) -> None:
        self.simulator.stop()
