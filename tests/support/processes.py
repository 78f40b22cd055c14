"""Programs a test starts end with the test: asked with a signal, killed if they linger.

A shell that starts a program in the background hands it SIGINT ignored (``nohup …
&``), so a test cannot count on Ctrl+C alone ending what it started.
"""

from __future__ import annotations

import contextlib
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO

import pytest

from tests.support.browser import REPO_ROOT


class Lines:
    """Every line of a stream, read on a thread as it comes."""

    def __init__(self, stream: IO[str] | None) -> None:
        assert stream is not None
        self.lines: list[str] = []
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, wanted: Callable[[str], bool], timeout: float, what: str) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if found := next((line for line in self.lines if wanted(line)), None):
                return found
            if not self._thread.is_alive():
                break
            time.sleep(0.05)
        pytest.fail(f"no line with {what} within {timeout} s; got {self.lines}")

    def finish(self, timeout: float = 10) -> str:
        self._thread.join(timeout)
        return "\n".join(self.lines)


class Running:
    """A started program, with its stdout and stderr read line by line."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        self.out = Lines(process.stdout)
        self.err = Lines(process.stderr)

    def stop(self, how: int = signal.SIGTERM, timeout: float = 30) -> int:
        """Send ``how`` and wait for the end; still running then, it is killed and the
        test fails. Returns the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(how)
        try:
            status = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
            pytest.fail(f"still running {timeout} s after {signal.Signals(how).name}: killed")
        self.out.finish()
        self.err.finish()
        return status


@contextlib.contextmanager
def running(
    command: Sequence[str], env: dict[str, str], cwd: Path = REPO_ROOT
) -> Iterator[Running]:
    """``command`` running for the ``with`` block; killed after it if still there."""
    process = subprocess.Popen(
        list(command),
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    started = Running(process)
    try:
        yield started
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        started.out.finish()
        started.err.finish()
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def ignoring_sigint(command: Sequence[str]) -> list[str]:
    """``command`` started the way ``nohup … &`` starts it: with SIGINT ignored."""
    return ["sh", "-c", 'trap "" INT; exec "$@"', "sh", *command]


def end(
    process: subprocess.Popen[str], how: int = signal.SIGTERM, timeout: float = 30
) -> tuple[str, str]:
    """Like ``Running.stop`` for a process whose pipes the test reads itself:
    (stdout, stderr) once it has ended; still running after ``timeout``, it is killed."""
    if process.poll() is None:
        process.send_signal(how)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate(timeout=10)
        pytest.fail(f"still running {timeout} s after {signal.Signals(how).name}: killed")
    return stdout or "", stderr or ""
