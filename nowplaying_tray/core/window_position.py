"""Where the no-tray window was last left, kept in the state dir between runs.

Read and written on the worker (it is disk I/O); a missing or unreadable file is no
position, never an error.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from nowplaying_tray.core.atomic import write_text_atomic
from nowplaying_tray.core.state_file import BadStateValue, read_state, whole_number

logger = logging.getLogger(__name__)

FILE_NAME = "window.json"
MAX_COORDINATE = 100_000  # beyond any screen; Qt's coordinates are 32-bit


def window_file(state_dir: Path) -> Path:
    return state_dir / FILE_NAME


def load_position(path: Path) -> tuple[int, int] | None:
    return read_state(path, _position)


def _position(data: Any) -> tuple[int, int]:
    if not isinstance(data, dict):
        raise BadStateValue("not an object")
    return (
        whole_number(data.get("x"), -MAX_COORDINATE, MAX_COORDINATE),
        whole_number(data.get("y"), -MAX_COORDINATE, MAX_COORDINATE),
    )


def save_position(path: Path, position: tuple[int, int]) -> None:
    try:
        write_text_atomic(path, json.dumps({"x": position[0], "y": position[1]}))
    except OSError as exc:  # a position not kept is no reason to bother anyone
        logger.info("Could not keep the window position: %s", exc)


__all__ = ["load_position", "save_position", "window_file"]
