"""Memory: RSS after start, growth over 10,000 polls, and peak, against the floor.

    python bench/memory.py [--polls 10000] [--poll-interval 0.005] [--runs 3]
                           [--tracemalloc-polls 3000] [--no-desktop]
                           [--markdown-out FILE]

The app runs as a person runs it (``run_app``, offscreen), logged in already (a
bench file keyring), against a simulator in another process whose tracks last
1-2 s, so the 10,000 polls also bring some 50 track changes (new text, art
downloads and decoding, notifications). bench/_app_launcher.py waits for the
first playback, lets the app settle, then sets the poller's ``config`` to a tiny
``PollConfig`` (one poll every ``--poll-interval`` s, via the real ``Poller`` and
worker thread) and reports /proc/self/status VmRSS and VmHWM at checkpoints.

Baseline, same session: the minimal PySide6 tray app with ``import spotipy,
keyring``, peak (VmHWM) at its first timer tick. spotipy imported that way loads
redis; the app imports it without (``nowplaying_tray.core.spotipy_loader``), so the
same baseline without redis is reported too. A second, shorter run with tracemalloc
lists where Python allocations grew, as hints.

The run above has no session bus. Then (unless ``--no-desktop``) the app runs
again on a desktop's services started here and ended after (bench/_desktop.py:
Xvfb, a private session bus, dunst), so it also connects to the bus, scans for local
players, publishes its MPRIS player and sends its ~50 notifications to a real
server; its session-bus connections are counted once it has settled.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from _desktop import bus_connections, desktop_bus
from _memory_desktop import GROWTH_LIMIT_MIB, PEAK_RATIO, DesktopRun, desktop_report, mib
from _support import (
    LAUNCHER,
    MINIMAL,
    PYTHON,
    Mark,
    SimulatorProcess,
    app_env_for_simulator,
    bench_simulator_command,
    code_under_test,
    command_line,
    emit_report,
    isolated_env,
    load_line,
    log_in_to,
    machine_line,
    markdown_table,
    median,
    parse_mark,
    start_simulator_process,
    stop_process,
    temp_home,
)


def run_app(
    env: dict[str, str],
    polls: int,
    interval: float,
    tracemalloc: bool,
    extra: tuple[str, ...] = (),
    connections: list[str] | None = None,
) -> list[Mark]:
    """The app's marks; with ``connections``, its session-bus connections once settled."""
    checkpoints = ",".join(str(n) for n in (100, 1000, 2000, 5000) if n < polls)
    cmd = [
        PYTHON,
        LAUNCHER,
        "--settle",
        "2",
        "--polls",
        str(polls),
        "--poll-interval",
        str(interval),
        "--checkpoints",
        checkpoints,
    ]
    if tracemalloc:
        cmd.append("--tracemalloc")
    cmd += extra
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
    )
    assert proc.stdout is not None
    marks: list[Mark] = []
    # tracemalloc records 12 frames of every allocation: a poll takes several times longer.
    deadline = time.monotonic() + 60 + polls * (interval + (0.3 if tracemalloc else 0.05))
    try:
        for line in proc.stdout:
            mark = parse_mark(line)
            if mark is not None:
                marks.append(mark)
                if connections is not None and mark.name == "rss" and not mark.data["polls"]:
                    bus = env["DBUS_SESSION_BUS_ADDRESS"]
                    connections += bus_connections(bus, proc.pid)
                if mark.name == "summary":
                    break
            if time.monotonic() > deadline:
                raise TimeoutError("the app did not finish its polls in time")
        proc.wait(30)
    finally:
        stop_process(proc)
    if not any(mark.name == "summary" for mark in marks):
        raise RuntimeError(f"the app ended without a summary (exit {proc.returncode})")
    return marks


BASELINES = {
    "floor": [],
    "floor+spotipy+keyring": ["--with-spotipy-keyring"],
    "floor+spotipy+keyring, no redis": ["--with-spotipy-keyring", "--without-redis"],
}


def baseline_peaks(env: dict[str, str], runs: int) -> dict[str, float]:
    """Median VmHWM (MiB) of the minimal tray app, bare and with spotipy + keyring."""
    peaks: dict[str, list[float]] = {name: [] for name in BASELINES}
    for _ in range(runs):
        for name, flags in BASELINES.items():
            out = subprocess.run(
                [PYTHON, MINIMAL, *flags],
                capture_output=True,
                text=True,
                env=env,
                check=True,
                timeout=60,
            ).stdout
            for line in out.splitlines():
                mark = parse_mark(line)
                if mark is not None and mark.name == "first-tick":
                    peaks[name].append(mib(mark.data["hwm_kib"]))
    return {name: median(values) for name, values in peaks.items()}


IMPORT_ONLY = """
import sys
import nowplaying_tray.app
for line in open("/proc/self/status"):
    if line.startswith("VmHWM:"):
        print(line.split()[1], "redis" in sys.modules)
"""


def import_only_peak(env: dict[str, str]) -> tuple[float, bool]:
    """VmHWM (MiB) of a process that only imports ``nowplaying_tray.app``; redis loaded?"""
    out = subprocess.run(
        [PYTHON, "-c", IMPORT_ONLY],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=60,
    ).stdout
    hwm, redis = out.split()[-2:]
    return mib(hwm), redis == "True"


def run_on_desktop(
    home: Path, sim: SimulatorProcess, keyring_file: Path, args: argparse.Namespace
) -> DesktopRun:
    """The same run on a desktop's session bus with dunst; its connections once settled."""
    with desktop_bus(home / "desktop") as bus:
        env = app_env_for_simulator(home / "app-desktop", sim, keyring_file)
        env["DBUS_SESSION_BUS_ADDRESS"] = bus.address
        connections: list[str] = []
        marks = run_app(
            env, args.polls, args.poll_interval, tracemalloc=False, connections=connections
        )
    return DesktopRun(marks, connections)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--polls", type=int, default=10_000)
    parser.add_argument("--poll-interval", type=float, default=0.005)
    parser.add_argument("--runs", type=int, default=3, help="runs of the baseline apps")
    parser.add_argument("--tracemalloc-polls", type=int, default=3000, help="0: skip")
    parser.add_argument("--no-desktop", action="store_true", help="skip the desktop-bus run")
    parser.add_argument("--markdown-out")
    args = parser.parse_args()
    desktop: DesktopRun | None = None

    with temp_home() as home:
        env = isolated_env(home)
        sim = start_simulator_process(bench_simulator_command("short"), isolated_env(home / "s"))
        try:
            keyring_file = home / "keyring.json"
            log_in_to(sim.base_url, keyring_file)
            app_env = app_env_for_simulator(home / "app", sim, keyring_file)
            baselines = baseline_peaks(env, args.runs)
            started = time.monotonic()
            marks = run_app(app_env, args.polls, args.poll_interval, tracemalloc=False)
            elapsed = time.monotonic() - started
            hints: list[str] = []
            if args.tracemalloc_polls:
                traced = run_app(
                    app_env_for_simulator(home / "traced", sim, keyring_file),
                    args.tracemalloc_polls,
                    args.poll_interval,
                    tracemalloc=True,
                )
                hints = list(traced[-1].data.get("tracemalloc_top", []))  # type: ignore[arg-type]
            imports_peak, imports_redis = import_only_peak(env)
            if not args.no_desktop:
                desktop = run_on_desktop(home, sim, keyring_file, args)
        finally:
            sim.stop()

    first = next(mark for mark in marks if mark.name == "first-playback")
    rss_marks = [mark for mark in marks if mark.name == "rss"]
    summary = marks[-1]
    settled = rss_marks[0]
    final = rss_marks[-1]
    growth = mib(final.data["rss_kib"]) - mib(settled.data["rss_kib"])
    after_1000 = next((m for m in rss_marks if m.data["polls"] == 1000), None)
    peak = mib(summary.data["hwm_kib"])
    floor_peak = baselines["floor"]
    floor_libs_peak = baselines["floor+spotipy+keyring"]
    floor_no_redis_peak = baselines["floor+spotipy+keyring, no redis"]
    limit = PEAK_RATIO * floor_libs_peak
    strict_limit = PEAK_RATIO * floor_no_redis_peak

    rows = [
        [label, "—", f"{mib(mark.data['rss_kib']):.1f}", "—"]
        for label, mark in (
            ("tray icon shown", next(m for m in marks if m.name == "tray-shown")),
            (
                "app started (`TrayApp.start()` returned)",
                next(m for m in marks if m.name == "app-started"),
            ),
            ("first playback displayed", first),
        )
    ]
    for mark in rss_marks:
        rows.append(
            [
                f"after {mark.data['polls']:,} polls" if mark.data["polls"] else "settled (2 s)",
                f"{mark.data['polls']:,}",
                f"{mib(mark.data['rss_kib']):.1f}",
                f"{mib(mark.data['rss_kib']) - mib(settled.data['rss_kib']):+.1f}",
            ]
        )
    table = markdown_table(["app", "polls", "VmRSS MiB", "vs settled"], rows)
    peak_rows = [
        ["minimal tray app (floor)", f"{floor_peak:.1f}", "—"],
        ["floor + `import spotipy, keyring` (baseline)", f"{floor_libs_peak:.1f}", "1.00×"],
        [
            "floor + spotipy (without redis, as the app imports it) + keyring",
            f"{floor_no_redis_peak:.1f}",
            f"{floor_no_redis_peak / floor_libs_peak:.2f}×",
        ],
        [
            f"nowplaying-tray, whole run ({summary.data['polls']:,} polls)",
            f"{peak:.1f}",
            f"{peak / floor_libs_peak:.2f}×",
        ],
        [
            "`python -c 'import nowplaying_tray.app'` only (no QApplication)",
            f"{imports_peak:.1f}",
            f"{imports_peak / floor_libs_peak:.2f}×",
        ],
    ]
    peak_table = markdown_table(["peak (VmHWM)", "MiB", "÷ baseline"], peak_rows)
    steady = ""
    if after_1000 is not None:
        steady = (
            f" From 1,000 to {final.data['polls']:,} polls: "
            f"{mib(final.data['rss_kib']) - mib(after_1000.data['rss_kib']):+.1f} MiB."
        )
    verdicts = [
        f"- Growth over {final.data['polls']:,} polls: {growth:+.1f} MiB (limit "
        f"{GROWTH_LIMIT_MIB:g} MB) — "
        + ("**met**." if growth < GROWTH_LIMIT_MIB else "**missed**.")
        + steady,
        f"- Peak {peak:.1f} MiB vs limit {PEAK_RATIO}× {floor_libs_peak:.1f} = {limit:.1f} MiB "
        + (
            "— **met**."
            if peak <= limit
            else f"— **missed** by {peak - limit:.1f} MiB ({peak / floor_libs_peak:.2f}×)."
        ),
        f"- Against the baseline without redis ({floor_no_redis_peak:.1f} MiB, limit "
        f"{strict_limit:.1f} MiB) the peak is {peak / floor_no_redis_peak:.2f}× "
        + ("— within it." if peak <= strict_limit else f"— {peak - strict_limit:.1f} MiB over."),
        f"- redis loaded: {'yes' if summary.data.get('redis_loaded') else 'no'} in the app, "
        f"{'yes' if imports_redis else 'no'} after `import nowplaying_tray.app`.",
        f"- {summary.data['polls']:,} polls ({summary.data['errors']} errors) in "
        f"{elapsed:.0f} s of wall time.",
    ]
    lines = [
        "### Memory",
        "",
        f"Command: `{command_line('memory.py', sys.argv[1:])}`  ",
        f"{machine_line()}, QT_QPA_PLATFORM=offscreen  ",
        f"Code: {code_under_test()}  ",
        load_line(),
        "",
        table,
        "",
        peak_table,
        "",
        *verdicts,
    ]
    if desktop is not None:
        lines += ["", *desktop_report(desktop, marks, limit, floor_libs_peak)]
    if hints:
        lines += [
            "",
            f"tracemalloc, growth of Python allocations between settling and "
            f"{args.tracemalloc_polls:,} polls (separate run; largest first):",
            "",
            *[f"- `{hint}`" for hint in hints],
        ]
    emit_report("\n".join(lines), args.markdown_out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
