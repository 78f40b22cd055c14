"""The pieces ``now`` and the tray share: the rate-limit window in the state directory,
the tray's answer over the instance socket, the listening day, the budget's words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nowplaying_tray.core.budget import BudgetView
from nowplaying_tray.core.budget_words import budget_notice
from nowplaying_tray.core.errors import RateLimited
from nowplaying_tray.core.listening_day import NIGHT_GAP_S, ListeningDay
from nowplaying_tray.core.model import Playback, PlaybackState
from nowplaying_tray.core.rate_limit import RateLimitWindow, rate_limit_file
from nowplaying_tray.core.tray_answer import decode_state, encode_state
from tests.support.clock import FakeClock as Clock

HOUR = 3600.0


def test_a_429_in_one_process_holds_every_other(tmp_path: Path) -> None:
    wall, mono_a, mono_b = Clock(1_000_000.0), Clock(5.0), Clock(900.0)
    path = rate_limit_file(tmp_path)
    tray = RateLimitWindow(mono_a, path, wall)
    now = RateLimitWindow(mono_b, path, wall)
    tray.limit(RateLimited(3 * HOUR, quota_exceeded=True))
    wall.advance(HOUR)
    with pytest.raises(RateLimited) as refused:
        now.check()
    assert refused.value.quota_exceeded
    assert refused.value.retry_after == pytest.approx(2 * HOUR)
    wall.advance(2 * HOUR + 1)
    RateLimitWindow(Clock(0.0), path, wall).check()  # over: nothing held


@pytest.mark.parametrize(
    "raw", [b"", b"{", b"[]", b'{"version": 2}', b'{"version": 1, "playback": 3}',
            b'{"version": 1, "playback": {"state": "dancing"}}',
            b'{"version": 1, "playback": null, "problem": "boom"}'],
)  # fmt: skip
def test_a_broken_tray_answer_is_no_answer(raw: bytes) -> None:
    assert decode_state(raw) is None


def test_the_tray_answer_round_trips_with_the_progress_as_of_the_answer() -> None:
    playback = Playback(
        PlaybackState.PLAYING, read_at=10.0, title="T", artists=("A", "B"),
        duration_ms=200_000, progress_ms=1_000, uri="spotify:track:1",
    )  # fmt: skip
    raw = encode_state(playback, "web_api", None, None, {"remaining": 3}, 15.0, 1e9)
    state = decode_state(raw, clock=lambda: 50.0)
    assert state is not None and state.playback is not None
    assert state.playback.progress_ms == 6_000 and state.playback.read_at == 50.0
    assert state.playback.artists == ("A", "B") and state.source == "web_api"
    limited = decode_state(encode_state(None, None, RateLimited(60), 60.0, None, 0.0, 1e9))
    assert limited is not None and limited.problem == "rate_limited"
    assert limited.until == pytest.approx(1e9 + 60)
    assert json.loads(raw)["version"] == 1


def test_the_listening_day_is_learned_from_the_last_days(tmp_path: Path) -> None:
    clock = Clock(0.0)
    day = ListeningDay(tmp_path / "days.json", clock)
    assert day.left_s(16 * HOUR) == 16 * HOUR  # none begun: a whole default day
    for _ in range(3):  # three days of 8 h
        for _ in range(9):
            day.note_playing()
            clock.advance(HOUR)
        clock.advance(NIGHT_GAP_S + 10 * HOUR)
    day.note_playing()  # a fourth day begins
    assert day.expected_s(16 * HOUR) == 8 * HOUR
    clock.advance(2 * HOUR)
    day.note_playing()
    assert day.left_s(16 * HOUR) == 6 * HOUR
    day.save()
    again = ListeningDay(tmp_path / "days.json", clock)
    again.load()
    assert again.left_s(16 * HOUR) == 6 * HOUR


def test_the_budget_words_come_only_when_polling_is_held_back() -> None:
    assert budget_notice(BudgetView(1000, 500), 0.1, 60.0) is None
    slowed = budget_notice(BudgetView(1000, 940), 0.1, 60.0, wall_now=0.0)
    assert slowed is not None and slowed.startswith(
        "Checking less often to stay within Spotify's daily limit (940 of 1,000 used) — next check "
    )
    spent = budget_notice(BudgetView(1000, 1000), 0.1, None)
    assert spent is not None and "1,000 of 1,000" in spent and "free up" in spent
