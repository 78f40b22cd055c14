from __future__ import annotations

import unicodedata

import pytest

from nowplaying_tray.core.errors import AuthRequired, MissingClientId, Offline, RateLimited
from nowplaying_tray.core.model import ItemKind, Playback, PlaybackState
from nowplaying_tray.core.text import (
    TOOLTIP_LIMIT,
    elide,
    format_duration,
    is_valid_template,
    one_line,
    render_template,
    template_values,
)
from nowplaying_tray.core.tray_status import StatusKind, tray_status

SONG = Playback(
    state=PlaybackState.PLAYING,
    read_at=0.0,
    kind=ItemKind.TRACK,
    title="Dancing Queen",
    artists=("ABBA", "Friends"),
    album="Arrival",
    duration_ms=231_000,
    progress_ms=62_000,
    url="https://open.spotify.com/track/x",
    device="Kitchen",
)


def status(**kwargs: object) -> tuple[StatusKind, str]:
    fields: dict[str, object] = {"playback": SONG, "error": None, "retry_in_s": None, "now": 0.0}
    result = tray_status(**(fields | kwargs))  # type: ignore[arg-type]
    return result.kind, result.tooltip


def test_one_line() -> None:
    assert one_line(SONG) == "Dancing Queen — ABBA, Friends"
    assert one_line(Playback.idle(0.0)) == "Nothing playing"


def test_template_keys() -> None:
    values = template_values(SONG, now=1.0)
    text = render_template(
        "{title}|{artist}|{album}|{progress}|{duration}|{state}|{device}|{url}", values
    )
    assert text == (
        "Dancing Queen|ABBA, Friends|Arrival|1:03|3:51|playing|Kitchen|https://open.spotify.com/track/x"
    )


def test_the_lyric_key() -> None:
    from nowplaying_tray.core.text import template_uses

    values = template_values(SONG, now=1.0, lyric="la la la")
    assert render_template("{title}: {lyric}", values) == "Dancing Queen: la la la"
    assert render_template("{title} — {lyric}", template_values(SONG, now=1.0)) == "Dancing Queen"
    assert template_uses("♪ {lyric:.40}", "lyric") and not template_uses("{title}", "lyric")
    assert not template_uses("{lyric", "lyric")


@pytest.mark.parametrize("template", ["{nope}", "{title", "{0}", "{title.__class__}", "}{"])
def test_bad_templates_never_raise(template: str) -> None:
    render_template(template, template_values(SONG, now=0.0))
    assert not is_valid_template(template)


def test_durations() -> None:
    assert format_duration(0) == "0:00"
    assert format_duration(3_723_000) == "1:02:03"
    assert format_duration(None) == ""


def test_tooltip_per_state() -> None:
    assert status() == (StatusKind.PLAYING, "Dancing Queen — ABBA, Friends\nArrival")
    paused = Playback(**{**SONG.__dict__, "state": PlaybackState.PAUSED})
    kind, text = status(playback=paused)
    assert kind is StatusKind.PAUSED and text.startswith("Paused") and "Dancing Queen" in text
    assert status(playback=Playback.idle(0.0)) == (StatusKind.IDLE, "Nothing playing")
    assert status(error=AuthRequired()) == (StatusKind.SETUP, "Not logged in — click to log in")
    assert status(error=MissingClientId())[0] is StatusKind.SETUP
    assert status(error=Offline(), retry_in_s=9.6) == (
        StatusKind.ERROR,
        "Spotify unreachable — retrying in 10 s",
    )
    assert status(error=RateLimited(30), retry_in_s=30) == (
        StatusKind.ERROR,
        "Rate-limited by Spotify — retrying in 30 s",
    )


def test_tooltip_is_plain_and_capped() -> None:
    long = Playback(**{**SONG.__dict__, "title": "<b>x</b>" + "y" * 300})
    _, text = status(playback=long)
    assert len(text) <= TOOLTIP_LIMIT and text.startswith("<b>x</b>")
    assert text.endswith("… — ABBA, Friends\nArrival")  # the title gives way, not the rest


def test_elide_never_splits_a_character() -> None:
    flag_family = "👨\u200d👩\u200d👧" * 10
    cut = elide(flag_family, 8)
    assert len(cut) <= 8 and not cut[:-1].endswith("\u200d")
    accented = "e\u0301" * 10
    kept = elide(accented, 6)[:-1]
    assert accented.startswith(kept) and not unicodedata.combining(accented[len(kept)])
    assert elide("short", 10) == "short"


def test_quota_exceeded_has_its_own_words() -> None:
    kind, text = status(error=RateLimited(60, quota_exceeded=True), retry_in_s=60)
    assert (kind, text) == (
        StatusKind.ERROR,
        "Spotify's quota for this app is used up — retrying in 60 s",
    )


@pytest.mark.parametrize(
    ("template", "values", "expected"),
    [
        ("{title} — {artist}", {"title": "Advertisement", "artist": ""}, "Advertisement"),
        ("{artist} — {title}", {"title": "Advertisement", "artist": ""}, "Advertisement"),
        ("{title} — {artist} — {album}", {"title": "T", "artist": "", "album": "A"}, "T — A"),
        ("Now: {artist} - {title}", {"title": "T", "artist": ""}, "Now: T"),
        ("{title} ({album})", {"title": "T", "album": ""}, "T"),
        ("{title} — {artist}\n{album}", {"title": "T", "artist": "", "album": "A"}, "T\nA"),
        ("{title}|{artist}", {"title": "T", "artist": "A"}, "T|A"),  # nothing empty: as is
    ],
)
def test_empty_fields_take_their_separator_along(
    template: str, values: dict[str, str], expected: str
) -> None:
    assert render_template(template, values) == expected


def test_a_long_wait_is_told_as_a_time_of_day() -> None:
    from datetime import datetime

    from nowplaying_tray.core.errors import RateLimited
    from nowplaying_tray.core.text import when_again
    from nowplaying_tray.core.tray_status import error_line

    noon = datetime(2026, 7, 14, 12, 0)
    assert when_again(2 * 3600 + 600, noon) == "at 14:10 (in 2 h 10 min)"
    assert when_again(13.6 * 3600, noon) == "tomorrow at 01:36 (in 13 h 36 min)"
    assert when_again(45, noon) == "at 12:00 (in 1 min)"
    quota = RateLimited(49_000, quota_exceeded=True)
    assert error_line(quota, 49_000, noon) == (
        "Spotify's quota for this app is used up — works again tomorrow at 01:36 (in 13 h 37 min)"
    )
    assert error_line(RateLimited(30), 30, noon) == "Rate-limited by Spotify — retrying in 30 s"
    assert "it should work again " in RateLimited(7200).message  # "at" or "tomorrow at"
    assert "(in 2 h)" in RateLimited(7200).message
