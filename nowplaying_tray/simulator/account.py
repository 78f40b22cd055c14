"""The simulated listener's account: subscription flags, profile and saved library."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from typing import Any

logger = logging.getLogger(__name__)


# The two wordings of the plain-text 403 for an account missing from the app's allow list.
NOT_ALLOW_LISTED_WORDINGS = {
    "check_settings": (
        "Check settings on developer.spotify.com/dashboard, the user may not be registered."
    ),
    "dashboard": "User not registered in the Developer Dashboard",
}


def default_user() -> dict[str, Any]:
    """The /v1/me body of a development-mode app: no ``product`` and no ``followers``
    (February 2026), and the stable ``account_id`` (May 2026)."""
    user_id = "demo-listener"
    return {
        "account_id": "7Hq2mZ4vXc9LpR3sT6wY1b",
        "display_name": "Demo Listener",
        "external_urls": {"spotify": f"https://open.spotify.com/user/{user_id}"},
        "href": f"https://api.spotify.com/v1/users/{user_id}",
        "id": user_id,
        "images": [],
        "type": "user",
        "uri": f"spotify:user:{user_id}",
    }


class Account:
    """Flags that gate the Web API plus the listener's saved items."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.premium = True  # the listener; False => player commands 403
        self.owner_premium = True  # the app owner; False => every call 403
        self.allow_listed = True  # listener on the app's allow list; False => every call 403
        self.not_allow_listed_wording = "check_settings"  # a key of NOT_ALLOW_LISTED_WORDINGS
        self.user: dict[str, Any] = default_user()
        self._library: set[str] = set()

    def save(self, uris: Iterable[str]) -> None:
        with self._lock:
            self._library.update(uris)

    def remove(self, uris: Iterable[str]) -> None:
        with self._lock:
            self._library.difference_update(uris)

    def contains(self, uris: Iterable[str]) -> list[bool]:
        with self._lock:
            return [uri in self._library for uri in uris]
