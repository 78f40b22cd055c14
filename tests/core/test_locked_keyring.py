"""A locked Secret Service (gnome-keyring on a private bus) is found before the browser opens."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import secretstorage
from keyring.backends import SecretService

from nowplaying_tray.core.errors import KeyringUnavailable
from nowplaying_tray.core.settings import Settings
from nowplaying_tray.core.spotify_access import build_access
from tests.desktop_support import require_tools
from tests.desktop_support.bus import session_bus
from tests.desktop_support.env import isolated_env
from tests.desktop_support.keyrings import secret_service

pytestmark = pytest.mark.desktop


@pytest.fixture
def locked_keyring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    require_tools("dbus-daemon", "gnome-keyring-daemon")
    env = isolated_env(tmp_path / "session")
    with session_bus(env) as bus, secret_service(bus, tmp_path) as secret_env:
        for name, value in secret_env.items():
            monkeypatch.setenv(name, value)
        connection = secretstorage.dbus_init()
        try:
            collection = secretstorage.get_default_collection(connection)
            collection.lock()
            assert collection.is_locked()
        finally:
            connection.close()
        yield


def test_a_locked_keyring_fails_before_the_browser(
    settings: Settings, locked_keyring: None
) -> None:
    opened: list[str] = []
    core = build_access(settings, keyring_backend=SecretService.Keyring())
    with pytest.raises(KeyringUnavailable, match="keyring is locked"):
        core.login_flow(open_url=opened.append).run()
    assert opened == []
