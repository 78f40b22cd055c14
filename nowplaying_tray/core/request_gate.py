"""Whether a process of its own (``now``) may ask Spotify now: the shared rate-limit
window and the day's request count both allow it. It sends nothing when they do not."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from nowplaying_tray.core.errors import BudgetSpent
from nowplaying_tray.core.text import LONG_WAIT_S

if TYPE_CHECKING:  # the command line imports this before it needs requests and keyring
    from nowplaying_tray.core.spotify_access import SpotifyAccess


def may_ask(access: SpotifyAccess) -> None:
    """Raise ``RateLimited`` or ``BudgetSpent`` (nothing sent) when a request must wait.

    File I/O (the shared window): not for the GUI thread.
    """
    gateway = access.gateway
    gateway.rate_limit.check()
    budget = gateway.budget
    # Without a login the gateway's own refusal says more than the count would.
    if budget is not None and access.settings.client_id and gateway.has_login():
        view = budget.view()
        if view.remaining <= 0:
            frees = view.frees_in_s if view.frees_in_s is not None else view.window_s
            raise BudgetSpent(view.spent, view.limit, frees)


def until_words(wait_s: float, wall_now: float | None = None) -> str:
    """ " Not asking Spotify until 14:05." for a short wait (a long one already names its
    time of day in its message); "" for none."""
    if wait_s <= 0 or wait_s >= LONG_WAIT_S:
        return ""
    at = (wall_now if wall_now is not None else time.time()) + max(wait_s, 1.0)
    return f" Not asking Spotify until {time.strftime('%H:%M', time.localtime(at))}."
