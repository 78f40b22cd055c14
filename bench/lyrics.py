"""Lyrics: what they cost (Spotify requests, memory, CPU with the card open) and how close
to its timestamp each line reaches the card.

    python bench/lyrics.py [--duration 120] [--warmup 15] [--markdown-out FILE]

Two copies of the app run side by side, each in its own process with its own in-process
simulator (the demo's: its playlist has synced, plain-only, instrumental and not-found
tracks, an episode and an advert): one with lyrics on, the baseline with lyrics off.
Both are logged in through the real login, poll on the real schedule and keep the card
open the whole time, as a person watching the lyrics would.

- Spotify requests: every request the simulator answered outside LRCLIB's two paths.
- Memory: VmRSS after the run (the simulator thread is in both).
- CPU: utime + stime growth over ``--duration`` after ``--warmup``, % of one core
  (the simulator's thread, answering the polls, is counted in both).
- Line lateness: at each line change made by the clock alone (not a new item or a
  poll), the simulator's true position when the card's label already shows the line,
  minus the line's timestamp. Negative: the card was early (the extrapolated progress
  runs a little ahead of the simulator's clock).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from _support import (
    PYTHON,
    code_under_test,
    command_line,
    emit_report,
    fmt,
    isolated_env,
    load_line,
    machine_line,
    markdown_table,
    median,
    percentile,
    temp_home,
)

TARGET_EXTRA_MIB = 1.0
TARGET_CPU_OPEN = 2.0
TARGET_LATE_MS = 100.0
LRCLIB_PATHS = ("/api/get", "/api/search")


def subject(lyrics_on: bool, warmup_s: float, duration_s: float) -> None:
    """One app with its card open; prints one JSON line of results and quits."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QLabel

    qapp = QApplication(sys.argv[:1])
    from nowplaying_tray.app import AppOptions, TrayApp
    from nowplaying_tray.core.memory_keyring import MemoryKeyring
    from nowplaying_tray.core.paths import AppPaths
    from nowplaying_tray.core.settings import Settings
    from nowplaying_tray.demo import Demo
    from nowplaying_tray.simulator import DEMO_CLIENT_ID, SpotifySimulator

    # The demo's simulator and settings, with the harness that logs every request.
    simulator = SpotifySimulator(auto_approve=True).start()
    settings = Settings(
        client_id=DEMO_CLIENT_ID,
        accounts_url=simulator.accounts_url,
        api_url=simulator.api_url,
        lyrics_url=simulator.base_url,
        redirect_port=0,
        lyrics=lyrics_on,
    )
    options = AppOptions(
        keyring_backend=MemoryKeyring(),
        open_url=Demo.open_url,
        use_dbus_notifications=False,
        tray_wait_attempts=1_000_000,  # offscreen has no tray: wait quietly
    )
    app = TrayApp(settings, AppPaths.default(), options)
    player = simulator.player
    lateness: list[float] = []
    shown_wrong = 0
    last: dict[str, object] = {"key": None, "index": None}
    samples: dict[str, float] = {}

    def cpu_s() -> float:
        fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / 100  # utime, stime in clock ticks

    def status_kib(key: str) -> int:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
        return 0

    def on_lyrics(now: object) -> None:
        nonlocal shown_wrong
        truth_ms = player.state().progress_ms
        playback, lyrics = app.hub.playback, app.lyrics.lyrics
        key = playback.item_key if playback is not None else None
        index = getattr(now, "index", None)
        by_clock = key == last["key"] and index is not None and last["index"] == index - 1
        last.update(key=key, index=index)
        if not by_clock or lyrics is None or "start" not in samples:
            return
        label = app.popup.findChild(QLabel, "lyricLine")
        if label is None or label.full_text() != (getattr(now, "line", None) or "♪"):  # type: ignore[attr-defined]
            shown_wrong += 1
        lateness.append(truth_ms - lyrics.lines[index].at_ms)

    def start_measuring() -> None:
        samples.update(start=time.monotonic(), cpu=cpu_s())
        QTimer.singleShot(int(duration_s * 1000), finish)

    def finish() -> None:
        wall = time.monotonic() - samples["start"]
        requests = simulator.requests
        spotify = [r for r in requests if r.path not in LRCLIB_PATHS]
        result = {
            "lyrics": lyrics_on,
            "cpu_percent": 100 * (cpu_s() - samples["cpu"]) / wall,
            "rss_kib": status_kib("VmRSS"),
            "anon_kib": status_kib("RssAnon"),  # private: what this process alone costs
            "file_kib": status_kib("RssFile"),  # pages of fonts and libraries, shared
            "spotify_requests": len(spotify),
            "lrclib_requests": len(requests) - len(spotify),
            "lateness_ms": lateness,
            "shown_wrong": shown_wrong,
            "lookups": app.lyrics.lookups,
        }
        print("RESULT " + json.dumps(result), flush=True)
        qapp.quit()

    app.lyrics.lyrics_changed.connect(on_lyrics)  # after the card's own connection
    qapp.aboutToQuit.connect(app.shutdown)
    qapp.aboutToQuit.connect(simulator.stop)
    app.start()
    app.session.login_quietly()

    def open_card_once(_playback: object) -> None:
        if not app.popup.isVisible():
            app.presenter.show_popup()

    app.poller.playback_changed.connect(open_card_once)
    QTimer.singleShot(int(warmup_s * 1000), start_measuring)
    qapp.exec()


def run_pair(warmup_s: float, duration_s: float) -> dict[bool, dict[str, object]]:
    results: dict[bool, dict[str, object]] = {}
    with temp_home() as home_on, temp_home() as home_off:
        procs = {
            on: subprocess.Popen(
                [
                    PYTHON,
                    __file__,
                    "--subject",
                    "on" if on else "off",
                    "--warmup",
                    str(warmup_s),
                    "--duration",
                    str(duration_s),
                ],
                env=isolated_env(home),
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
            )
            for on, home in ((True, home_on), (False, home_off))
        }
        for on, proc in procs.items():
            out, _ = proc.communicate(timeout=warmup_s + duration_s + 120)
            line = next((x for x in out.splitlines() if x.startswith("RESULT ")), None)
            if line is None:
                raise RuntimeError(f"the {'on' if on else 'off'} app gave no result")
            results[on] = json.loads(line[len("RESULT ") :])
    return results


def report(results: dict[bool, dict[str, object]], argv: list[str]) -> str:
    on, off = results[True], results[False]
    late = [float(x) for x in on["lateness_ms"]]  # type: ignore[attr-defined]

    def mib(result: dict[str, object], key: str) -> float:
        return int(result[key]) / 1024  # type: ignore[call-overload]

    extra_anon = mib(on, "anon_kib") - mib(off, "anon_kib")
    extra_file = mib(on, "file_kib") - mib(off, "file_kib")
    worst = max((abs(x) for x in late), default=float("nan"))
    on_time = bool(late) and worst <= TARGET_LATE_MS
    rows = [
        [
            "Spotify requests",
            on["spotify_requests"],
            off["spotify_requests"],
            "no more than off: **"
            + verdict(int(on["spotify_requests"]) <= int(off["spotify_requests"]))  # type: ignore[call-overload]
            + "**",
        ],
        ["LRCLIB requests", on["lrclib_requests"], off["lrclib_requests"], ""],
        [
            "memory: private (RssAnon)",
            f"{mib(on, 'anon_kib'):.1f} MiB",
            f"{mib(off, 'anon_kib'):.1f} MiB",
            f"≤ +{TARGET_EXTRA_MIB:.0f} MiB: **{verdict(extra_anon <= TARGET_EXTRA_MIB)}** "
            f"({extra_anon:+.2f} MiB)",
        ],
        [
            "memory: font and library pages (RssFile)",
            f"{mib(on, 'file_kib'):.1f} MiB",
            f"{mib(off, 'file_kib'):.1f} MiB",
            f"({extra_file:+.2f} MiB; shared, from the files)",
        ],
        [
            "memory: VmRSS, both together",
            f"{mib(on, 'rss_kib'):.1f} MiB",
            f"{mib(off, 'rss_kib'):.1f} MiB",
            f"({mib(on, 'rss_kib') - mib(off, 'rss_kib'):+.2f} MiB)",
        ],
        [
            "CPU, card open",
            f"{fmt(float(on['cpu_percent']))} %",  # type: ignore[arg-type]
            f"{fmt(float(off['cpu_percent']))} %",  # type: ignore[arg-type]
            f"< {TARGET_CPU_OPEN:.0f} %: **"
            + verdict(float(on["cpu_percent"]) < TARGET_CPU_OPEN)  # type: ignore[arg-type]
            + "**",
        ],
        [
            "line reaches the card (vs its timestamp)",
            f"median {fmt(median(late), 1)} ms, p95 {fmt(percentile(late, 95), 1)} ms, "
            f"worst |{fmt(worst, 1)}| ms over {len(late)} lines"
            if late
            else "no line changes",
            "—",
            f"within {TARGET_LATE_MS:.0f} ms: **{verdict(on_time)}**",
        ],
    ]
    lines = [
        "### Lyrics",
        "",
        f"Command: `{command_line('lyrics.py', argv)}`  ",
        f"{machine_line()}  ",
        f"Code: {code_under_test()}  ",
        load_line(),
        "",
        "Two copies of the app side by side, card open, each with the demo's in-process "
        "simulator (synced, plain-only, instrumental and not-found tracks, an episode, an "
        "advert); the baseline has lyrics off (it still builds the hidden lyrics panel and "
        "starts the idle lyrics thread).",
        "",
        markdown_table(["", "lyrics on", "baseline: lyrics off", "target"], rows),
        "",
        f"Lines shown in the card at the change: {len(late) - int(on['shown_wrong'])}"  # type: ignore[call-overload]
        f"/{len(late)}; lookups: {on['lookups']}.",
    ]
    return "\n".join(lines)


def verdict(met: bool) -> str:
    return "met" if met else "missed"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=120.0)
    parser.add_argument("--warmup", type=float, default=15.0)
    parser.add_argument("--markdown-out")
    parser.add_argument("--subject", choices=("on", "off"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.subject:
        subject(args.subject == "on", args.warmup, args.duration)
        return 0
    results = run_pair(args.warmup, args.duration)
    emit_report(report(results, sys.argv[1:]), args.markdown_out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
