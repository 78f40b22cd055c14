"""CPU while playing: the app with its popup closed and open, against an idle minimal tray app.

    python bench/cpu.py [--duration 300] [--warmup 10] [--simulators cli,realistic]
                        [--markdown-out FILE]

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
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from dataclasses import dataclass, field

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
    cpu: list[float] = field(default_factory=list)
    wall: list[float] = field(default_factory=list)
    summary: Mark | None = None
    stopped_at: float = 0.0

    def sample(self) -> None:
        self.cpu.append(proc_cpu_seconds(self.proc.pid))
        self.wall.append(time.monotonic())

    @property
    def percent(self) -> float:
        return 100 * (self.cpu[-1] - self.cpu[0]) / (self.wall[-1] - self.wall[0])


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=300.0, help="seconds measured")
    parser.add_argument("--warmup", type=float, default=10.0)
    parser.add_argument("--simulators", default="cli,realistic")
    parser.add_argument("--markdown-out")
    args = parser.parse_args()
    kinds = [kind for kind in args.simulators.split(",") if kind]

    subjects: list[Subject] = []
    sims: list[SimulatorProcess] = []
    with temp_home() as home:
        try:
            for kind in kinds:
                command = (
                    cli_simulator_command() if kind == "cli" else bench_simulator_command(kind)
                )
                sim = start_simulator_process(command, isolated_env(home / f"sim-{kind}"))
                sims.append(sim)
                keyring_file = home / f"keyring-{kind}.json"
                log_in_to(sim.base_url, keyring_file)
                for popup in (False, True):
                    env = app_env_for_simulator(home / f"app-{kind}-{popup}", sim, keyring_file)
                    cmd = [PYTHON, LAUNCHER] + (["--popup"] if popup else [])
                    subjects.append(
                        Subject(
                            f"{kind} simulator, popup {'open' if popup else 'closed'}",
                            start(cmd, env, "first-playback"),
                            TARGET_OPEN if popup else TARGET_CLOSED,
                            popup,
                        )
                    )
            subjects.append(
                Subject(
                    "minimal tray app, 5 s QTimer (baseline)",
                    start(
                        [PYTHON, MINIMAL, "--stay", "--interval-ms", "5000"],
                        isolated_env(home / "minimal"),
                        "first-tick",
                    ),
                    None,
                )
            )
            time.sleep(args.warmup)
            for subject in subjects:
                subject.sample()
            time.sleep(args.duration)
            for subject in subjects:
                subject.sample()
        finally:
            for subject in subjects:
                finish(subject)
            for sim in sims:
                sim.stop()

    rows = []
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
                str(summary.get("playbacks", "—")),
                popup_note,
            ]
        )
    table = markdown_table(
        [
            "process",
            "CPU s",
            "% of one core",
            "target",
            "verdict",
            "playbacks shown",
            "popup",
        ],
        rows,
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
        "/proc/PID/stat counts in clock ticks (10 ms), so short runs are coarse.",
        "",
        table,
        "",
        *(verdicts or ["- Every target met."]),
    ]
    emit_report("\n".join(lines), args.markdown_out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
