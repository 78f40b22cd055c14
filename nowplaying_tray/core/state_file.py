"""What the app remembers between runs (the request count, the recently played list, the
window position, the day of the last login reminder): small JSON files in the state dir.

Each is read with the one JSON reader and then checked value by value (finite, in
range) by the caller's ``parse``. A file that fails either is set aside as
``<name>.<time>.bak`` and the app starts that memory afresh: an edited or damaged
file never stops it, and never reaches it half-checked.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from nowplaying_tray.core.json_reader import read_json_file
from nowplaying_tray.core.limits import MAX_JSON_FILE_BYTES

logger = logging.getLogger(__name__)

T = TypeVar("T")


class BadStateValue(ValueError):
    """A value in a state file that is of the wrong type, not finite, or out of range."""


def read_state(
    path: Path, parse: Callable[[Any], T], max_bytes: int = MAX_JSON_FILE_BYTES
) -> T | None:
    """``parse`` of the JSON in ``path``; None when there is none, or it was set aside.

    ``parse`` raises ``ValueError`` (``BadStateValue``) for a value it cannot use.
    """
    try:
        data = read_json_file(path, max_bytes)
    except FileNotFoundError:
        return None
    except OSError as exc:
        logger.warning("Could not read %s: %s", path, exc.strerror or exc)
        return None
    except ValueError as exc:
        set_aside(path, str(exc))
        return None
    try:
        return parse(data)
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
        set_aside(path, str(exc) or type(exc).__name__)
        return None


def set_aside(path: Path, why: str) -> Path | None:
    """Move ``path`` to ``<name>.<time>.bak`` (never over an earlier one); where it went."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    backup = path.with_name(f"{path.name}.{stamp}.bak")
    number = 1
    while backup.exists():
        number += 1
        backup = path.with_name(f"{path.name}.{stamp}-{number}.bak")
    try:
        path.replace(backup)
        backup.chmod(0o600)
    except OSError as exc:
        logger.warning("%s could not be read (%s) nor set aside: %s", path, why, exc)
        return None
    logger.warning("%s could not be read (%s); kept as %s, starting afresh", path, why, backup)
    return backup


def finite_number(value: Any, low: float, high: float) -> float:
    """``value`` as a float, if it is a JSON number within [low, high]; else BadStateValue."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadStateValue(f"{type(value).__name__} where a number belongs")
    # Compared before float(): a 400-digit integer compares fine but overflows a float.
    if not low <= value <= high:  # NaN fails this too
        raise BadStateValue("a number out of range")
    return float(value)


def whole_number(value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadStateValue(f"{type(value).__name__} where a whole number belongs")
    if not low <= value <= high:
        raise BadStateValue("a number out of range")
    return int(value)


__all__ = ["BadStateValue", "finite_number", "read_state", "set_aside", "whole_number"]
