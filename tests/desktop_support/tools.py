"""Finding the external programs the desktop tests need."""

from __future__ import annotations

import logging
import os
import shutil

import pytest

logger = logging.getLogger(__name__)

BOOTSTRAP_HINT = "run scripts/bootstrap.sh as root (or with sudo) to install them"


def missing_tools(*names: str) -> list[str]:
    """Return the names in ``names`` that are not found on ``PATH``, in order."""
    missing = [name for name in names if shutil.which(name) is None]
    if missing:
        logger.debug("missing tools: %s", ", ".join(missing))
    return missing


def require_tools(*names: str) -> None:
    """Skip the current test if a tool is missing; fail instead when ``CI=true``.

    A developer machine may legitimately lack the desktop stack, but in CI a skipped
    end-to-end test would hide a broken environment.
    """
    missing = missing_tools(*names)
    if not missing:
        return
    message = f"missing desktop tools: {', '.join(missing)}; {BOOTSTRAP_HINT}"
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)
