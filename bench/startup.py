"""Start-up time: process start to tray icon shown and to first playback displayed.

    python bench/startup.py [--runs 7] [--platform offscreen] [--markdown-out FILE]

Variants, run round-robin in the same session (one unmeasured warm-up each, so
byte-code caches are written before timing):

- floor: a minimal PySide6 tray app (QApplication + QSystemTrayIcon + QMenu +
  QTimer), time to its first timer tick;
- floor + ``import spotipy, keyring``;
- ``nowplaying-tray --demo`` (the console script, unmodified): time until its
  ``Now playing: ...`` line arrives on stdout;
- the same through bench/_app_launcher.py, which adds the marks "tray shown" (the
  app's early icon: its first ``QSystemTrayIcon.show()``), "app started"
  (``TrayApp.start()`` returned, after ``nowplaying_tray.app`` was imported on the
  first event-loop turn) and "first playback displayed";
- a returning user: the app logged in already (token in a bench file keyring),
  against a simulator in another process, through the launcher. No login flow and
  no in-process simulator, so this is what a person sees at every log-in.

Times are from just before ``Popen`` in this process to the child's mark
(CLOCK_MONOTONIC is shared by all processes). An import profile
(``python -X importtime``) follows the table, split in two: what
``nowplaying_tray.launch`` loads before the icon, and what ``nowplaying_tray.app``
adds after it.

Wall time moves with the machine's load; each mark also carries the child's CPU
time so far (``time.process_time()``, all its threads), which barely does, and the
same target is read on it too.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from _import_profile import import_profile
from _support import (
    LAUNCHER,
    MINIMAL,
    PYTHON,
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
    read_marks_until,
    start_simulator_process,
    stop_process,
    temp_home,
)

TIMEOUT_S = 60.0
TARGET_RATIO = 1.5


def run_marked(cmd: list[str], env: dict[str, str], wanted: set[str]) -> dict[str, float]:
    """Start ``cmd``; seconds from Popen to each wanted mark."""
    t0 = time.monotonic()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
    )
    try:
        marks = read_marks_until(proc, wanted, TIMEOUT_S)
        proc.wait(TIMEOUT_S)
    finally:
        stop_process(proc)
    missing = wanted - set(marks)
    if missing:
        raise RuntimeError(f"{cmd[1:3]}: no mark {sorted(missing)}")
    times = {name: mark.at - t0 for name, mark in marks.items()}
    for name, mark in marks.items():  # the child's CPU time at the mark: load barely moves it
        times[name + ":cpu"] = float(mark.data["cpu_s"])  # type: ignore[arg-type]
    return times


def run_console_script(env: dict[str, str]) -> dict[str, float]:
    """``nowplaying-tray --demo`` as installed: time to its "Now playing:" line on stdout."""
    script = str(Path(PYTHON).parent / "nowplaying-tray")
    cmd = [script, "--demo"] if Path(script).exists() else [PYTHON, "-m", "nowplaying_tray"]
    cmd = cmd if cmd[-1] == "--demo" else [*cmd, "--demo"]
    t0 = time.monotonic()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
    )
    assert proc.stdout is not None
    try:
        deadline = t0 + TIMEOUT_S
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                raise RuntimeError("nowplaying-tray --demo ended before showing a playback")
            if "Now playing:" in line:
                return {"first-playback": time.monotonic() - t0}
        raise TimeoutError("no 'Now playing:' line")
    finally:
        stop_process(proc)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--platform", default="offscreen", help="QT_QPA_PLATFORM")
    parser.add_argument("--markdown-out")
    args = parser.parse_args()

    with temp_home() as home:
        env = isolated_env(home, args.platform)
        sim_env = isolated_env(home / "sim", args.platform)
        sim: SimulatorProcess = start_simulator_process(
            bench_simulator_command("realistic"), sim_env
        )
        try:
            keyring_file = home / "keyring.json"
            log_in_to(sim.base_url, keyring_file)
            returning_env = app_env_for_simulator(
                home / "returning", sim, keyring_file, args.platform
            )
            marks = {"tray-shown", "app-started", "first-playback"}
            variants: dict[str, Callable[[], dict[str, float]]] = {
                "floor": lambda: run_marked([PYTHON, MINIMAL], env, {"first-tick"}),
                "floor+spotipy+keyring": lambda: run_marked(
                    [PYTHON, MINIMAL, "--with-spotipy-keyring"], env, {"first-tick"}
                ),
                "nowplaying-tray --demo": lambda: run_console_script(env),
                "--demo via launcher": lambda: run_marked(
                    [PYTHON, LAUNCHER, "--exit-after-first-playback", "--", "--demo"], env, marks
                ),
                "logged in, external simulator": lambda: run_marked(
                    [PYTHON, LAUNCHER, "--exit-after-first-playback"], returning_env, marks
                ),
            }
            results: dict[str, dict[str, list[float]]] = {
                name: defaultdict(list) for name in variants
            }
            for run in variants.values():  # warm-up: byte-code caches, fonts, disk cache
                run()
            for _ in range(args.runs):
                for name, run in variants.items():
                    for mark, seconds in run().items():
                        results[name][mark].append(seconds)
            profile_totals, profile_packages, profile_imports = import_profile(env)
        finally:
            sim.stop()

    floor = median(results["floor"]["first-tick"])
    floor_sk = median(results["floor+spotipy+keyring"]["first-tick"])

    def cell(name: str, mark: str) -> str:
        values = results[name].get(mark)
        if not values:
            return "—"
        return f"{median(values):.3f} s ({min(values):.3f}–{max(values):.3f})"

    def ratio(name: str, mark: str, base: float) -> str:
        values = results[name].get(mark)
        return f"{median(values) / base:.1f}×" if values else "—"

    def app_row(label: str, name: str) -> list[str]:
        return [
            label,
            cell(name, "tray-shown"),
            cell(name, "app-started"),
            cell(name, "first-playback"),
            ratio(name, "tray-shown", floor),
            ratio(name, "first-playback", floor),
        ]

    rows = [
        ["minimal tray app (floor)", cell("floor", "first-tick"), "—", "—", "1.0×", "—"],
        [
            "floor + `import spotipy, keyring`",
            cell("floor+spotipy+keyring", "first-tick"),
            "—",
            "—",
            ratio("floor+spotipy+keyring", "first-tick", floor),
            "—",
        ],
        [
            "`nowplaying-tray --demo` (stderr line)",
            "—",
            "—",
            cell("nowplaying-tray --demo", "first-playback"),
            "—",
            ratio("nowplaying-tray --demo", "first-playback", floor),
        ],
        app_row("`--demo` through the launcher", "--demo via launcher"),
        app_row("logged in, simulator in another process", "logged in, external simulator"),
    ]
    table = markdown_table(
        [
            f"what (median of {args.runs}, min–max)",
            "tray shown / first tick",
            "app started",
            "first playback displayed",
            "tray ÷ floor",
            "playback ÷ floor",
        ],
        rows,
    )
    tray = median(results["--demo via launcher"]["tray-shown"])
    tray_returning = median(results["logged in, external simulator"]["tray-shown"])
    started_returning = median(results["logged in, external simulator"]["app-started"])
    playback_returning = median(results["logged in, external simulator"]["first-playback"])
    limit = TARGET_RATIO * floor
    verdicts = [
        f"- Target: tray shown ≤ {TARGET_RATIO}× the floor = {limit:.3f} s. "
        f"`--demo`: {tray:.3f} s, {_verdict(tray, limit)}; "
        f"logged in: {tray_returning:.3f} s, {_verdict(tray_returning, limit)}.",
        f"- First playback (logged in) {playback_returning:.3f} s = "
        f"{playback_returning / floor:.1f}× the floor, "
        f"{playback_returning / floor_sk:.2f}× the floor with spotipy and keyring "
        f"(target ≤ {TARGET_RATIO}×: {_verdict(playback_returning, TARGET_RATIO * floor_sk)}); "
        f"{started_returning - tray_returning:.3f} s of it between the icon and "
        f"`TrayApp.start()` (importing and building the rest of the app).",
    ]
    cpu_floor = median(results["floor"]["first-tick:cpu"])
    cpu_rows = []
    for label, name, mark in (
        ("minimal tray app (floor), first tick", "floor", "first-tick"),
        ("floor + `import spotipy, keyring`, first tick", "floor+spotipy+keyring", "first-tick"),
        ("`--demo` through the launcher, tray shown", "--demo via launcher", "tray-shown"),
        ("logged in, tray shown", "logged in, external simulator", "tray-shown"),
        ("logged in, first playback", "logged in, external simulator", "first-playback"),
    ):
        value = median(results[name][mark + ":cpu"])
        cpu_rows.append([label, f"{value:.3f} s", f"{value / cpu_floor:.2f}×"])
    cpu_tray = median(results["--demo via launcher"]["tray-shown:cpu"])
    cpu_tray_returning = median(results["logged in, external simulator"]["tray-shown:cpu"])
    cpu_limit = TARGET_RATIO * cpu_floor
    cpu_libs = median(results["floor+spotipy+keyring"]["first-tick:cpu"])
    cpu_playback = median(results["logged in, external simulator"]["first-playback:cpu"])
    verdicts += [
        f"- The same targets on CPU time (load barely moves it): tray shown ≤ "
        f"{cpu_limit:.3f} s: `--demo` {cpu_tray:.3f} s, {_verdict(cpu_tray, cpu_limit)}; "
        f"logged in {cpu_tray_returning:.3f} s, {_verdict(cpu_tray_returning, cpu_limit)}. "
        f"First playback (logged in) ≤ {TARGET_RATIO}× the floor with spotipy and keyring "
        f"= {TARGET_RATIO * cpu_libs:.3f} s: {cpu_playback:.3f} s "
        f"({cpu_playback / cpu_libs:.2f}×), "
        f"{_verdict(cpu_playback, TARGET_RATIO * cpu_libs)}."
    ]
    cpu_table = markdown_table(
        [f"CPU time of the process at the mark (median of {args.runs})", "CPU s", "÷ floor"],
        cpu_rows,
    )
    lines = [
        "### Start-up",
        "",
        f"Command: `{command_line('startup.py', sys.argv[1:])}`  ",
        f"{machine_line()}, QT_QPA_PLATFORM={args.platform}  ",
        f"Code: {code_under_test()}  ",
        load_line(),
        "",
        table,
        "",
        cpu_table,
        "",
        *verdicts,
        "",
        "Import profile (`python -X importtime -c 'import nowplaying_tray.launch; "
        "import nowplaying_tray.app'`): the first import is what `run_app` loads before "
        "it shows the icon, the second what the first event-loop turn adds.",
        "",
        markdown_table(["import", "ms (self times summed)"], profile_totals),
        "",
        "Self time per top-level package:",
        "",
        markdown_table(
            ["package", "before the icon, ms", "after, ms", "% of both"], profile_packages
        ),
        "",
        "Costliest imports of other packages made by the app's own modules (cumulative: "
        "with everything they pull in that was not loaded before):",
        "",
        markdown_table(["module", "first imported by", "phase", "ms"], profile_imports),
    ]
    emit_report("\n".join(lines), args.markdown_out)
    return 0


def _verdict(value: float, limit: float) -> str:
    if value <= limit:
        return "**met**"
    return f"**missed** by {value - limit:.3f} s ({value / limit:.1f}× the limit)"


if __name__ == "__main__":
    sys.exit(main())
