"""Logging set-up: a rotating file, optional console output, and secrets redacted.

Redaction happens in the formatter, on the final text, so it also covers
spotipy's and urllib3's own debug lines (spotipy logs request headers and token
request bodies at DEBUG).
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
import sys
import threading
from pathlib import Path
from types import TracebackType

from nowplaying_tray.core.atomic import make_private_dir

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


class ConsoleFormatter(RedactingFormatter):
    """One line per record: a traceback belongs in the log file, not in a person's terminal."""

    def format(self, record: logging.LogRecord) -> str:
        if not (record.exc_info or record.exc_text or record.stack_info):
            return super().format(record)
        brief = logging.makeLogRecord(record.__dict__)
        brief.exc_info = brief.exc_text = brief.stack_info = None
        error = record.exc_info[1] if record.exc_info else None
        reason = f" ({type(error).__name__})" if error is not None else ""
        return super().format(brief) + f"{reason}; details are in the log file"


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log file that only its owner can read (0600), like every file we write.

    Titles, device names and account names end up in the log; the umask would make
    the file world-readable on most systems.
    """

    def _open(self):  # type: ignore[no-untyped-def]  # noqa: ANN202 - logging's signature
        path = Path(self.baseFilename)
        descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        os.close(descriptor)
        # An older version may have left a world-readable file behind.
        path.chmod(0o600)
        return super()._open()


def install_exception_hooks() -> None:
    """Send uncaught exceptions (Qt slots, threads) to the log instead of bare stderr.

    PySide6 reports an exception raised in a slot through ``sys.excepthook``; the
    default prints a traceback and carries on. Logged, it lands in the file in full
    and on the console as one line.
    """

    def on_uncaught(
        kind: type[BaseException], error: BaseException, trace: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, trace)
            return
        logger.error("Unexpected error", exc_info=(kind, error, trace))

    def on_thread(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or isinstance(args.exc_value, SystemExit):
            return
        thread = args.thread.name if args.thread is not None else "a thread"
        if _bus_went_away(args.exc_value, args.exc_traceback):
            # The session ended (or its bus was stopped) while we ran: not an error.
            logger.info("The D-Bus connection read by %s closed: the bus went away", thread)
            return
        logger.error(
            "Unexpected error in %s",
            thread,
            exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
        )

    sys.excepthook = on_uncaught
    threading.excepthook = on_thread


def _bus_went_away(error: BaseException, trace: TracebackType | None) -> bool:
    """``error`` is jeepney's receiver thread meeting the end of the bus's socket."""
    if not isinstance(error, ConnectionError | EOFError):
        return False
    while trace is not None:
        if "jeepney" in trace.tb_frame.f_code.co_filename:
            return True
        trace = trace.tb_next
    return False


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
            make_private_dir(log_dir)
            log_file = log_dir / LOG_FILE_NAME
            file_handler = PrivateRotatingFileHandler(
                log_file,
                maxBytes=1_000_000,
                backupCount=3,
                encoding="utf-8",
                errors="backslashreplace",  # a lone surrogate is logged, not lost
            )
            _add(root, file_handler, formatter, logging.DEBUG)
        except OSError as exc:
            log_file = None
            logger.warning("Cannot write the log file in %s: %s", log_dir, exc)
    if console:
        level = console_level or (logging.DEBUG if debug else logging.WARNING)
        # With --debug, a developer is at the terminal and wants the whole traceback.
        console_formatter = formatter if debug else ConsoleFormatter(_FORMAT)
        _add(root, logging.StreamHandler(), console_formatter, level)
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
