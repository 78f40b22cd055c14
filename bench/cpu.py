"""CPU while playing: the app with its popup closed and open, against an idle minimal tray app.

    python bench/cpu.py [--duration 300] [--warmup 10] [--simulators cli,realistic]
                        [--buses none,desktop] [--markdown-out FILE]

Each app is the real ``run_app`` (offscreen), logged in already through a bench
file keyring, polling a simulator that runs in ANOTHER process, so the
simulator's CPU is not counted. For each simulator kind, two apps run side by
side: popup closed, and popup open (bench/_app_launcher.py calls
``Presenter.show_popup()`` after the first playback, as a tray click does).

- ``cli``: the project's own ``nowplaying-tray simulator --auto-approve`` with its
  demo playlist, whose items last 20-40 s (a track change every half minute: art,
  notification, library check);
- ``realistic``: bench/_simulator.py with tracks of 2.5-5 min.

CPU = growth of utime + stime (/proc/PID/stat, all threads) over ``--duration``
seconds of wall time, after ``--warmup`` seconds, as a percentage of one core.
The baseline, in the same window: the minimal PySide6 tray app with a 5 s QTimer.

``--buses``: ``none`` runs the apps with no session bus (as before); ``desktop``
runs them again, and the baseline too, on a desktop's services started here and
ended after (bench/_desktop.py: Xvfb, a private session bus, dunst), so they scan for
local players, publish their MPRIS player and send notifications. Beside CPU, each
process's wake-ups: context switches of all its threads (/proc/PID/task/*/status),
per minute over the window and in its quietest minute, with the threads that woke;
and on the desktop bus, the connections each process holds there.
"""

from __future__ import annotations

import argparse
import contextlib
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from _desktop import DesktopBus, SwitchCounter, bus_connections, desktop_bus
from _support import (
    LAUNCHER,
    MINIMAL,
    PYTHON,
    Mark,
    SimulatorProcess,
    app_env_for_simulator,
    bench_simulator_command,
    cli_simulator_command,
    code_under_test,
    command_line,
    emit_report,
    isolated_env,
    load_line,
    log_in_to,
    machine_line,
    markdown_table,
    parse_mark,
    proc_cpu_seconds,
    read_marks_until,
    start_simulator_process,
    stop_process,
    temp_home,
)

TARGET_CLOSED = 0.2  # % of one core
TARGET_OPEN = 2.0


@dataclass
class Subject:
    label: str
    proc: subprocess.Popen[str]
    target: float | None
    popup: bool = False
    bus: DesktopBus | None = None
    cpu: list[float] = field(default_factory=list)
    wall: list[float] = field(default_factory=list)
    minutes: list[SwitchCounter] = field(default_factory=list)
    whole: SwitchCounter | None = None
    connections: list[str] = field(default_factory=list)
    _minute: SwitchCounter | None = None
    summary: Mark | None = None
    stopped_at: float = 0.0

    def sample(self) -> None:
        self.cpu.append(proc_cpu_seconds(self.proc.pid))
        self.wall.append(time.monotonic())

    def count_switches(self, minute_ended: bool, last: bool = False) -> None:
        """Starts the counts, or ends a whole minute's (and the window's, if ``last``)."""
        if self.whole is None:
            self.whole = SwitchCounter(self.proc.pid)
            self.whole.start()
        elif self._minute is not None and minute_ended:
            self._minute.stop()
            self.minutes.append(self._minute)
        if last:
            self.whole.stop()
            if self.bus is not None:
                self.connections = bus_connections(self.bus.address, self.proc.pid)
            return
        self._minute = SwitchCounter(self.proc.pid)
        self._minute.start()

    @property
    def percent(self) -> float:
        return 100 * (self.cpu[-1] - self.cpu[0]) / (self.wall[-1] - self.wall[0])

    @property
    def per_minute(self) -> float:
        assert self.whole is not None
        return 60 * self.whole.total / (self.wall[-1] - self.wall[0])

    @property
    def quietest_minute(self) -> SwitchCounter | None:
        return min(self.minutes, key=lambda minute: minute.total, default=None)


def start(cmd: list[str], env: dict[str, str], first: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
    )
    read_marks_until(proc, {first}, 60)
    return proc


def finish(subject: Subject) -> None:
    subject.stopped_at = time.monotonic()
    stop_process(subject.proc, timeout=15)
    assert subject.proc.stdout is not None
    for line in subject.proc.stdout.read().splitlines():
        mark = parse_mark(line)
        if mark is not None and mark.name == "summary":
            subject.summary = mark


def start_apps(
    home: Path, kinds: list[str], bus: DesktopBus | None, sims: list[SimulatorProcess]
) -> list[Subject]:
    """For each simulator, the app with its popup closed and open; then the baseline."""
    where = "desktop bus" if bus else "no bus"
    subjects = []
    for index, kind in enumerate(kinds):
        sim, keyring_file = sims[index], home / f"keyring-{kind}.json"
        for popup in (False, True):
            name = f"app-{kind}-{popup}-{where}".replace(" ", "-")
            env = app_env_for_simulator(home / name, sim, keyring_file)
            if bus is not None:
                env["DBUS_SESSION_BUS_ADDRESS"] = bus.address
            cmd = [PYTHON, LAUNCHER] + (["--popup"] if popup else [])
            subjects.append(
                Subject(
                    f"{kind} simulator, popup {'open' if popup else 'closed'}, {where}",
                    start(cmd, env, "first-playback"),
                    TARGET_OPEN if popup else TARGET_CLOSED,
                    popup,
                    bus,
                )
            )
    env = isolated_env(home / f"minimal-{where}".replace(" ", "-"))
    if bus is not None:
        env["DBUS_SESSION_BUS_ADDRESS"] = bus.address
    subjects.append(
        Subject(
            f"minimal tray app, 5 s QTimer (baseline), {where}",
            start([PYTHON, MINIMAL, "--stay", "--interval-ms", "5000"], env, "first-tick"),
            None,
            bus=bus,
        )
    )
    return subjects


def measure(subjects: list[Subject], warmup: float, duration: float) -> None:
    """CPU over the whole window; context switches over it and over each whole minute."""
    time.sleep(warmup)
    for subject in subjects:
        subject.sample()
        subject.count_switches(minute_ended=False)
    started = time.monotonic()
    while (left := started + duration - time.monotonic()) > 0:
        time.sleep(min(60.0, left))
        for subject in subjects:
            subject.count_switches(minute_ended=left >= 60.0)
    for subject in subjects:
        subject.sample()
        subject.count_switches(minute_ended=False, last=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=300.0, help="seconds measured")
    parser.add_argument("--warmup", type=float, default=10.0)
    parser.add_argument("--simulators", default="cli,realistic")
    parser.add_argument("--buses", default="none,desktop", help="none, desktop or both")
    parser.add_argument("--markdown-out")
    args = parser.parse_args()
    kinds = [kind for kind in args.simulators.split(",") if kind]
    buses = [bus for bus in args.buses.split(",") if bus]

    subjects: list[Subject] = []
    sims: list[SimulatorProcess] = []
    with temp_home() as home, contextlib.ExitStack() as services:
        try:
            for kind in kinds:
                command = (
                    cli_simulator_command() if kind == "cli" else bench_simulator_command(kind)
                )
                sim = start_simulator_process(command, isolated_env(home / f"sim-{kind}"))
                sims.append(sim)
                log_in_to(sim.base_url, home / f"keyring-{kind}.json")
            if "none" in buses:
                subjects += start_apps(home, kinds, None, sims)
            if "desktop" in buses:
                bus = services.enter_context(desktop_bus(home / "desktop"))
                subjects += start_apps(home, kinds, bus, sims)
            measure(subjects, args.warmup, args.duration)
        finally:
            for subject in subjects:
                finish(subject)
            for sim in sims:
                sim.stop()

    rows = []
    wake_rows = []
    verdicts = []
    for subject in subjects:
        summary = subject.summary.data if subject.summary else {}
        popup_note = "—"
        if subject.target is not None:
            shown_at = summary.get("popup_first_shown_at")
            hidden_at = summary.get("popup_first_hidden_at")
            if subject.popup:
                stayed = hidden_at is None or float(hidden_at) >= subject.stopped_at  # type: ignore[arg-type]
                popup_note = "open throughout" if stayed else "closed before the end (!)"
            elif shown_at is None or float(shown_at) >= subject.stopped_at:  # type: ignore[arg-type]
                popup_note = "never shown"
            else:
                popup_note = "shown during the run (!)"
            popup_note += f", {summary.get('popup_ticks')} progress ticks"
        target = f"< {subject.target:g} %" if subject.target is not None else "—"
        verdict = "—"
        if subject.target is not None:
            verdict = "**met**" if subject.percent < subject.target else "**missed**"
            if subject.percent >= subject.target:
                verdicts.append(
                    f"- {subject.label}: {subject.percent:.3f} % is over the target by "
                    f"{subject.percent - subject.target:.3f} points."
                )
        rows.append(
            [
                subject.label,
                f"{subject.cpu[-1] - subject.cpu[0]:.2f}",
                f"{subject.percent:.3f} %",
                target,
                verdict,
                f"{subject.per_minute:.0f}",
                str(summary.get("playbacks", "—")),
                popup_note,
            ]
        )
        wake_rows.append(wake_row(subject))
    table = markdown_table(
        [
            "process",
            "CPU s",
            "% of one core",
            "target",
            "verdict",
            "wake-ups / min",
            "playbacks shown",
            "popup",
        ],
        rows,
    )
    wake_table = markdown_table(
        [
            "process",
            "wake-ups / min (window)",
            "quietest minute",
            "threads that woke in it",
            "threads",
            "session-bus connections",
        ],
        wake_rows,
    )
    lines = [
        "### CPU",
        "",
        f"Command: `{command_line('cpu.py', sys.argv[1:])}`  ",
        f"{machine_line()}, QT_QPA_PLATFORM=offscreen  ",
        f"Code: {code_under_test()}  ",
        load_line(),
        "",
        f"{args.duration:g} s measured after {args.warmup:g} s of warm-up, all processes side "
        "by side; the simulators run in their own processes and are not counted. "
        "/proc/PID/stat counts in clock ticks (10 ms), so short runs are coarse. "
        "Wake-ups: voluntary + involuntary context switches of every thread of the "
        "process (/proc/PID/task/*/status), which do not depend on the machine's load "
        'the way CPU time can. "desktop bus": a private session bus with dunst '
        "answering notifications (bench/_desktop.py).",
        "",
        table,
        "",
        wake_table,
        "",
        *(verdicts or ["- Every CPU target met."]),
    ]
    emit_report("\n".join(lines), args.markdown_out)
    return 0


def wake_row(subject: Subject) -> list[str]:
    quiet = subject.quietest_minute
    woke = "—"
    if quiet is not None:
        woke = ", ".join(
            f"{name} {count}"
            for name, count in sorted(quiet.per_thread.items(), key=lambda item: -item[1])
            if count
        )
    connections = "—"
    if subject.bus is not None:
        connections = f"{len(subject.connections)} ({', '.join(subject.connections) or 'none'})"
    assert subject.whole is not None
    return [
        subject.label,
        f"{subject.per_minute:.0f}",
        str(quiet.total) if quiet is not None else "—",
        woke or "none",
        str(subject.whole.threads),
        connections,
    ]


if __name__ == "__main__":
    sys.exit(main())
