"""The LRC parser and which line is sung when: the formats LRCLIB and players write."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from nowplaying_tray.core.lrc import (
    MAX_LYRIC_LINES,
    LyricLine,
    Lyrics,
    line_index_at,
    lyrics_at,
    next_change_ms,
    parse_lrc,
)


def test_the_three_time_formats() -> None:
    lines = parse_lrc("[00:01.50]hundredths\n[00:02.250]thousandths\n[01:03]whole seconds\n")
    assert lines == (
        LyricLine(1500, "hundredths"),
        LyricLine(2250, "thousandths"),
        LyricLine(63_000, "whole seconds"),
    )


def test_several_times_on_one_line_repeat_it_in_time_order() -> None:
    lines = parse_lrc("[00:10.00][00:30.00]Chorus\n[00:20.00]Verse\n")
    assert [(line.at_ms, line.text) for line in lines] == [
        (10_000, "Chorus"),
        (20_000, "Verse"),
        (30_000, "Chorus"),
    ]


def test_offset_moves_every_line_and_metadata_is_ignored() -> None:
    text = "[ar:Someone]\n[ti:Song]\n[length:03:00]\n[offset:+500]\n[00:02.00]A\n[00:04.00]B\n"
    assert parse_lrc(text) == (LyricLine(1500, "A"), LyricLine(3500, "B"))
    assert parse_lrc("[offset:-250]\n[00:01.00]A") == (LyricLine(1250, "A"),)
    assert parse_lrc("[offset:+5000]\n[00:01.00]A") == (LyricLine(0, "A"),)  # never before 0


def test_empty_lines_are_pauses_and_word_times_are_dropped() -> None:
    lines = parse_lrc("[00:01.00]<00:01.00>Hello <00:01.50>there\n[00:03.00]\n[00:05.00]Again")
    assert [line.text for line in lines] == ["Hello there", "", "Again"]
    lyrics = Lyrics(lines)
    pause = lyrics_at(lyrics, 3_500)
    assert pause.line is None and pause.next == "Again" and pause.index == 1
    assert lyrics_at(lyrics, 500).line is None  # before the first line
    assert lyrics_at(lyrics, 500).next == "Hello there"


def test_a_user_offset_shows_lines_sooner() -> None:
    lyrics = Lyrics(parse_lrc("[00:01.00]A\n[00:02.00]B"))
    assert lyrics_at(lyrics, 1_700).line == "A"
    assert lyrics_at(lyrics, 1_700, offset_ms=300).line == "B"
    assert lyrics_at(lyrics, 1_700, offset_ms=-800).line is None


def test_plain_lyrics_have_no_line() -> None:
    now = lyrics_at(Lyrics(plain="one\ntwo"), 10_000)
    assert (now.synced, now.line, now.next, now.text) == (False, None, None, "one\ntwo")
    assert now.to_json() == {
        "synced": False,
        "line": None,
        "next": None,
        "text": "one\ntwo",
        "instrumental": False,
        "provider": "lrclib",
    }


_words = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="[]<>"),
    max_size=40,
).map(str.strip)
_lines = st.lists(st.tuples(st.integers(0, 99 * 60_000 + 59_999), _words), max_size=40)


def _stamp(at_ms: int, style: int) -> str:
    minutes, rest = divmod(at_ms, 60_000)
    seconds, millis = divmod(rest, 1000)
    if style == 0:
        return f"[{minutes:02d}:{seconds:02d}.{millis // 10:02d}]"
    if style == 1:
        return f"[{minutes:02d}:{seconds:02d}.{millis:03d}]"
    return f"[{minutes:02d}:{seconds:02d}]"


def _precision(style: int) -> int:
    return (10, 1, 1000)[style]


@given(_lines, st.integers(0, 2))
def test_written_lines_come_back_in_time_order(lines: list[tuple[int, str]], style: int) -> None:
    text = "\n".join(_stamp(at, style) + words for at, words in lines)
    parsed = parse_lrc(text)
    step = _precision(style)
    expected = sorted(((at // step) * step, words) for at, words in lines)
    assert sorted((line.at_ms, line.text) for line in parsed) == expected
    assert [line.at_ms for line in parsed] == sorted(line.at_ms for line in parsed)


@given(_lines, st.integers(-100_000, 100_000))
def test_an_offset_tag_shifts_every_line(lines: list[tuple[int, str]], offset: int) -> None:
    text = "\n".join(_stamp(at, 1) + words for at, words in lines)
    plain = parse_lrc(text)
    shifted = parse_lrc(f"[offset:{offset:+d}]\n{text}")
    assert [line.at_ms for line in shifted] == [max(0, line.at_ms - offset) for line in plain]


@given(_lines, st.integers(0, 6_000_000))
def test_the_line_at_a_position_is_the_last_one_started(
    lines: list[tuple[int, str]], position: int
) -> None:
    parsed = parse_lrc("\n".join(_stamp(at, 1) + words for at, words in lines))
    index = line_index_at(parsed, position)
    started = [line for line in parsed if line.at_ms <= position]
    if not started:
        assert index is None
    else:
        assert index is not None and parsed[index].at_ms == started[-1].at_ms
    upcoming = next_change_ms(parsed, position)
    later = [line.at_ms for line in parsed if line.at_ms > position]
    assert upcoming == (later[0] if later else None)


@given(st.text(max_size=2000))
def test_any_text_parses_without_error(text: str) -> None:
    lines = parse_lrc(text)
    assert len(lines) <= MAX_LYRIC_LINES
    assert all(line.at_ms >= 0 and "\n" not in line.text for line in lines)


def test_the_number_of_lines_is_bounded() -> None:
    text = "[00:01.00]x\n" * (MAX_LYRIC_LINES + 100)
    assert len(parse_lrc(text)) == MAX_LYRIC_LINES
