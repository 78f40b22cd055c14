"""MPRIS: how fast a local track change shows, what polling it saves, what its D-Bus side costs.

    python bench/mpris.py [--changes 50] [--local-seconds 60] [--runs 5] [--markdown-out FILE]

Everything runs on a private session bus (``dbus-daemon --session``) started here.

- Detection latency: the tray app (``TrayApp`` with MPRIS on, logged in to an
  in-process simulator) and the simulator's stand-in for the Spotify desktop
  client (``simulator.desktop_client``) on that bus. Each of ``--changes`` skips
  is timed from the moment the bench asks the client to skip (before its
  ``PropertiesChanged`` goes out) to the poller's ``playback_changed`` with the
  new title on the GUI thread: what the tooltip, popup and notifications get.
- Requests while local plays: Web API requests in the simulator's log from the
  first local playback until ``--local-seconds`` later (skips every 0.5 s, then
  quiet playing), given per hour.
- Handover: the client quits -> the Web API's playback shown; a client starts ->
  its playback shown.
- Cost of the D-Bus side, ``--runs`` fresh processes each: VmRSS and wall time
  of QtCore alone, then jeepney alone (already installed by keyring) connecting
  with its threaded router, then our MPRIS modules (``nowplaying_tray.bus`` on
  jeepney) importing, connecting, publishing the player and scanning for players.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import requests
from _support import (
    code_under_test,
    command_line,
    emit_report,
    fmt,
    load_line,
    machine_line,
    markdown_table,
    median,
    percentile,
)

PYTHON = sys.executable


@contextmanager
def private_bus() -> Iterator[str]:
    proc = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        address = proc.stdout.readline().strip()
        yield address
    finally:
        proc.terminate()
        proc.wait(5)


# -- the app and the stand-in client ---------------------------------------------------


def measure_app(changes: int, local_seconds: float) -> dict[str, object]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from nowplaying_tray.app import AppOptions, TrayApp
    from nowplaying_tray.core.memory_keyring import MemoryKeyring
    from nowplaying_tray.core.paths import AppPaths
    from nowplaying_tray.core.settings import Settings
    from nowplaying_tray.core.spotify_access import build_access
    from nowplaying_tray.simulator import DEMO_CLIENT_ID, SpotifySimulator
    from nowplaying_tray.simulator.catalog import demo_playlist, entry_title
    from nowplaying_tray.simulator.desktop_client import DesktopClient

    qt = QApplication.instance() or QApplication([])
    titles = [entry_title(entry) for entry in demo_playlist()]
    keyring = MemoryKeyring()
    with SpotifySimulator(auto_approve=True) as sim, tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        paths = AppPaths(root / "c", root / "k", root / "l", root / "d", root / "s")
        settings = Settings(
            client_id=DEMO_CLIENT_ID,
            accounts_url=sim.accounts_url,
            api_url=sim.api_url,
            redirect_port=0,
        )
        build_access(settings, keyring_backend=keyring).login_flow(
            open_url=lambda url: bool(requests.get(url, timeout=10))
        ).run()
        client = DesktopClient(art_base=sim.base_url).start()
        client.play(0)
        app = TrayApp(
            settings,
            paths,
            AppOptions(
                keyring_backend=keyring,
                use_dbus_notifications=False,
                tray_wait_attempts=10_000,  # offscreen has no tray; do not open the window
                mpris=True,
            ),
        )

        def wait_for(condition: Callable[[], bool], timeout_s: float = 5.0) -> float:
            """Run Qt until ``condition`` holds; the time it did, or NaN."""
            deadline = time.perf_counter() + timeout_s
            loop = QEventLoop()
            while time.perf_counter() < deadline:
                if condition():
                    return time.perf_counter()
                QTimer.singleShot(1, loop.quit)
                loop.exec()
            return float("nan")

        def device() -> str | None:
            playback = app.hub.playback
            return playback.device if playback is not None else None

        def shown() -> str | None:
            playback = app.hub.playback
            return playback.title if playback is not None else None

        app.start()
        wait_for(lambda: shown() == titles[0])
        sim.clear_log()
        local_from = time.perf_counter()
        latencies: list[float] = []
        for _ in range(changes):
            expected = titles[(client.index + 1) % len(titles)]
            start = time.perf_counter()
            client.next()
            latencies.append((wait_for(lambda e=expected: shown() == e) - start) * 1000)
            wait_for(lambda: False, 0.5)
        wait_for(lambda: False, max(0.0, local_seconds - (time.perf_counter() - local_from)))
        local_elapsed = time.perf_counter() - local_from
        requests_local = sum(1 for r in sim.requests if r.path.startswith("/v1"))

        start = time.perf_counter()
        client.quit()
        to_web = wait_for(lambda: not app.poller.suspended and device() not in (None, "Spotify"))
        to_web -= start
        again = DesktopClient(art_base=sim.base_url).start()
        start = time.perf_counter()
        again.play(8)
        to_local = wait_for(lambda: shown() == titles[8]) - start
        again.quit()
        app.shutdown()
        app.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        del qt
    return {
        "latencies_ms": latencies,
        "requests_local": requests_local,
        "local_s": local_elapsed,
        "to_web_ms": to_web * 1000,
        "to_local_ms": to_local * 1000,
    }


# -- library cost, in fresh processes ------------------------------------------------------

CHILD = r"""
import json, os, sys, time
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
mode = sys.argv[1]
from PySide6.QtCore import QCoreApplication
app = QCoreApplication([])
base, start = rss(), time.perf_counter()
if mode == "ours":
    from nowplaying_tray.bus.thread import BusThread
    from nowplaying_tray.services.mpris.local_players import LocalPlayers
    from nowplaying_tray.services.mpris.published_player import MprisServer
    loop = BusThread("mpris")
    server = MprisServer(loop)
    server.publish()
    players = LocalPlayers(loop, ["spotify"])
    players.start()
    done = []
    players.scanned.connect(lambda _a: done.append(1))
    while not done:
        app.processEvents()
        time.sleep(0.001)
    elapsed = time.perf_counter() - start
    loop.close()
elif mode == "jeepney":
    from jeepney.io.threading import DBusRouter, open_dbus_connection
    router = DBusRouter(open_dbus_connection(bus="SESSION"))
    elapsed = time.perf_counter() - start
    router.close()
    router.conn.close()
else:
    elapsed = 0.0
print(json.dumps({"rss_kib": rss(), "base_kib": base, "elapsed_s": elapsed}))
"""


def measure_cost(mode: str, runs: int) -> dict[str, float]:
    results = []
    for _ in range(runs):
        done = subprocess.run(
            [PYTHON, "-c", CHILD, mode], capture_output=True, text=True, check=True, timeout=60
        )
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return {
        "rss_mib": median([r["rss_kib"] / 1024 for r in results]),
        "delta_mib": median([(r["rss_kib"] - r["base_kib"]) / 1024 for r in results]),
        "elapsed_ms": median([r["elapsed_s"] * 1000 for r in results]),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--changes", type=int, default=50)
    parser.add_argument("--local-seconds", type=float, default=60.0)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--markdown-out")
    args = parser.parse_args()
    with private_bus() as address:
        os.environ["DBUS_SESSION_BUS_ADDRESS"] = address
        app = measure_app(args.changes, args.local_seconds)
        costs = {mode: measure_cost(mode, args.runs) for mode in ("qtcore", "jeepney", "ours")}
    latencies = app["latencies_ms"]
    assert isinstance(latencies, list)
    local_s = float(app["local_s"])  # type: ignore[arg-type]
    requests_local = int(app["requests_local"])  # type: ignore[call-overload]
    lines = [
        "### MPRIS",
        "",
        f"Command: `{command_line('mpris.py', sys.argv[1:])}`  ",
        f"{machine_line()}, private session bus (dbus-daemon)  ",
        f"Code: {code_under_test()}  ",
        load_line(),
        "",
        markdown_table(
            ["what", "median", "p95", "max", "target"],
            [
                [
                    f"local track change -> shown ({len(latencies)} skips)",
                    f"{fmt(median(latencies), 1)} ms",
                    f"{fmt(percentile(latencies, 95), 1)} ms",
                    f"{fmt(max(latencies), 1)} ms",
                    "median ≤ 50 ms",
                ],
                [
                    "local player quits -> Web API playback shown",
                    f"{fmt(float(app['to_web_ms']), 0)} ms",  # type: ignore[arg-type]
                    "",
                    "",
                    "≤ 1 s",
                ],
                [
                    "local player starts -> its playback shown",
                    f"{fmt(float(app['to_local_ms']), 0)} ms",  # type: ignore[arg-type]
                    "",
                    "",
                    "≤ 1 s",
                ],
            ],
        ),
        "",
        f"Web API requests while the local player played: {requests_local} in "
        f"{fmt(local_s, 0)} s ({fmt(requests_local / local_s * 3600, 1)} per hour; target 0).",
        "",
        markdown_table(
            [f"process (median of {args.runs})", "VmRSS", "added to QtCore", "time"],
            [
                ["QtCore alone", f"{fmt(costs['qtcore']['rss_mib'], 1)} MiB", "", ""],
                [
                    "+ jeepney alone: connect, threaded router",
                    f"{fmt(costs['jeepney']['rss_mib'], 1)} MiB",
                    f"{fmt(costs['jeepney']['delta_mib'], 1)} MiB",
                    f"{fmt(costs['jeepney']['elapsed_ms'], 0)} ms",
                ],
                [
                    "+ our MPRIS modules (jeepney): connect, publish, scan",
                    f"{fmt(costs['ours']['rss_mib'], 1)} MiB",
                    f"{fmt(costs['ours']['delta_mib'], 1)} MiB",
                    f"{fmt(costs['ours']['elapsed_ms'], 0)} ms",
                ],
            ],
        ),
    ]
    emit_report("\n".join(lines), args.markdown_out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
