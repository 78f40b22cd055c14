"""The app's one rate-limit window: what a 429 holds back, and for how long."""

from __future__ import annotations

import pytest

from nowplaying_tray.core.errors import RateLimited
from nowplaying_tray.core.limits import MAX_WAIT_S
from nowplaying_tray.core.rate_limit import RateLimitWindow
from tests.support.clock import FakeClock


def test_never_limited_lets_everything_through() -> None:
    window = RateLimitWindow(FakeClock())
    window.check()
    assert window.remaining_s(zero_hold_s=3) == 0


def test_a_429_holds_every_call_until_its_retry_after() -> None:
    clock = FakeClock()
    window = RateLimitWindow(clock)
    window.limit(RateLimited(30, quota_exceeded=True))
    clock.now += 10
    with pytest.raises(RateLimited) as raised:
        window.check()
    assert raised.value.retry_after == pytest.approx(20)
    assert raised.value.quota_exceeded and window.quota_exceeded
    clock.now += 20
    window.check()  # over: calls go out again


def test_retry_after_zero_holds_polls_but_not_calls() -> None:
    clock = FakeClock()
    window = RateLimitWindow(clock)
    window.limit(RateLimited(0))
    window.check()  # a control may try again at once
    assert window.remaining_s(zero_hold_s=3) == 3  # the poller waits
    clock.now += 3
    assert window.remaining_s(zero_hold_s=3) == 0


def test_an_endless_retry_after_is_capped() -> None:
    window = RateLimitWindow(FakeClock())
    window.limit(RateLimited(MAX_WAIT_S * 10))
    assert window.remaining_s() == MAX_WAIT_S
