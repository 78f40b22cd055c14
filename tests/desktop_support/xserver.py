"""A virtual X server (Xvfb) and screenshots of it."""

from __future__ import annotations

import contextlib
import logging
import os
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

from ._proc import ServiceError, managed_process, read_line_from_fd, wait_until
from .env import PASSTHROUGH

logger = logging.getLogger(__name__)


@contextlib.contextmanager
def xvfb(display_size: str = "1280x800x24", log_dir: Path | None = None) -> Iterator[str]:
    """Start ``Xvfb`` on a free display number and yield the ``DISPLAY`` value (``":N"``).

    ``-displayfd`` makes Xvfb pick the number and report it once it accepts clients,
    so there is no race over ``/tmp/.X11-unix`` and no guessing.
    """
    with contextlib.ExitStack() as stack:
        if log_dir is None:
            log_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="xvfb-")))
        log_path = log_dir / "xvfb.log"
        env = {name: os.environ[name] for name in PASSTHROUGH if name in os.environ}
        read_fd, write_fd = os.pipe()
        stack.callback(os.close, read_fd)
        try:
            proc = stack.enter_context(
                managed_process(
                    [
                        "Xvfb",
                        "-displayfd",
                        str(write_fd),
                        "-screen",
                        "0",
                        display_size,
                        "-nolisten",
                        "tcp",
                        "-noreset",
                    ],
                    name="Xvfb",
                    env=env,
                    log_path=log_path,
                    pass_fds=(write_fd,),
                )
            )
        finally:
            os.close(write_fd)
        number = read_line_from_fd(read_fd, what="Xvfb display", proc=proc, log_path=log_path)
        if not number.isdigit():
            raise ServiceError(f"Xvfb reported an odd display number {number!r}")
        socket = Path(f"/tmp/.X11-unix/X{number}")
        wait_until(socket.exists, what=f"X socket {socket}", proc=proc, log_path=log_path)
        display = f":{number}"
        logger.info("Xvfb %s on %s (pid %d)", display_size, display, proc.pid)
        yield display


def screenshot(display: str, path: Path, env: Mapping[str, str] | None = None) -> Path:
    """Save the whole screen of ``display`` as an image (format from the suffix)."""
    child_env = dict(env) if env is not None else dict(os.environ)
    child_env["DISPLAY"] = display
    result = subprocess.run(
        ["import", "-display", display, "-window", "root", str(path)],
        env=child_env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=30,
        check=False,
    )
    if result.returncode != 0 or not path.exists():
        raise ServiceError(
            f"screenshot of {display} failed ({result.returncode}): "
            f"{result.stderr.decode(errors='replace').strip()}"
        )
    logger.debug("screenshot of %s saved to %s", display, path)
    return path


def pixel_at(image: Path, x: int, y: int) -> tuple[int, int, int]:
    """The 8-bit ``(r, g, b)`` colour of one pixel of an image file."""
    result = subprocess.run(
        [
            "convert",
            str(image),
            "-crop",
            f"1x1+{x}+{y}",
            "+repage",
            "-format",
            "%[fx:int(255*r+.5)],%[fx:int(255*g+.5)],%[fx:int(255*b+.5)]",
            "info:",
        ],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=30,
        check=False,
    )
    if result.returncode != 0:
        raise ServiceError(f"cannot read pixel of {image}: {result.stderr.decode().strip()}")
    red, green, blue = (int(part) for part in result.stdout.decode().split(","))
    return red, green, blue
