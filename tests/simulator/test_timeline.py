"""Clock-driven playback: progress, natural rollover, repeat and the transport controls."""

from __future__ import annotations

import threading

import pytest

from nowplaying_tray.simulator import Player, make_ad, make_track
from tests.support.clock import FakeClock

A = make_track("A", ["X"], "Alb", 10_000)
B = make_track("B", ["Y"], "Alb", 20_000)
C = make_track("C", ["Z"], "Alb", 30_000)


@pytest.fixture
def player(clock: FakeClock) -> Player:
    return Player([A, B, C], clock=clock)


def test_progress_follows_the_clock(player, clock):
    assert player.current() is A
    assert player.progress_ms() == 0
    assert player.is_playing
    clock.advance(4.25)
    assert player.progress_ms() == 4250


def test_natural_end_rolls_over_to_the_next_item(player, clock):
    clock.advance(10)
    assert player.current() is B
    assert player.progress_ms() == 0
    clock.advance(25.5)  # 20 s of B, then 5.5 s into C
    assert player.current() is C
    assert player.progress_ms() == 5500


def test_repeat_loops_the_queue(player, clock):
    clock.advance(60 + 3)  # the whole queue (60 s) and 3 s more
    assert player.current() is A
    assert player.progress_ms() == 3000
    clock.advance(60 * 1000 + 12)  # a thousand loops later: 15 s in, so 5 s into B
    assert player.current() is B
    assert player.progress_ms() == 5000


def test_without_repeat_the_end_of_the_queue_goes_idle(clock):
    player = Player([A, B], clock=clock, repeat=False)
    clock.advance(29.9)
    assert player.current() is B
    clock.advance(0.2)
    assert player.current() is None
    assert player.is_playing is False
    assert player.device["is_active"] is False
    player.resume()  # from another device: starts over at the top
    assert player.current() is A
    assert player.device["is_active"] is True


def test_paused_playback_does_not_move(player, clock):
    clock.advance(2)
    player.pause()
    clock.advance(100)
    assert player.current() is A
    assert player.progress_ms() == 2000
    assert player.is_playing is False
    player.resume()
    clock.advance(1)
    assert player.progress_ms() == 3000


def test_skip_next_and_wrap(player, clock):
    player.pause()
    player.skip_next()
    assert player.current() is B
    assert player.is_playing  # skipping starts playback, as in Spotify
    player.skip_next()
    player.skip_next()
    assert player.current() is A  # repeat wraps


def test_skip_next_at_the_end_without_repeat_goes_idle(clock):
    player = Player([A], clock=clock, repeat=False)
    player.skip_next()
    assert player.current() is None


def test_skip_previous_restarts_after_three_seconds(player, clock):
    player.play_index(1)
    clock.advance(3.5)
    player.skip_previous()
    assert player.current() is B
    assert player.progress_ms() == 0
    clock.advance(2)
    player.skip_previous()
    assert player.current() is A


def test_skip_previous_at_first_item(clock):
    looping = Player([A, B], clock=clock)
    looping.skip_previous()
    assert looping.current() is B
    once = Player([A, B], clock=clock, repeat=False)
    once.skip_previous()
    assert once.current() is A


def test_seek_is_clamped_and_the_end_rolls_over(player, clock):
    player.seek(7_000)
    assert player.progress_ms() == 7000
    player.seek(-5)
    assert player.progress_ms() == 0
    player.seek(99_999)
    assert player.current() is B


def test_set_idle_and_private_session(player):
    player.set_private_session(True)
    assert player.device["is_private_session"] is True
    assert player.current() is A  # private does not stop playback
    player.set_idle()
    assert player.current() is None
    assert player.progress_ms() == 0
    player.skip_next()  # no-op while idle
    assert player.current() is None


def test_set_queue_and_play_index(player, clock):
    ad = make_ad(15_000)
    player.set_queue([ad, C], start_index=1, playing=False)
    assert player.current() is C
    assert player.is_playing is False
    player.play_index(0)
    assert player.current() is ad and player.is_playing
    with pytest.raises(IndexError):
        player.play_index(2)
    with pytest.raises(IndexError):
        player.set_queue([A], start_index=3)
    player.set_queue([])
    assert player.current() is None


def test_player_is_thread_safe(player, clock):
    errors: list[BaseException] = []

    def hammer() -> None:
        try:
            for _ in range(300):
                player.skip_next()
                player.progress_ms()
                player.current()
        except BaseException as exc:  # pragma: no cover - only on failure
            errors.append(exc)

    threads = [threading.Thread(target=hammer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert player.current() in (A, B, C)


def test_rollover_is_visible_over_http(sim, api, clock):
    sim.player.set_queue([A, B])
    assert api("GET", "/me/player").json()["item"]["name"] == "A"
    clock.advance(11)
    body = api("GET", "/me/player").json()
    assert body["item"]["name"] == "B"
    assert body["progress_ms"] == 1000


def test_no_repeat_is_visible_over_http(sim, api, clock):
    sim.player.set_queue([A])
    sim.player.repeat = False
    assert api("GET", "/me/player").json()["repeat_state"] == "off"
    clock.advance(10)
    assert api("GET", "/me/player").status_code == 204
    assert api("PUT", "/me/player/play").status_code == 404
