"""Shared helpers for the benchmarks: machine facts, statistics, tables, processes.

Every benchmark is a plain script (``python bench/NAME.py``); this module sits
next to them and is imported as ``_support`` (the script's folder is on
``sys.path``).
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
# The app with measuring hooks, and the floor it is compared with.
LAUNCHER = str(BENCH_DIR / "_app_launcher.py")
MINIMAL = str(BENCH_DIR / "_minimal_tray.py")
PYTHON = sys.executable
MARK_PREFIX = "BENCH "
LOAD_AT_START = os.getloadavg()[0]  # when the benchmark script started


# -- machine ----------------------------------------------------------------------------


def machine_facts() -> dict[str, str]:
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    try:
        from importlib.metadata import version

        pyside = version("PySide6-Essentials")
    except Exception:
        pyside = "not installed"
    return {
        "nproc": str(os.cpu_count() or "?"),
        "cpu": cpu,
        "python": platform.python_version(),
        "pyside6": pyside,
        "os": _os_name(),
    }


def _os_name() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                return line.split("=", 1)[1].strip('"')
    return platform.system()


def code_under_test() -> str:
    """Which app code was measured: BENCH_CODE_LABEL (set by run_all.sh --snapshot), or the
    git commit of the imported package, flagged when its files have uncommitted changes."""
    label = os.environ.get("BENCH_CODE_LABEL")
    if label:
        return label
    import nowplaying_tray

    package = Path(nowplaying_tray.__file__).resolve().parent
    try:
        commit = subprocess.run(
            ["git", "-C", str(package), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(package), "status", "--porcelain", "--", "."],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return f"{package} (not a git checkout)"
    return f"commit {commit}" + (" with uncommitted changes" if dirty else "")


def machine_line() -> str:
    facts = machine_facts()
    return (
        f"Machine: {facts['nproc']} cores ({facts['cpu']}), {facts['os']}, "
        f"Python {facts['python']}, PySide6 {facts['pyside6']}"
    )


def load_line() -> str:
    """The 1-minute load average when the benchmark started and now (other work on the
    machine slows start-up and adds CPU time)."""
    return (
        f"Load (1-min average): {LOAD_AT_START:.2f} at the start, "
        f"{os.getloadavg()[0]:.2f} at the end"
    )


# -- statistics -------------------------------------------------------------------------


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def percentile(values: Sequence[float], pct: float) -> float:
    """Linear-interpolated percentile (as numpy's default); NaN when empty."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * pct / 100.0
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


# -- tables -----------------------------------------------------------------------------


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    cells = [[str(cell) for cell in row] for row in rows]
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in cells]
    return "\n".join(lines)


def command_line(script: str, argv: Sequence[str]) -> str:
    """The command as typed, without ``--markdown-out`` (where the report went)."""
    import shlex

    kept: list[str] = []
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--markdown-out":
            skip = True
        elif not arg.startswith("--markdown-out="):
            kept.append(arg)
    return shlex.join(["python", f"bench/{script}", *kept])


def emit_report(markdown: str, out: str | None) -> None:
    """Print the report; with ``--markdown-out FILE`` also write it there."""
    print(markdown)
    if out:
        Path(out).write_text(markdown + "\n", encoding="utf-8")


def fmt(value: float, digits: int = 2) -> str:
    if value != value:  # NaN
        return "n/a"
    return f"{value:.{digits}f}"


# -- /proc ------------------------------------------------------------------------------


def proc_status_kib(pid: int | str, key: str) -> int:
    """A ``VmRSS``/``VmHWM``-style line of /proc/PID/status, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    raise KeyError(key)


def proc_cpu_seconds(pid: int | str) -> float:
    """utime + stime of a process (all its threads), in seconds."""
    text = Path(f"/proc/{pid}/stat").read_text()
    # The command name may contain spaces and parentheses: split after the last ')'.
    fields = text[text.rindex(")") + 2 :].split()
    utime, stime = int(fields[11]), int(fields[12])
    return (utime + stime) / os.sysconf("SC_CLK_TCK")


# -- child processes --------------------------------------------------------------------


@dataclass
class Mark:
    name: str
    at: float  # time.monotonic() in the child (CLOCK_MONOTONIC is system-wide)
    data: dict[str, object]


def parse_mark(line: str) -> Mark | None:
    if not line.startswith(MARK_PREFIX):
        return None
    _, name, at, *rest = line.rstrip("\n").split(" ", 3)
    data = json.loads(rest[0]) if rest else {}
    return Mark(name, float(at), data)


def emit_mark(name: str, **data: object) -> None:
    """Child side: one line on stdout that the parent reads."""
    payload = json.dumps(data, separators=(",", ":")) if data else ""
    sys.stdout.write(f"{MARK_PREFIX}{name} {time.monotonic():.6f} {payload}\n".rstrip() + "\n")
    sys.stdout.flush()


def isolated_env(home: Path, platform_name: str = "offscreen") -> dict[str, str]:
    """Environment for a child app: its own XDG folders, no real keyring, Qt platform set."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in (
            "SPOTIPY_CLIENT_ID",
            "NOWPLAYING_ACCOUNTS_URL",
            "NOWPLAYING_API_URL",
            "PYTHON_KEYRING_BACKEND",
            "DBUS_SESSION_BUS_ADDRESS",
            # An installed app runs from compiled bytecode (pip and PyInstaller write it);
            # compiling every module at each start would be measured instead.
            "PYTHONDONTWRITEBYTECODE",
        )
    }
    for var, sub in (
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_STATE_HOME", ".local/state"),
    ):
        (home / sub).mkdir(parents=True, exist_ok=True)
        env[var] = str(home / sub)
    env["HOME"] = str(home)
    env["QT_QPA_PLATFORM"] = platform_name
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(BENCH_DIR), os.environ.get("PYTHONPATH", "")])
    )
    _compile_bytecode_once(env)
    return env


_compiled_for: set[str] = set()


def _compile_bytecode_once(env: dict[str, str]) -> None:
    """Write the bytecode of the app package under test before it is measured.

    With ``PYTHONDONTWRITEBYTECODE`` set where the benchmark runs, or a fresh
    ``--snapshot`` tree, the children would otherwise compile the app's ~100 modules
    from source at every start (about 70 ms here).
    """
    key = env["PYTHONPATH"]
    if key in _compiled_for:
        return
    code = (
        "import compileall, importlib.util, os, sys; "
        "origin = importlib.util.find_spec('nowplaying_tray').origin; "
        "sys.exit(0 if compileall.compile_dir(os.path.dirname(origin), quiet=2) else 1)"
    )
    subprocess.run([PYTHON, "-c", code], env=env, check=True, timeout=120)
    _compiled_for.add(key)


@contextlib.contextmanager
def temp_home() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="nowplaying-bench-") as tmp:
        yield Path(tmp)


def stop_process(proc: subprocess.Popen[str], timeout: float = 10.0) -> None:
    """SIGTERM, then SIGKILL if it does not go; only this one process."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout)


def read_marks_until(
    proc: subprocess.Popen[str], wanted: set[str], timeout: float
) -> dict[str, Mark]:
    """Read the child's stdout until every wanted mark arrived (or the child ended)."""
    assert proc.stdout is not None
    marks: dict[str, Mark] = {}
    deadline = time.monotonic() + timeout
    while not wanted <= set(marks):
        if time.monotonic() > deadline:
            raise TimeoutError(f"marks {sorted(wanted - set(marks))} did not arrive")
        line = proc.stdout.readline()
        if not line:
            break
        mark = parse_mark(line)
        if mark is not None:
            marks[mark.name] = mark
    return marks


# -- a simulator in its own process -----------------------------------------------------


@dataclass
class SimulatorProcess:
    proc: subprocess.Popen[str]
    base_url: str

    @property
    def api_url(self) -> str:
        return self.base_url + "/v1"

    def stop(self) -> None:
        stop_process(self.proc)


_SIM_URL = re.compile(r"(http://127\.0\.0\.1:\d+)")


def start_simulator_process(args: Sequence[str], env: dict[str, str]) -> SimulatorProcess:
    """Start ``args`` (a simulator command) and wait for the line with its URL."""
    proc = subprocess.Popen(
        list(args), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    match = _SIM_URL.search(line)
    if not match:
        stop_process(proc)
        raise RuntimeError(f"simulator did not start: {line!r}")
    return SimulatorProcess(proc, match.group(1))


def cli_simulator_command() -> list[str]:
    """The project's own simulator CLI, as a user would run it."""
    return [PYTHON, "-m", "nowplaying_tray.cli", "simulator", "--auto-approve"]


def bench_simulator_command(playlist: str, count: int = 60) -> list[str]:
    """bench/_simulator.py: the simulator with a chosen playlist (short or realistic tracks)."""
    return [
        PYTHON,
        str(BENCH_DIR / "_simulator.py"),
        "--playlist",
        playlist,
        "--count",
        str(count),
    ]


def log_in_to(base_url: str, keyring_file: Path) -> None:
    """Log in through the real PKCE flow against a running simulator; the token goes to
    ``keyring_file`` (read by the app through bench_keyring.BenchFileKeyring)."""
    import requests
    from bench_keyring import BenchFileKeyring

    from nowplaying_tray.core.settings import Settings
    from nowplaying_tray.core.spotify_access import build_access
    from nowplaying_tray.simulator import DEMO_CLIENT_ID

    settings = Settings(
        client_id=DEMO_CLIENT_ID,
        accounts_url=base_url,
        api_url=base_url + "/v1",
        redirect_port=0,
        login_timeout_s=20.0,
    )
    core = build_access(settings, keyring_backend=BenchFileKeyring(keyring_file))

    def follow(url: str) -> bool:
        requests.get(url, timeout=10)
        return True

    core.login_flow(open_url=follow).run()
    if not core.store.has_token():
        raise RuntimeError("login against the simulator stored no token")


def app_env_for_simulator(
    home: Path, sim: SimulatorProcess, keyring_file: Path, platform_name: str = "offscreen"
) -> dict[str, str]:
    """Environment for the real app pointed at an external simulator, already logged in."""
    from nowplaying_tray.simulator import DEMO_CLIENT_ID

    env = isolated_env(home, platform_name)
    env["SPOTIPY_CLIENT_ID"] = DEMO_CLIENT_ID
    env["NOWPLAYING_ACCOUNTS_URL"] = sim.base_url
    env["NOWPLAYING_API_URL"] = sim.api_url
    env["PYTHON_KEYRING_BACKEND"] = "bench_keyring.BenchFileKeyring"
    env["BENCH_KEYRING_FILE"] = str(keyring_file)
    return env
