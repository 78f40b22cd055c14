"""The 6-month login: when to say that a new login is due.

Spotify's refresh token lives 6 months from the login, and refreshing does not
extend it. From ``WARN_BEFORE_S`` before the end the app says so, once a day (a
notification) and all along (a "Log in again" menu entry). The day of the last
reminder is kept in the state directory, so restarts do not repeat it. ``next_check_at``
says when the answer can next change, so the app looks again only then.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from nowplaying_tray.core.atomic import write_text_atomic
from nowplaying_tray.core.state_file import BadStateValue, read_state
from nowplaying_tray.core.token_store import KeyringTokenStore

logger = logging.getLogger(__name__)

WARN_BEFORE_S = 14 * 24 * 3600.0
FILE_NAME = "login_reminder.json"


@dataclass(frozen=True)
class LoginExpiry:
    days_left: int | None  # None: not within the warning period (or unknown)
    remind: bool = False  # say it now: the first check of the day in the period
    # When what is said can next change (wall clock); None without a stored login.
    next_check_at: float | None = None


def days_left(expires_at: float, now: float) -> int:
    return max(0, math.ceil((expires_at - now) / 86400))


def assess(expires_at: float | None, now: float, last_reminded: str | None) -> LoginExpiry:
    """Whether the login ends soon and whether today's reminder is still due."""
    if expires_at is None or expires_at - now > WARN_BEFORE_S:
        return LoginExpiry(None)
    today = datetime.fromtimestamp(now).date().isoformat()
    return LoginExpiry(days_left(expires_at, now), remind=last_reminded != today)


def next_check_at(expires_at: float | None, now: float) -> float | None:
    """When ``assess`` can next say something else: the warning period begins, the days
    left go down by one, or the day turns (the day's reminder). None without a login."""
    if expires_at is None:
        return None
    if expires_at - now > WARN_BEFORE_S:
        return expires_at - WARN_BEFORE_S
    tomorrow = datetime.fromtimestamp(now).date() + timedelta(days=1)
    midnight = datetime.combine(tomorrow, datetime.min.time()).timestamp()  # local time
    left = days_left(expires_at, now)
    if left == 0:
        return midnight  # ended: a reminder each day until a new login
    return min(midnight, expires_at - (left - 1) * 86400)


def reminder_text(days_left: int) -> tuple[str, str]:
    """The reminder's title and text."""
    if days_left <= 0:
        when = "today"
    elif days_left == 1:
        when = "tomorrow"
    else:
        when = f"in {days_left} days"
    return (
        "Spotify login ends soon",
        f"Spotify ends every login after 6 months; this one ends {when}. "
        "Choose Log in again (here or in the tray menu) to renew it.",
    )


def _reminded_day(data: Any) -> str:
    day = data.get("last_reminded") if isinstance(data, dict) else None
    if not isinstance(day, str):
        raise BadStateValue("no day")
    return date.fromisoformat(day[:10]).isoformat()  # ValueError if it is not a date


class LoginReminder:
    """Checks the stored login and remembers the day of the last reminder. Blocking
    (the keyring, a small file): run it on the worker."""

    def __init__(self, store: KeyringTokenStore, state_dir: Path) -> None:
        self.store = store
        self._path = state_dir / FILE_NAME

    def check(self, now: float) -> LoginExpiry:
        expires_at = self.store.login_expires_at()
        expiry = assess(expires_at, now, self._last_reminded())
        expiry = replace(expiry, next_check_at=next_check_at(expires_at, now))
        if expiry.remind:
            self._remember(datetime.fromtimestamp(now).date().isoformat())
        return expiry

    def _last_reminded(self) -> str | None:
        return read_state(self._path, _reminded_day)

    def _remember(self, day: str) -> None:
        try:
            write_text_atomic(self._path, json.dumps({"last_reminded": day}) + "\n")
        except OSError as exc:
            logger.warning("Could not remember the login reminder: %s", exc)
