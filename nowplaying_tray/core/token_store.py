"""The login token, kept in the OS keyring and nowhere else.

``KeyringTokenStore`` is the spotipy ``CacheHandler`` seam: spotipy reads and
saves tokens through it. It keeps an in-memory copy (so a poll does not hit the
keyring every time), writes through on every save, and is safe to use from
several threads. A backend that would keep the token in plain text is refused
unless the person chose it explicitly.

The login date is kept with the token (``logged_in_at``): Spotify's refresh
token lives 6 months from the login and refreshing does not extend it, so the
app can say in time that a new login is due.
"""

from __future__ import annotations

import json
import logging
import math
import os
import threading
import time
from collections.abc import Callable
from typing import Any

import keyring
import keyring.backend
import keyring.errors
from keyring.backends.chainer import ChainerBackend

from nowplaying_tray.core.errors import KeyringUnavailable
from nowplaying_tray.core.json_reader import read_json
from nowplaying_tray.core.spotipy_loader import CacheHandler

logger = logging.getLogger(__name__)

SERVICE_NAME = "nowplaying-tray"

# Backends that keep nothing or keep secrets in plain files; we never pick one silently.
_INSECURE_BACKEND_PREFIXES = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")

TokenInfo = dict[str, Any]

LOGGED_IN_AT = "logged_in_at"  # wall-clock seconds of the login this refresh token came from
LOGIN_LIFETIME_S = 182 * 24 * 3600.0  # "6 months from the login"; a day early is safe
EXPIRY_MARGIN_S = 60  # spotipy renews an access token this long before it expires
_CHECK_SUFFIX = ".check"  # the keyring entry written and removed before a login


def _name(backend: keyring.backend.KeyringBackend) -> str:
    return f"{type(backend).__module__}.{type(backend).__name__}"


def _acceptable(backend: keyring.backend.KeyringBackend) -> bool:
    name = _name(backend)
    if name.startswith(_INSECURE_BACKEND_PREFIXES[:2]):
        return False
    # A plain-text backend only when the person asked for it by name.
    return not name.startswith(_INSECURE_BACKEND_PREFIXES[2]) or bool(
        os.environ.get("PYTHON_KEYRING_BACKEND")
    )


def secure_backend(
    backend: keyring.backend.KeyringBackend | None = None,
) -> keyring.backend.KeyringBackend:
    """The backend to keep tokens in; ``KeyringUnavailable`` if none is safe.

    keyring's chainer would fall through to any installed backend, plain-text
    files included, when the Secret Service fails; we take its best safe one.
    """
    backend = backend or keyring.get_keyring()
    if isinstance(backend, ChainerBackend):
        safe: list[keyring.backend.KeyringBackend] = [
            candidate for candidate in backend.backends if _acceptable(candidate)
        ]
        if not safe:
            raise KeyringUnavailable()
        return safe[0]
    if not _acceptable(backend):
        raise KeyringUnavailable()
    return backend


class KeyringTokenStore(CacheHandler):
    """Thread-safe token storage on the keyring: service ``nowplaying-tray``, user = client ID."""

    def __init__(
        self,
        client_id: str,
        backend: keyring.backend.KeyringBackend | None = None,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.client_id = client_id
        self._backend = backend
        self._wall_clock = wall_clock
        self._lock = threading.Lock()
        self._cached: TokenInfo | None = None
        self._loaded = False

    # spotipy's CacheHandler interface -----------------------------------------

    def get_cached_token(self) -> TokenInfo | None:
        with self._lock:
            if not self._loaded:
                self._cached = self._read()
                self._loaded = True
            return dict(self._cached) if self._cached else None

    def save_token_to_cache(self, token_info: TokenInfo) -> None:
        if (problem := token_problem(token_info)) is not None:
            raise ValueError(f"a token answer {problem}")  # the login's caller says it failed
        token_info = dict(token_info)
        with self._lock:
            previous = self._cached if self._loaded else None
            same_login = previous is not None and previous.get("refresh_token") == token_info.get(
                "refresh_token"
            )
            if same_login and previous is not None and previous.get(LOGGED_IN_AT) is not None:
                token_info[LOGGED_IN_AT] = previous[LOGGED_IN_AT]  # a refresh: same login
            elif not same_login:
                token_info[LOGGED_IN_AT] = self._wall_clock()  # a new refresh token: a login
            self._write(json.dumps(token_info))
            self._cached = dict(token_info)
            self._loaded = True
        logger.debug("Token saved to the keyring")

    # our own --------------------------------------------------------------------

    def check_available(self) -> None:
        """Raise ``KeyringUnavailable`` now if no safe keyring can hold a login.

        A locked Secret Service is found here too (its unlock prompt, if any, shows
        now), not when the token is saved after the whole browser login.
        """
        backend = secure_backend(self._backend)
        # Told by its module, not imported to compare: it brings secretstorage and
        # cryptography (about 7 MiB), which a test's or the demo's keyring never needs.
        if type(backend).__module__ == "keyring.backends.SecretService":
            try:
                locked = _secret_service_locked(backend)
            except Exception as exc:  # D-Bus errors of every kind
                raise _unavailable(exc) from exc
            if locked:
                raise _unavailable(keyring.errors.KeyringLocked())
        _write_read_delete(backend, self.client_id + _CHECK_SUFFIX)

    def cannot_renew(self) -> bool:
        """Whether the stored access token has expired with no refresh token to renew it."""
        token = self.get_cached_token()
        if token is None or token.get("refresh_token"):
            return False
        return bool(token["expires_at"] - self._wall_clock() < EXPIRY_MARGIN_S)

    def has_token(self) -> bool:
        return self.get_cached_token() is not None

    def login_expires_at(self) -> float | None:
        """When the stored login ends (wall clock), or None if unknown or logged out.

        A token stored before the login date was kept has no date: unknown.
        """
        token = self.get_cached_token()
        logged_in_at = token.get(LOGGED_IN_AT) if token else None
        if not isinstance(logged_in_at, int | float):
            return None
        return float(logged_in_at) + LOGIN_LIFETIME_S

    def delete(self) -> None:
        with self._lock:
            try:
                self._keyring().delete_password(SERVICE_NAME, self.client_id)
            except keyring.errors.PasswordDeleteError:
                pass  # nothing stored: already logged out
            except KeyringUnavailable:
                raise
            except Exception as exc:  # backends raise their own types (D-Bus, locked, ...)
                raise _unavailable(exc) from exc
            self._cached = None
            self._loaded = True
        logger.info("Token removed from the keyring")

    def forget_memory_copy(self) -> None:
        """Drop the in-memory copy so the next read goes to the keyring again."""
        with self._lock:
            self._cached, self._loaded = None, False

    @property
    def place(self) -> str:
        """Where the login is kept, in words for the log."""
        return str(getattr(self._keyring(), "place", "the system keyring"))

    def _keyring(self) -> keyring.backend.KeyringBackend:
        return secure_backend(self._backend)

    def _read(self) -> TokenInfo | None:
        if not self.client_id:
            # No app registered, so no login can exist: do not wake (or wait on) a keyring.
            return None
        try:
            raw = self._keyring().get_password(SERVICE_NAME, self.client_id)
        except KeyringUnavailable:
            raise
        except Exception as exc:  # backends raise their own types (D-Bus, locked, ...)
            raise _unavailable(exc) from exc
        if not raw:
            return None
        try:
            token: TokenInfo | None = read_json(raw)
        except ValueError:
            token = None
        if token is None or token_problem(token) is not None:
            logger.warning("The stored login could not be used; a new login is needed")
            return None
        logged_in_at = token.get(LOGGED_IN_AT)
        if logged_in_at is not None and not _finite(logged_in_at):
            del token[LOGGED_IN_AT]  # unknown, as for a token stored before it was kept
        return token

    def _write(self, raw: str) -> None:
        try:
            self._keyring().set_password(SERVICE_NAME, self.client_id, raw)
        except KeyringUnavailable:
            raise
        except Exception as exc:  # backends raise their own types (D-Bus, locked, ...)
            raise _unavailable(exc) from exc


def token_problem(token: Any) -> str | None:
    """Why ``token`` (as answered by Spotify, or as stored) cannot be used; None when it can."""
    if not isinstance(token, dict):
        return "is not an object"
    if not isinstance(token.get("access_token"), str) or not token["access_token"]:
        return "has no access token"
    if not _finite(token.get("expires_at")):
        return "has no usable expiry time"
    if not isinstance(token.get("refresh_token", ""), str | None):
        return "has a refresh token that is not text"
    return None


def _finite(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and abs(value) < 1e15  # a 400-digit number is no time
    )


def _write_read_delete(backend: keyring.backend.KeyringBackend, user: str) -> None:
    """A real round trip through ``backend``: a keyring that fails it fails before a login
    starts, not after the browser has come back."""
    probe = "nowplaying-tray keyring check"
    try:
        backend.set_password(SERVICE_NAME, user, probe)
        read_back = backend.get_password(SERVICE_NAME, user)
        backend.delete_password(SERVICE_NAME, user)
    except Exception as exc:  # backends raise their own types (D-Bus, locked, ...)
        raise _unavailable(exc) from exc
    if read_back != probe:
        raise KeyringUnavailable(
            "Your system keyring did not give back what was written to it, so a login "
            "cannot be kept there."
        )


def _secret_service_locked(backend: keyring.backend.KeyringBackend) -> bool:
    """Whether the Secret Service collection stays locked after asking to unlock it.

    keyring does the same inside every call, but leaves its D-Bus connection open.
    """
    import secretstorage

    connection = secretstorage.dbus_init()
    try:
        name = getattr(backend, "preferred_collection", None)
        collection = (
            secretstorage.Collection(connection, name)
            if name
            else secretstorage.get_default_collection(connection)
        )
        if collection.is_locked():
            collection.unlock()  # the desktop's unlock prompt, where it has one
        return bool(collection.is_locked())
    finally:
        connection.close()


def _unavailable(exc: Exception) -> KeyringUnavailable:
    # Some backends raise with no message; a locked keyring says "Prompt dismissed".
    logger.warning("Keyring error: %s", type(exc).__name__)
    detail = str(exc).strip()
    error = KeyringUnavailable()
    if isinstance(exc, keyring.errors.KeyringLocked):
        error = KeyringUnavailable(
            "Your system keyring is locked, so the login cannot be read or saved. "
            "Unlock it (for example by logging in to your desktop session); the app retries."
        )
    if detail:
        error = KeyringUnavailable(f"{error.message} ({detail})")
    return error
