"""Where the no-tray window was last left, kept in the state dir between runs.

Read and written on the worker (it is disk I/O); a missing or unreadable file is no
position, never an error.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from nowplaying_tray.core.atomic import write_text_atomic

logger = logging.getLogger(__name__)

FILE_NAME = "window.json"


def window_file(state_dir: Path) -> Path:
    return state_dir / FILE_NAME


def load_position(path: Path) -> tuple[int, int] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        x, y = data["x"], data["y"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if isinstance(x, int) and isinstance(y, int) and not isinstance(x, bool | None):
        return x, y
    return None


def save_position(path: Path, position: tuple[int, int]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, json.dumps({"x": position[0], "y": position[1]}))
    except OSError as exc:  # a position not kept is no reason to bother anyone
        logger.info("Could not keep the window position: %s", exc)


__all__ = ["load_position", "save_position", "window_file"]
