"""One measured run of the app for bench/overlay.py; prints one ``BENCH result`` line.

    python bench/_overlay_child.py --port N|0 [--changes 200] [--settle 3]

The app is built as ``launch.run_app`` builds the demo (its simulator in this process,
logged in through the real flow), offscreen, with ``overlay_port`` = ``--port``. Once the
first playback and its cover are shown, polling is suspended (so requests counted after
that are the overlay's alone), then:

- with the overlay on, a page client opens ``/events`` (on a thread) and loads ``/``,
  ``/now.json`` and ``/art`` as OBS does;
- ``--changes`` playbacks are emitted on ``hub.playback_changed``, the signal every
  view gets, each a new item; each one's time from the emission to its ``data:``
  line on the client is a latency sample;
- VmRSS is read after the settle (before the client) and at the end, threads counted,
  and the simulator's log says how many Web API requests were made after the suspend.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from nowplaying_tray.app import AppOptions, TrayApp
from nowplaying_tray.core.model import Playback
from nowplaying_tray.core.paths import AppPaths
from nowplaying_tray.core.settings import Settings
from nowplaying_tray.demo import Demo


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise KeyError("VmRSS")


def fetch(port: int, path: str) -> bytes:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", path)
    body = connection.getresponse().read()
    connection.close()
    return body


class PageClient(threading.Thread):
    """``/events`` as the page reads it: arrival time of every ``data:`` line, by title."""

    def __init__(self, port: int) -> None:
        super().__init__(name="bench-page", daemon=True)
        self.port = port
        self.arrived: dict[str, float] = {}
        self.ready = threading.Event()

    def run(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        connection.request("GET", "/events")
        stream = connection.getresponse()
        self.ready.set()
        while line := stream.fp.readline():
            if line.startswith(b"data: "):
                now = time.monotonic()
                self.arrived.setdefault(json.loads(line[6:])["title"], now)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--changes", type=int, default=200)
    parser.add_argument("--settle", type=float, default=3.0)
    args = parser.parse_args()
    qt = QApplication(sys.argv[:1])
    demo = Demo()
    settings = demo.settings(Settings(overlay_port=args.port))
    options = AppOptions(
        keyring_backend=demo.keyring,
        open_url=demo.open_url,
        use_dbus_notifications=False,
        tray_wait_attempts=10**6,
        window_without_tray=False,
    )
    app = TrayApp(settings, AppPaths.default(), options)
    result: dict[str, object] = {}
    emitted: dict[str, float] = {}

    def first_playback(playback: Playback) -> None:
        app.hub.playback_changed.disconnect(first_playback)
        QTimer.singleShot(int(args.settle * 1000), lambda: measure(playback))

    def measure(shown: Playback) -> None:
        app.poller.suspend("bench")
        requests_before = demo.simulator.count()
        result["rss_settled_kib"] = rss_kib()
        client = None
        if args.port:
            client = PageClient(args.port)
            client.start()
            client.ready.wait(5)
            for path in ("/", "/now.json", "/art"):
                fetch(args.port, path)
        for n in range(args.changes):
            # No uri: a new item all the same (by its title), and no library check asked.
            playback = replace(shown, title=f"Change {n}", uri=None, url=None)
            emitted[playback.title or ""] = time.monotonic()
            app.hub.playback_changed.emit(playback)
            qt.processEvents()
        deadline = time.monotonic() + 5
        while client is not None and len(client.arrived) <= args.changes:
            if time.monotonic() > deadline:
                break
            time.sleep(0.01)
        if client is not None:
            result["latency_ms"] = [
                (client.arrived[title] - at) * 1000
                for title, at in emitted.items()
                if title in client.arrived
            ]
        result["rss_end_kib"] = rss_kib()
        result["threads"] = sorted(t.name for t in threading.enumerate())
        result["overlay_modules"] = sorted(
            name for name in sys.modules if "overlay" in name and name.startswith("nowplaying")
        )
        result["web_api_requests"] = sum(
            1 for entry in demo.simulator.requests[requests_before:] if "/v1/" in entry.path
        )
        qt.quit()

    app.hub.playback_changed.connect(first_playback)
    qt.aboutToQuit.connect(app.shutdown)
    qt.aboutToQuit.connect(demo.stop)
    app.start()
    app.session.login_quietly()
    qt.exec()
    sys.stdout.write("BENCH result " + json.dumps(result) + "\n")
    sys.stdout.flush()
    os._exit(0)  # the page client's thread is still reading; nothing to clean up


if __name__ == "__main__":
    sys.exit(main())
