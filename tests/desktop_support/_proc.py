"""Process plumbing shared by the desktop helpers.

Every service is started in its own session (``start_new_session=True``) so that it, and
anything it forks, can be stopped with one ``killpg``. Readiness is always a polled
condition with a deadline, never a fixed sleep.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import signal
import subprocess
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, TypeVar

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: Default time allowed for a service to become ready.
START_TIMEOUT = 15.0
_POLL_INTERVAL = 0.05


class ServiceError(RuntimeError):
    """A desktop service could not be started, or died while we waited for it."""


def log_tail(path: Path | None, limit: int = 3000) -> str:
    """Return the last ``limit`` characters of a service log, for error messages."""
    if path is None:
        return ""
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return ""
    text = text[-limit:].strip()
    return f"\n--- {path.name} ---\n{text}" if text else f"\n--- {path.name} is empty ---"


def terminate_group(proc: subprocess.Popen[bytes], name: str, grace: float = 3.0) -> None:
    """Stop ``proc`` and every process left in its process group.

    ``proc`` must have been started with ``start_new_session=True`` so its pid is also
    its process group id. SIGTERM first, then SIGKILL for whatever is still there.
    """
    pgid = proc.pid
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGTERM)
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        logger.warning("%s (pid %d) ignored SIGTERM; killing it", name, proc.pid)
    # Children that outlived the leader (plugin wrappers, activated helpers) go too.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=grace)
    logger.debug("%s (pid %d) stopped with status %s", name, proc.pid, proc.returncode)


@contextlib.contextmanager
def managed_process(
    argv: Sequence[str],
    *,
    name: str,
    env: Mapping[str, str],
    log_path: Path,
    stdin: int | IO[bytes] | None = subprocess.DEVNULL,
    pass_fds: Sequence[int] = (),
    cwd: Path | None = None,
) -> Iterator[subprocess.Popen[bytes]]:
    """Run ``argv`` in a new session, output to ``log_path``; kill its group on exit."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        logger.debug("starting %s: %s", name, " ".join(argv))
        proc = subprocess.Popen(
            list(argv),
            env=dict(env),
            stdin=stdin,
            stdout=log,
            stderr=subprocess.STDOUT,
            pass_fds=tuple(pass_fds),
            cwd=cwd,
            start_new_session=True,
        )
    try:
        yield proc
    finally:
        terminate_group(proc, name)
        if proc.stdin is not None:
            with contextlib.suppress(OSError):
                proc.stdin.close()


def wait_until(
    predicate: Callable[[], T | None],
    *,
    what: str,
    timeout: float = START_TIMEOUT,
    proc: subprocess.Popen[bytes] | None = None,
    log_path: Path | None = None,
) -> T:
    """Poll ``predicate`` until it returns something truthy, and return that.

    Raises :class:`ServiceError` if ``proc`` exits first and :class:`TimeoutError` when
    the deadline passes; both include the tail of ``log_path``.
    """
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if proc is not None and proc.poll() is not None:
            raise ServiceError(
                f"{what}: process exited with status {proc.returncode}{log_tail(log_path)}"
            )
        if time.monotonic() >= deadline:
            raise TimeoutError(f"{what}: not ready after {timeout:.1f}s{log_tail(log_path)}")
        time.sleep(_POLL_INTERVAL)


def read_line_from_fd(
    fd: int,
    *,
    what: str,
    timeout: float = START_TIMEOUT,
    proc: subprocess.Popen[bytes] | None = None,
    log_path: Path | None = None,
) -> str:
    """Read one newline-terminated line from a pipe, with a deadline."""
    deadline = time.monotonic() + timeout
    data = b""
    while b"\n" not in data:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError(f"{what}: nothing after {timeout:.1f}s{log_tail(log_path)}")
        ready, _, _ = select.select([fd], [], [], min(remaining, 0.2))
        if ready:
            chunk = os.read(fd, 4096)
            if not chunk:
                raise ServiceError(
                    f"{what}: pipe closed before a full line ({data!r}){log_tail(log_path)}"
                )
            data += chunk
        elif proc is not None and proc.poll() is not None:
            raise ServiceError(
                f"{what}: process exited with status {proc.returncode}{log_tail(log_path)}"
            )
    return data.split(b"\n", 1)[0].decode().strip()
