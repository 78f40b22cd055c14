"""What the setup and settings windows say about a typed client ID."""

from __future__ import annotations

import logging

from nowplaying_tray.core.settings import is_valid_client_id

logger = logging.getLogger(__name__)

CLIENT_ID_RULE = "A client ID is 32 characters of 0–9 and a–f"


def client_id_problem(text: str) -> str | None:
    """Why ``text`` is not a client ID, in words; None when it is one (or still empty)."""
    value = text.strip()
    if not value or is_valid_client_id(value):
        return None
    for char in value:
        if char not in "0123456789abcdefABCDEF":
            shown = "a space" if char.isspace() else f"“{char}”"
            return f"{CLIENT_ID_RULE}; {shown} is not one of them."
    return f"{CLIENT_ID_RULE}; this one has {len(value)}."


__all__ = ["CLIENT_ID_RULE", "client_id_problem"]
