"""spotipy's PKCE auth manager, configured for this app and never interactive.

spotipy starts a browser and a blocking local server from inside any API call
when it finds no token. A background poll must never do that, so this subclass
raises ``AuthRequired`` instead; the login runs as explicit steps in ``login``.
"""

from __future__ import annotations

import logging
from typing import Any, NoReturn

import requests

from nowplaying_tray.core.errors import AuthRequired
from nowplaying_tray.core.settings import Settings
from nowplaying_tray.core.spotipy_loader import SpotifyPKCE
from nowplaying_tray.core.token_store import KeyringTokenStore

logger = logging.getLogger(__name__)

SCOPES = (
    "user-read-playback-state",
    "user-read-currently-playing",
    "user-modify-playback-state",
    "user-library-read",
    "user-library-modify",
)


class NonInteractivePKCE(SpotifyPKCE):
    """A ``SpotifyPKCE`` that refuses to start a login on its own."""

    def _get_auth_response(self, open_browser: Any = None) -> NoReturn:
        raise AuthRequired()

    def get_authorization_code(self, response: Any = None) -> str:
        if response:
            code: str = super().get_authorization_code(response)
            return code
        raise AuthRequired()


def make_auth_manager(
    settings: Settings,
    store: KeyringTokenStore,
    session: requests.Session,
    redirect_uri: str | None = None,
) -> NonInteractivePKCE:
    manager = NonInteractivePKCE(
        client_id=settings.client_id,
        redirect_uri=redirect_uri or settings.redirect_uri,
        scope=" ".join(SCOPES),
        cache_handler=store,
        requests_session=session,
        requests_timeout=settings.request_timeout_s,
        open_browser=False,
    )
    # Instance attributes, so the simulator is swapped in by configuration alone.
    manager.OAUTH_AUTHORIZE_URL = f"{settings.accounts_url}/authorize"
    manager.OAUTH_TOKEN_URL = f"{settings.accounts_url}/api/token"
    return manager
