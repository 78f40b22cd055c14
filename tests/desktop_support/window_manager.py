"""A window manager (openbox) for tests that need one: title bars, Alt+F4, maximising,
and a work area (``_NET_WORKAREA``) that leaves out the panels' struts."""

from __future__ import annotations

import contextlib
import logging
import subprocess
from collections.abc import Iterator, Mapping
from pathlib import Path

from ._proc import managed_process, wait_until

logger = logging.getLogger(__name__)


def _root_property(env: Mapping[str, str], name: str) -> str:
    result = subprocess.run(
        ["xprop", "-root", name], env=dict(env), capture_output=True, text=True, timeout=30
    )
    return result.stdout if result.returncode == 0 and "not found" not in result.stdout else ""


@contextlib.contextmanager
def openbox(env: Mapping[str, str], root: Path) -> Iterator[int]:
    """Run openbox on ``env``'s display (no compositing); yields its pid once it manages."""
    log_path = root / "openbox.log"
    argv = ["openbox", "--sm-disable"]
    with managed_process(argv, name="openbox", env=env, log_path=log_path) as proc:
        wait_until(
            lambda: bool(_root_property(env, "_NET_SUPPORTING_WM_CHECK")),
            what="openbox managing the screen",
            proc=proc,
            log_path=log_path,
        )
        logger.info("openbox up (pid %d) on %s", proc.pid, env.get("DISPLAY"))
        yield proc.pid


def work_area(env: Mapping[str, str]) -> tuple[int, int, int, int] | None:
    """The first desktop's ``_NET_WORKAREA`` (x, y, width, height), if the WM set one."""
    text = _root_property(env, "_NET_WORKAREA")
    if "=" not in text:
        return None
    numbers = [int(part) for part in text.split("=", 1)[1].replace(",", " ").split()[:4]]
    return (numbers[0], numbers[1], numbers[2], numbers[3]) if len(numbers) == 4 else None


__all__ = ["openbox", "work_area"]
