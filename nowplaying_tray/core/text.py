r"""Text shown to people: templates, tooltips and durations. Plain strings only.

``printable`` is the one sanitiser for human-readable output (the terminal, the
now-playing file, tooltips, notifications, error messages): no escape sequences, no
control characters, no lone surrogates. ``json_text`` is its JSON twin for machine
output: C1 controls and line separators written as ``\u`` escapes.
"""

from __future__ import annotations

import json
import re
import string
import unicodedata
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from nowplaying_tray.core.errors import InvalidTemplate
from nowplaying_tray.core.model import Playback, PlaybackState

NOTHING_PLAYING = "Nothing playing"
SAVE_TO_LIBRARY = "Save to Your Library"  # menu, card and docs say it alike
REMOVE_FROM_LIBRARY = "Remove from Your Library"
TOOLTIP_LIMIT = 127  # Windows truncates tray tooltips beyond this
TEMPLATE_KEYS = (
    "title",
    "artist",
    "album",
    "progress",
    "duration",
    "state",
    "device",
    "url",
    "lyric",
)


def format_duration(ms: int | None) -> str:
    if ms is None:
        return ""
    seconds = ms // 1000
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def template_values(playback: Playback, now: float, lyric: str | None = None) -> dict[str, str]:
    """The values of the template keys; ``lyric`` is the line being sung, if known."""
    return {
        "title": playback.title or "",
        "artist": playback.artist_text,
        "album": playback.album or "",
        "progress": format_duration(playback.progress_at(now)),
        "duration": format_duration(playback.duration_ms),
        "state": playback.state.value,
        "device": playback.device or "",
        # The shareable link only: a local player's file:// path stays off tooltips and files.
        "url": playback.spotify_url or "",
        "lyric": lyric or "",
    }


# An empty field is marked while the template renders, then removed with its separator.
_EMPTY = "\x00"
_SEP = r"[ \t\u00a0\-–—·•|/:,;~]*"
_EMPTY_IN_BRACKETS = re.compile(rf"[(\[]\s*{_EMPTY}\s*[)\]]")
_EMPTY_AT_END = re.compile(rf"(?:{_SEP}{_EMPTY})+{_SEP}$", re.MULTILINE)
_EMPTY_WITH_SEPARATOR = re.compile(rf"{_EMPTY}{_SEP}")

TEMPLATE_WIDTH_LIMIT = 200  # a field's width or precision: more only fills files with spaces
# What a string field may say after its colon: [[fill]align][0][width][.precision][s].
_FORMAT_SPEC = re.compile(
    r"(?:(?P<fill>.)?[<>^])?0?(?P<width>\d+)?(?:\.(?P<precision>\d+))?s?", re.DOTALL
)

# Escape sequences (colours, cursor moves, terminal titles) and other control characters
# that a title from the API could carry into a terminal or a file.
_ANSI_ESCAPE = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])"
    r"|\x9b[0-?]*[ -/]*[@-~]"  # the 8-bit CSI
    r"|\x9d[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # the 8-bit OSC (a terminal title)
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"[\t\n\r\u2028\u2029]+")
# Half of a UTF-16 pair on its own: no encoding can write it (stdout, files, D-Bus, Qt).
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Valid in a JSON string, but a terminal acts on C1 controls (U+009B is CSI, U+009D OSC).
_JSON_ESCAPED = re.compile(r"[\x7f-\x9f\u2028\u2029]")


def printable(text: str, keep_lines: bool = False) -> str:
    """``text`` without escape sequences, control characters or lone surrogates (U+FFFD
    instead); line breaks become spaces, or with ``keep_lines`` stay as ``\n``."""
    text = _LONE_SURROGATE.sub("\ufffd", _ANSI_ESCAPE.sub("", text))
    if keep_lines:
        return "\n".join(_CONTROL.sub("", _LINE_BREAKS.sub(" ", line)) for line in text.split("\n"))
    return _CONTROL.sub("", _LINE_BREAKS.sub(" ", text))


def json_text(data: Any) -> str:
    """``data`` as one line of JSON that is safe to print: readable Unicode, with every
    control character (C0 and C1) and line separator escaped, lone surrogates as U+FFFD."""
    text = _LONE_SURROGATE.sub("\ufffd", json.dumps(data, ensure_ascii=False))
    # Outside its strings JSON is plain ASCII, so only string contents are touched.
    return _JSON_ESCAPED.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def parse_template(template: str) -> list[tuple[str, str | None, str]]:
    """The template's parts as (literal text, key or None, format spec).

    Only the plain keys of ``TEMPLATE_KEYS`` are allowed: no attribute or index access
    (``{title.upper}``, ``{title[0]}``), no conversions, no nested fields, and widths
    up to ``TEMPLATE_WIDTH_LIMIT``. Raises ``InvalidTemplate`` saying what is wrong.
    """
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:
        raise InvalidTemplate(
            "A “{” or “}” has no partner. Write {{ or }} to show a brace itself."
        ) from None
    parts: list[tuple[str, str | None, str]] = []
    for literal, name, spec, conversion in parsed:
        if name is None:
            parts.append((literal, None, ""))
            continue
        field = (
            "{"
            + name
            + (f"!{conversion}" if conversion else "")
            + (f":{spec}" if spec else "")
            + "}"
        )
        if name not in TEMPLATE_KEYS:
            if not name:
                raise InvalidTemplate(f"{field} has no key. Put a key between the braces.")
            if any(mark in name for mark in ".[]"):
                raise InvalidTemplate(
                    f"{field} is not allowed: write a plain key such as {{title}}, "
                    "without . or [ ]."
                )
            raise InvalidTemplate(f"There is no {{{name}}} key.", unknown_key=name)
        if conversion:
            raise InvalidTemplate(f"{field} is not allowed: drop the “!{conversion}”.")
        _check_spec(field, spec or "")
        parts.append((literal, name, spec or ""))
    return parts


def _check_spec(field: str, spec: str) -> None:
    match = _FORMAT_SPEC.fullmatch(spec)
    if match is None:
        raise InvalidTemplate(
            f"{field}: the format after “:” can only align and size the text, "
            "as in {title:<30} or {title:.20}."
        )
    # {title:>30} sets a width, {title:.30} a precision (how many characters are kept).
    for kind, size in (("width", match["width"]), ("precision", match["precision"])):
        if size is not None and int(size) > TEMPLATE_WIDTH_LIMIT:
            raise InvalidTemplate(f"{field}: a {kind} above {TEMPLATE_WIDTH_LIMIT} is not allowed.")


def template_problem(template: str) -> InvalidTemplate | None:
    """Why ``template`` cannot be used; None when it can."""
    try:
        parse_template(template)
    except InvalidTemplate as error:
        return error
    return None


def render_template(template: str, values: Mapping[str, Any]) -> str:
    """Fill in ``template``; a template ``parse_template`` refuses is given back as typed,
    so a tooltip never raises (settings and the CLI check templates before use).

    Values are shown without control characters. A field without a value takes its
    separator along, so an advert with no artist reads "Advertisement", never
    "Advertisement — " or " — Advertisement".
    """
    try:
        parts = parse_template(template)
    except InvalidTemplate:
        return template
    marked = {}
    for key, value in values.items():
        shown = "" if value is None else printable(str(value))
        marked[key] = shown or _EMPTY
    text = "".join(
        literal + ("" if name is None else format(marked.get(name, _EMPTY), spec))
        for literal, name, spec in parts
    )
    if _EMPTY not in text:
        return text
    text = _EMPTY_IN_BRACKETS.sub(_EMPTY, text)
    text = _EMPTY_AT_END.sub("", text)
    return _EMPTY_WITH_SEPARATOR.sub("", text).replace(_EMPTY, "")


def template_uses(template: str, key: str) -> bool:
    """Whether ``template`` has a ``{key}`` field (False for a template that cannot be used)."""
    try:
        return any(name == key for _, name, _ in parse_template(template))
    except InvalidTemplate:
        return False


def is_valid_template(template: str) -> bool:
    return template_problem(template) is None


def one_line(playback: Playback) -> str:
    """``Title — Artist 1, Artist 2``, or ``Nothing playing``."""
    if playback.state is PlaybackState.IDLE or not playback.title:
        return NOTHING_PLAYING
    title = printable(playback.title)
    artists = printable(playback.artist_text)
    return f"{title} — {artists}" if artists else title


def elide(text: str, limit: int) -> str:
    """Cut to ``limit`` characters with an ellipsis, never inside a character."""
    if len(text) <= limit:
        return text
    cut = limit - 1
    # Do not separate a base character from its combining marks or joiners.
    while cut > 0 and (
        unicodedata.combining(text[cut]) or text[cut] in "\u200d\ufe0f" or text[cut - 1] == "\u200d"
    ):
        cut -= 1
    return text[:cut].rstrip() + "…"


LONG_WAIT_S = 90  # from here on a countdown in seconds says less than a time of day


def when_again(seconds: float, now: datetime | None = None) -> str:
    """When a wait of ``seconds`` ends, for a person: "at 14:05 (in 2 h 10 min)"."""
    now = now or datetime.now()
    at = now + timedelta(seconds=seconds)
    if at.date() == now.date():
        day = ""
    elif at.date() == (now + timedelta(days=1)).date():
        day = "tomorrow "
    else:
        day = f"{at:%A} "
    return f"{day}at {at:%H:%M} (in {_span(seconds)})"


def _span(seconds: float) -> str:
    minutes = max(1, round(seconds / 60))
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"
