"""Logging set-up: a rotating file, optional console output, and secrets redacted.

Redaction happens in the formatter, on the final text, so it also covers
spotipy's and urllib3's own debug lines (spotipy logs request headers and token
request bodies at DEBUG).
"""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

logger = logging.getLogger(__name__)

LOG_FILE_NAME = "nowplaying-tray.log"
_FORMAT = "%(asctime)s %(levelname)-7s [%(threadName)s] %(name)s: %(message)s"
_REDACTED = "[REDACTED]"
_SECRET_KEYS = "access_token|refresh_token|code_verifier|code_challenge|code|client_secret|state"
_PATTERNS = (
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+"),
    re.compile(r"(?i)(basic\s+)[A-Za-z0-9._~+/=-]+"),
    # key: value, 'key': 'value', "key": "value" and key=value (query strings, form bodies)
    re.compile(rf"""(?i)(\b(?:{_SECRET_KEYS})\b['"]?\s*(?:[:=])\s*['"]?)([^'"&\s,;}})]+)"""),
)


def redact(text: str) -> str:
    for pattern in _PATTERNS:
        text = pattern.sub(lambda match: match.group(1) + _REDACTED, text)
    return text


class RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))

    def formatException(self, ei: object) -> str:  # noqa: N802 - logging's naming
        return redact(super().formatException(ei))  # type: ignore[arg-type]


def configure_logging(
    *,
    debug: bool = False,
    log_dir: Path | None = None,
    console: bool = True,
    console_level: int | None = None,
) -> Path | None:
    """Configure the root logger once per process; returns the log file path, if any."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_nowplaying", False):
            root.removeHandler(handler)
            handler.close()
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    formatter = RedactingFormatter(_FORMAT)
    log_file = None
    if log_dir is not None:
        try:
            log_dir.mkdir(parents=True, exist_ok=True)
            log_file = log_dir / LOG_FILE_NAME
            file_handler = logging.handlers.RotatingFileHandler(
                log_file, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
            )
            _add(root, file_handler, formatter, logging.DEBUG)
        except OSError as exc:
            log_file = None
            logger.warning("Cannot write the log file in %s: %s", log_dir, exc)
    if console:
        level = console_level or (logging.DEBUG if debug else logging.WARNING)
        _add(root, logging.StreamHandler(), formatter, level)
    # Library chatter is only useful when debugging; redaction covers it then.
    for name in ("spotipy", "urllib3"):
        logging.getLogger(name).setLevel(logging.DEBUG if debug else logging.CRITICAL)
    return log_file


def _add(
    root: logging.Logger, handler: logging.Handler, formatter: logging.Formatter, level: int
) -> None:
    handler.setFormatter(formatter)
    handler.setLevel(level)
    handler._nowplaying = True  # type: ignore[attr-defined]
    root.addHandler(handler)
