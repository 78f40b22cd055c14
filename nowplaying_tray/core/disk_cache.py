"""A cache folder kept under a size: the oldest files go first."""

from __future__ import annotations

import logging
from pathlib import Path

logger = logging.getLogger(__name__)


def evict_oldest(directory: Path, pattern: str, max_bytes: int) -> None:
    """Remove the oldest files matching ``pattern`` until the rest fit in ``max_bytes``."""
    try:
        files = sorted(
            (entry.stat().st_mtime, entry.stat().st_size, entry)
            for entry in directory.glob(pattern)
        )
    except OSError:
        return  # a file went while we looked: the next write evicts again
    total = sum(size for _, size, _ in files)
    for _, size, entry in files:
        if total <= max_bytes:
            break
        entry.unlink(missing_ok=True)
        total -= size
