"""When the login-age check looks again: only when what it says can change."""

from __future__ import annotations

from datetime import datetime, timedelta

from nowplaying_tray.core.login_expiry import WARN_BEFORE_S, assess, next_check_at

DAY = 86400.0
NOW = 1_800_000_000.0  # 2027-01-15


def next_midnight(now: float) -> float:
    tomorrow = datetime.fromtimestamp(now).date() + timedelta(days=1)
    return datetime.combine(tomorrow, datetime.min.time()).timestamp()


def test_without_a_login_nothing_is_due() -> None:
    assert next_check_at(None, NOW) is None


def test_months_ahead_the_next_look_is_when_the_warning_begins() -> None:
    expires_at = NOW + 100 * DAY
    due = next_check_at(expires_at, NOW)
    assert due == expires_at - WARN_BEFORE_S
    assert assess(expires_at, due - 1, None).days_left is None
    assert assess(expires_at, due, None).days_left == 14


def test_in_the_warning_the_next_look_is_the_next_day_or_one_day_less() -> None:
    for hours in range(0, 24 * 14, 5):  # ends at every time of day, in the last 14 days
        expires_at = NOW + hours * 3600.0 + 17.0
        due = next_check_at(expires_at, NOW)
        assert due is not None and NOW < due <= next_midnight(NOW)
        before, after = assess(expires_at, due - 1, None), assess(expires_at, due, None)
        turned = datetime.fromtimestamp(due).date() != datetime.fromtimestamp(due - 1).date()
        assert turned or before.days_left != after.days_left  # something changes then


def test_past_the_end_the_reminder_is_due_each_day() -> None:
    assert next_check_at(NOW - 3 * DAY, NOW) == next_midnight(NOW)
