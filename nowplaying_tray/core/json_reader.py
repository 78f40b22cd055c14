"""The one JSON reader: every file the app reads and every answer it gets goes through it.

Python's parser recurses once per nesting level, so ``[`` x 100,000 ends in a
RecursionError (a crash, not a "could not read"); and a file or an answer may be
of any size. Here the size is checked first, then the nesting depth is counted
without recursing, and only then is the text parsed. Lone surrogates (``\\ud800``,
which no encoding can carry) become U+FFFD, so no text read here can fail on its
way out. A UTF-8 byte order mark is accepted. Every failure is ``UnreadableJson``,
a ``ValueError``, so the callers' "could not read" paths take it.
"""

from __future__ import annotations

# The codec behind "utf-8-sig", imported with the app rather than at the first file read on
# a worker thread, so its source text is dropped with the rest at start-up.
import encodings.utf_8_sig  # noqa: F401
import json
import re
from pathlib import Path
from typing import Any

from nowplaying_tray.core.limits import MAX_BODY_BYTES, MAX_JSON_DEPTH, MAX_JSON_FILE_BYTES

# A JSON string (skipped: brackets inside it do not nest) or a bracket.
_STRING_OR_BRACKET = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


class UnreadableJson(ValueError):
    """Not JSON, too large, or nested too deep: read as "could not be read"."""


class JsonBeyondLimits(UnreadableJson):
    """Larger or nested deeper than the limits (whether or not it is JSON)."""


def read_json(data: bytes | str, max_bytes: int = MAX_BODY_BYTES) -> Any:
    """``data`` parsed, within ``max_bytes`` and ``MAX_JSON_DEPTH`` levels of nesting."""
    if len(data) > max_bytes:
        raise JsonBeyondLimits(f"larger than {max_bytes} bytes")
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise UnreadableJson("not UTF-8 text") from exc
    else:
        text = data.removeprefix("\ufeff")
    if not _depth_within(text, MAX_JSON_DEPTH):
        raise JsonBeyondLimits(f"nested deeper than {MAX_JSON_DEPTH} levels")
    try:
        value = json.loads(text)
    except RecursionError as exc:  # not expected after the count; never a crash all the same
        raise JsonBeyondLimits(f"nested deeper than {MAX_JSON_DEPTH} levels") from exc
    except ValueError as exc:
        raise UnreadableJson(_reason(exc)) from exc
    if _SURROGATE_ESCAPE.search(text):
        value = _without_lone_surrogates(value)
    return value


def read_json_file(path: Path, max_bytes: int = MAX_JSON_FILE_BYTES) -> Any:
    """The JSON in ``path``; ``OSError`` if it cannot be opened, else as ``read_json``."""
    with path.open("rb") as file:
        data = file.read(max_bytes + 1)
    return read_json(data, max_bytes)


def _depth_within(text: str, limit: int) -> bool:
    if text.count("[") + text.count("{") <= limit:
        return True  # the usual case: too few brackets to be too deep
    depth = 0
    for match in _STRING_OR_BRACKET.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > limit:
                return False
        elif token in "]}":
            depth -= 1
    return True


def _without_lone_surrogates(value: Any) -> Any:
    # Within MAX_JSON_DEPTH, so recursion is safe here.
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_without_lone_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {
            _without_lone_surrogates(key): _without_lone_surrogates(item)
            for key, item in value.items()
        }
    return value


def _reason(exc: ValueError) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"not JSON ({exc.msg} at line {exc.lineno})"
    return f"not JSON ({str(exc)[:100]})"  # a number of more than 4,300 digits, say


__all__ = ["JsonBeyondLimits", "UnreadableJson", "read_json", "read_json_file"]
