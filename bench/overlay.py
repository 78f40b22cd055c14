"""The stream overlay: memory on and off, time from a change to ``/events``, Web API requests.

    python bench/overlay.py [--runs 3] [--changes 200] [--markdown-out FILE]

Each run is a fresh app process (bench/_overlay_child.py: the demo's simulator in the
process, offscreen, logged in), alternately with ``overlay_port`` 0 (the baseline, the
default) and set, with a page client on ``/events``. Reported: VmRSS once settled and
at the end (after the page loaded ``/``, ``/now.json``, ``/art`` and ``--changes``
item changes went through), the threads, the Web API requests made after polling was
suspended, and the time from ``hub.playback_changed`` to the client's ``data:``
line (targets: <= 2 MiB more memory on, none off; within 100 ms; no request added).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

from _support import (
    BENCH_DIR,
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

CHILD = str(BENCH_DIR / "_overlay_child.py")
MEMORY_LIMIT_MIB = 2.0
LATENCY_LIMIT_MS = 100.0


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run_child(port: int, changes: int) -> dict[str, object]:
    with temp_home() as home:
        done = subprocess.run(
            [PYTHON, CHILD, "--port", str(port), "--changes", str(changes)],
            env=isolated_env(home),
            capture_output=True,
            text=True,
            timeout=120,
        )
    for line in done.stdout.splitlines():
        if line.startswith("BENCH result "):
            return dict(json.loads(line[len("BENCH result ") :]))
    raise RuntimeError(f"the app reported nothing:\n{done.stdout}\n{done.stderr[-3000:]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--changes", type=int, default=200)
    parser.add_argument("--markdown-out")
    args = parser.parse_args()
    runs: dict[str, list[dict[str, object]]] = {"off": [], "on": []}
    for _ in range(args.runs):  # alternated, so a drift of the machine hits both
        runs["off"].append(run_child(0, args.changes))
        runs["on"].append(run_child(free_port(), args.changes))

    def mib(variant: str, key: str) -> float:
        return median([int(run[key]) / 1024 for run in runs[variant]])  # type: ignore[call-overload]

    rows = []
    for variant in ("off", "on"):
        names = [list(run["threads"]) for run in runs[variant]]  # type: ignore[call-overload]
        requests = [run["web_api_requests"] for run in runs[variant]]
        rows.append(
            [
                f"overlay {variant}" + (" (baseline)" if variant == "off" else ", 1 page open"),
                fmt(mib(variant, "rss_settled_kib")),
                fmt(mib(variant, "rss_end_kib")),
                fmt(median([len(threads) for threads in names]), 0),
                "yes" if all("overlay-http" in threads for threads in names) else "no",
                " / ".join(str(n) for n in requests),
            ]
        )
    latencies = [ms for run in runs["on"] for ms in run["latency_ms"]]  # type: ignore[attr-defined]
    extra_end = mib("on", "rss_end_kib") - mib("off", "rss_end_kib")
    extra_settled = mib("on", "rss_settled_kib") - mib("off", "rss_settled_kib")
    lines = [
        "### Stream overlay",
        "",
        f"Command: `{command_line('overlay.py', sys.argv[1:])}`  ",
        f"{machine_line()}  ",
        f"Code: {code_under_test()}  ",
        load_line(),
        "",
        markdown_table(
            [
                "run (median of " + str(args.runs) + ")",
                "VmRSS settled (MiB)",
                "VmRSS at the end (MiB)",
                "threads at the end",
                "overlay-http thread",
                "Web API requests after the suspend, per run",
            ],
            rows,
        ),
        "",
        f"- Memory with the overlay on: {fmt(extra_settled)} MiB more once settled, "
        f"{fmt(extra_end)} MiB more at the end (limit {MEMORY_LIMIT_MIB:.0f} MiB): "
        + ("**met**" if extra_end <= MEMORY_LIMIT_MIB else "**NOT met**"),
        f"- A change reaches `/events` (from `hub.playback_changed` to the client's "
        f"`data:` line), {len(latencies)} changes: median {fmt(median(latencies))} ms, "
        f"p95 {fmt(percentile(latencies, 95))} ms, "
        f"max {fmt(max(latencies, default=float('nan')))} ms "
        f"(limit {LATENCY_LIMIT_MS:.0f} ms): "
        + ("**met**" if latencies and max(latencies) <= LATENCY_LIMIT_MS else "**NOT met**"),
    ]
    for variant in ("off", "on"):
        modules = runs[variant][0]["overlay_modules"]
        lines.append(
            f"- Overlay modules loaded, overlay {variant}: "
            + ", ".join(
                f"`{name.removeprefix('nowplaying_tray.')}`"
                for name in modules  # type: ignore[attr-defined]
            )
        )
    emit_report("\n".join(lines), args.markdown_out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
