"""``now`` asks a running tray app first, over the instance socket: no request at all.

The tray answers with what it shows (``core.tray_answer``); this prints it as ``now``
prints its own answers, with the progress extrapolated, and the same exit statuses.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from typing import Any

from nowplaying_tray.cli import EXIT_FAILED, EXIT_OK, EXIT_RATE_LIMITED, STATUS_OF_PROBLEM
from nowplaying_tray.core.instance_address import ask_state, socket_path
from nowplaying_tray.core.model import Playback
from nowplaying_tray.core.paths import AppPaths
from nowplaying_tray.core.request_gate import until_words
from nowplaying_tray.core.text import json_text, printable
from nowplaying_tray.core.tray_answer import decode_state

logger = logging.getLogger(__name__)

TRAY_ANSWER_TIMEOUT_S = 1.0


def ask_tray(
    paths: AppPaths, as_json: bool, show: Callable[[Playback, str, dict[str, Any] | None], None]
) -> int | None:
    """Print what a running tray app shows and return the exit status; None when no
    tray answers (or it knows nothing yet): then ``now`` asks for itself."""
    path = socket_path(paths.cache_dir) if sys.platform != "win32" else None
    raw = ask_state(path, TRAY_ANSWER_TIMEOUT_S) if path is not None else None
    state = decode_state(raw) if raw is not None else None
    if state is None:
        return None
    # A problem the tray shows (a rate limit, no login) is this answer's too, as if
    # ``now`` had asked itself; a local player answers whatever the Web API says.
    if state.playback is not None and (state.problem is None or state.source == "local"):
        logger.info("Answered by the running tray app (no request)")
        show(state.playback, state.source or "web_api", state.budget)
        return EXIT_OK
    if state.problem is None:
        return None  # the tray has not heard from Spotify yet
    status = STATUS_OF_PROBLEM.get(state.problem, EXIT_FAILED)
    message = state.message or "The tray app cannot tell what is playing."
    if as_json:
        print(json_text({"error": state.problem, "message": message}))
    suffix = ""
    if state.until is not None and status == EXIT_RATE_LIMITED:
        suffix = until_words(state.until - time.time())
    print(printable(f"nowplaying-tray: {message}{suffix}", keep_lines=True), file=sys.stderr)
    return status
