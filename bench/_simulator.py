"""The Spotify simulator in its own process, with a playlist chosen for a benchmark.

    python bench/_simulator.py --playlist short|realistic|demo [--count N] [--port P]

Prints one line with its URL, then serves until SIGTERM. ``short`` tracks last
1-2 s (many track changes per minute); ``realistic`` ones 2.5-5 min.
"""

from __future__ import annotations

import argparse
import random
import signal
import threading
from typing import Any

from nowplaying_tray.simulator import SpotifySimulator, demo_playlist, make_track

DURATIONS_MS = {"short": (1_000, 2_000), "realistic": (150_000, 300_000)}


def playlist(kind: str, count: int, seed: int = 7) -> list[dict[str, Any]]:
    if kind == "demo":
        return demo_playlist()
    low, high = DURATIONS_MS[kind]
    rng = random.Random(seed)
    return [
        make_track(
            f"Bench Track {n:03d}",
            [f"Bench Artist {n % 17:02d}"],
            f"Bench Album {n % 23:02d}",
            rng.randint(low, high),
        )
        for n in range(count)
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--playlist", choices=("short", "realistic", "demo"), default="demo")
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    simulator = SpotifySimulator(
        port=args.port, auto_approve=True, playlist=playlist(args.playlist, args.count)
    )
    simulator.start()
    print(f"Spotify simulator on {simulator.base_url}", flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        simulator.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
