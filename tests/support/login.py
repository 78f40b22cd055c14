"""Logging in against the simulator from tests, through the real login flow."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin

import keyring.backend
import requests

from nowplaying_tray.core.settings import Settings
from nowplaying_tray.core.spotify_access import build_access


def follow_redirects(url: str) -> bool:
    """A user agent that follows the authorize redirect (the simulator auto-approves)."""
    requests.get(url, timeout=10)
    return True


class _FormReader(HTMLParser):
    """Reads the consent page's form: its action and its hidden fields."""

    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.action = values.get("action", "")
        elif tag == "input" and values.get("type") == "hidden":
            self.fields[values.get("name", "")] = values.get("value", "")


def answer_consent(url: str, decision: str) -> requests.Response:
    """Open the consent page and press Agree or Cancel, as a person would."""
    session = requests.Session()
    page = session.get(url, timeout=10)
    page.raise_for_status()
    reader = _FormReader()
    reader.feed(page.text)
    if reader.action is None:
        return page  # auto-approved: the redirect already reached the app
    fields = {**reader.fields, "decision": decision}
    return session.post(urljoin(page.url, reader.action), data=fields, timeout=10)


def approve_login(settings: Settings, backend: keyring.backend.KeyringBackend) -> None:
    core = build_access(settings, keyring_backend=backend)
    core.login_flow(open_url=follow_redirects).run()
    assert core.store.has_token()
