"""A desktop's session services for the benchmarks, and what the app does on them.

- ``desktop_bus``: Xvfb, a private ``dbus-daemon --session`` and dunst (the notification
  server), started with the test suite's helpers (tests/desktop_support) and ended after;
- ``context_switches`` / ``thread_switches``: the process's wake-ups, from
  /proc/PID/task/*/status (voluntary + involuntary context switches, every thread);
- ``bus_connections``: the connections a process holds on a bus, from
  ``ListNames`` + ``GetConnectionUnixProcessID``.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from _support import REPO_DIR


@dataclass
class DesktopBus:
    address: str
    display: str


@contextlib.contextmanager
def desktop_bus(root: Path) -> Iterator[DesktopBus]:
    """Xvfb + a private session bus + dunst, as a desktop has; all ended on exit."""
    if str(REPO_DIR) not in sys.path:
        sys.path.insert(0, str(REPO_DIR))
    from tests.desktop_support.session import desktop_session

    with desktop_session(root, tray=False, notifications=True) as session:
        yield DesktopBus(session.bus_address, session.display)


def _task_counts(pid: int) -> dict[str, tuple[str, int]]:
    """Thread id -> (name, voluntary + involuntary switches) for every live thread.

    The name is the thread's comm (Qt names its threads); the main thread is "GUI", and
    Python's own threads, which keep the process's comm, are "Python thread".
    """
    counts: dict[str, tuple[str, int]] = {}
    process_name = Path(f"/proc/{pid}/comm").read_text().strip()
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):
            name = (task / "comm").read_text().strip()
            if task.name == str(pid):
                name = "GUI"
            elif name == process_name:
                name = "Python thread"
            switches = 0
            for line in (task / "status").read_text().splitlines():
                if line.startswith(("voluntary_ctxt_switches:", "nonvoluntary_ctxt_switches:")):
                    switches += int(line.split()[1])
            counts[task.name] = (name, switches)
    return counts


class SwitchCounter:
    """Context switches of a process between ``start()`` and ``stop()``, per thread name.

    A thread that ended in between is not counted after it ended; one that started is
    counted from zero.
    """

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self._before: dict[str, tuple[str, int]] = {}
        self.per_thread: dict[str, int] = {}
        self.threads = 0

    def start(self) -> None:
        self._before = _task_counts(self.pid)

    def stop(self) -> None:
        after = _task_counts(self.pid)
        self.threads = len(after)
        self.per_thread = {}
        for tid, (name, count) in after.items():
            grown = count - self._before.get(tid, (name, 0))[1]
            self.per_thread[name] = self.per_thread.get(name, 0) + grown

    @property
    def total(self) -> int:
        return sum(self.per_thread.values())


def bus_connections(address: str, pid: int) -> list[str]:
    """The unique names on the bus whose process is ``pid``."""
    from jeepney.bus_messages import message_bus
    from jeepney.io.blocking import open_dbus_connection

    with open_dbus_connection(bus=address) as conn:
        (names,) = conn.send_and_get_reply(message_bus.ListNames(), timeout=5).body
        mine = []
        for name in names:
            if not name.startswith(":"):
                continue
            reply = conn.send_and_get_reply(message_bus.GetConnectionUnixProcessID(name), timeout=5)
            if reply.body and reply.body[0] == pid:
                mine.append(name)
    return sorted(mine)
