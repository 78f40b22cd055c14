"""Honest words while the daily request budget slows or stops polling.

Shown in the tooltip, the card and the menu whenever background polling has come
down to item ends (the budget is into its reserve) or waits for requests to leave
the rolling window: what is shown may then be out of date, and the person should
know why and when the next look is, never "connecting" or "Log in".
"""

from __future__ import annotations

import time

from nowplaying_tray.core.budget import BudgetView

OUT_OF_DATE = "may be out of date"


def budget_notice(
    view: BudgetView | None,
    reserve_share: float,
    next_check_in_s: float | None,
    wall_now: float | None = None,
) -> str | None:
    """One line when the budget holds polling back, else None."""
    if view is None or view.remaining > view.limit * reserve_share:
        return None
    used = f"({view.spent:,} of {view.limit:,} used)"
    when = ""
    if next_check_in_s is not None:
        at = (wall_now if wall_now is not None else time.time()) + max(0.0, next_check_in_s)
        when = f" — next check {time.strftime('%H:%M', time.localtime(at))}"
    if view.remaining <= 0:
        return f"Spotify's daily limit is reached {used}; checking as requests free up{when}"
    return f"Checking less often to stay within Spotify's daily limit {used}{when}"
