from __future__ import annotations

import threading

import keyring
import pytest
from keyring.backends import fail

from nowplaying_tray.core.errors import KeyringUnavailable
from nowplaying_tray.core.memory_keyring import MemoryKeyring
from nowplaying_tray.core.token_store import LOGGED_IN_AT, LOGIN_LIFETIME_S, KeyringTokenStore

TOKEN = {"access_token": "A", "refresh_token": "R", "expires_at": 1, "scope": "x"}


def without_date(token: dict | None) -> dict | None:
    return {k: v for k, v in token.items() if k != LOGGED_IN_AT} if token else token


def test_round_trip_through_the_keyring(memory_keyring: MemoryKeyring) -> None:
    store = KeyringTokenStore("client-1")
    assert store.get_cached_token() is None
    store.save_token_to_cache(TOKEN)
    assert memory_keyring.get_password("nowplaying-tray", "client-1")
    fresh = KeyringTokenStore("client-1")
    assert without_date(fresh.get_cached_token()) == TOKEN
    fresh.delete()
    assert KeyringTokenStore("client-1").get_cached_token() is None


def test_reads_are_served_from_memory_after_the_first(memory_keyring: MemoryKeyring) -> None:
    store = KeyringTokenStore("client-1")
    store.save_token_to_cache(TOKEN)
    memory_keyring.delete_password("nowplaying-tray", "client-1")
    assert without_date(store.get_cached_token()) == TOKEN  # the in-memory copy


def test_delete_when_nothing_stored_is_fine() -> None:
    KeyringTokenStore("nobody").delete()


def test_no_backend_is_a_clear_error() -> None:
    store = KeyringTokenStore("client-1", backend=fail.Keyring())
    with pytest.raises(KeyringUnavailable, match="PYTHON_KEYRING_BACKEND"):
        store.get_cached_token()
    with pytest.raises(KeyringUnavailable):
        store.save_token_to_cache(TOKEN)


def test_plaintext_backend_is_refused_unless_chosen(monkeypatch: pytest.MonkeyPatch) -> None:
    class PlaintextLike(MemoryKeyring):
        pass

    PlaintextLike.__module__ = "keyrings.alt.file"
    store = KeyringTokenStore("client-1", backend=PlaintextLike())
    with pytest.raises(KeyringUnavailable):
        store.save_token_to_cache(TOKEN)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    store.save_token_to_cache(TOKEN)


def test_backend_errors_become_keyring_unavailable() -> None:
    class Locked(MemoryKeyring):
        def get_password(self, service: str, username: str) -> str | None:
            raise keyring.errors.KeyringLocked("Prompt dismissed")

    with pytest.raises(KeyringUnavailable, match="Prompt dismissed"):
        KeyringTokenStore("client-1", backend=Locked()).get_cached_token()


def test_garbage_in_the_keyring_means_logged_out(memory_keyring: MemoryKeyring) -> None:
    memory_keyring.set_password("nowplaying-tray", "client-1", "{not json")
    assert KeyringTokenStore("client-1").get_cached_token() is None


def test_concurrent_saves_leave_one_consistent_token() -> None:
    store = KeyringTokenStore("client-1")
    tokens = [TOKEN | {"access_token": f"A{i}"} for i in range(20)]
    threads = [threading.Thread(target=store.save_token_to_cache, args=(t,)) for t in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert store.get_cached_token() == KeyringTokenStore("client-1").get_cached_token()


def test_chainer_never_falls_through_to_plain_text(monkeypatch: pytest.MonkeyPatch) -> None:
    from keyring.backends.chainer import ChainerBackend

    from nowplaying_tray.core.token_store import secure_backend

    class PlaintextLike(MemoryKeyring):
        pass

    PlaintextLike.__module__ = "keyrings.alt.file"
    safe, plain = MemoryKeyring(), PlaintextLike()
    monkeypatch.setattr(ChainerBackend, "backends", property(lambda self: [safe, plain]))
    assert secure_backend(ChainerBackend()) is safe
    monkeypatch.setattr(ChainerBackend, "backends", property(lambda self: [plain]))
    with pytest.raises(KeyringUnavailable):
        secure_backend(ChainerBackend())


def test_the_login_date_is_kept_with_the_token_and_refreshes_keep_it() -> None:
    now = [1_800_000_000.0]
    store = KeyringTokenStore("client-1", wall_clock=lambda: now[0])
    store.save_token_to_cache(TOKEN)  # the login
    assert store.login_expires_at() == 1_800_000_000.0 + LOGIN_LIFETIME_S
    now[0] += 90 * 86400
    # spotipy's refresh saves a new access token with the same refresh token.
    store.save_token_to_cache({"access_token": "B", "refresh_token": "R", "expires_at": 2})
    fresh = KeyringTokenStore("client-1", wall_clock=lambda: now[0])
    assert fresh.get_cached_token()[LOGGED_IN_AT] == 1_800_000_000.0  # type: ignore[index]
    fresh.save_token_to_cache({**TOKEN, "refresh_token": "R2"})  # a new login
    assert fresh.login_expires_at() == now[0] + LOGIN_LIFETIME_S


def test_a_token_from_before_the_date_was_kept_has_no_end(
    memory_keyring: MemoryKeyring,
) -> None:
    import json

    memory_keyring.set_password("nowplaying-tray", "client-1", json.dumps(TOKEN))
    store = KeyringTokenStore("client-1")
    assert store.login_expires_at() is None
    store.save_token_to_cache({**TOKEN, "access_token": "B"})  # refreshed: still unknown
    assert store.login_expires_at() is None


def test_without_a_client_id_the_keyring_is_never_asked() -> None:
    # A keyring that fails at every call: touching it would raise KeyringUnavailable.
    store = KeyringTokenStore("", backend=fail.Keyring())
    assert store.get_cached_token() is None
    assert store.login_expires_at() is None
