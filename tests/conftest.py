"""Shared test set-up.

Qt runs offscreen here (pytest-qt does not set it, and without a display Qt
aborts the whole run). Every test gets its own config, cache and data
directories and an in-memory keyring, so nothing touches the real user's files
or keychain.
"""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"

import threading
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from nowplaying_tray.core.gateway import SpotifyGateway
from nowplaying_tray.core.memory_keyring import MemoryKeyring
from nowplaying_tray.core.paths import AppPaths
from nowplaying_tray.core.settings import Settings
from nowplaying_tray.core.spotify_access import build_access
from nowplaying_tray.simulator import DEMO_CLIENT_ID, SpotifySimulator
from tests.support.browser import browser_command
from tests.support.cli import cli_environment
from tests.support.login import approve_login

_ENV_TO_CLEAR = (
    "SPOTIPY_CLIENT_ID",
    "NOWPLAYING_ACCOUNTS_URL",
    "NOWPLAYING_API_URL",
    "NOWPLAYING_LYRICS_URL",
    "PYTHON_KEYRING_BACKEND",
    "BROWSER",
)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppPaths:
    for name in _ENV_TO_CLEAR:
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "home"
    for var, sub in (
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_STATE_HOME", ".local/state"),
    ):
        (home / sub).mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.setenv("HOME", str(home))
    return AppPaths.default()


@pytest.fixture
def app_paths(isolated_home: AppPaths) -> AppPaths:
    return isolated_home


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def no_leaked_threads() -> Iterator[None]:
    """A test must not leave a non-daemon thread running (they crash later tests)."""
    before = set(threading.enumerate())
    yield
    leaked = [t for t in threading.enumerate() if t not in before and t.is_alive() and not t.daemon]
    assert not leaked, f"threads left running: {[t.name for t in leaked]}"


@pytest.fixture
def private_bus(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A private ``dbus-daemon --session`` for the test, named by DBUS_SESSION_BUS_ADDRESS."""
    from tests.desktop_support import require_tools
    from tests.desktop_support.bus import session_bus

    require_tools("dbus-daemon")
    with session_bus() as address:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
        yield address


@pytest.fixture
def sim() -> Iterator[SpotifySimulator]:
    with SpotifySimulator(auto_approve=True) as simulator:
        yield simulator


@pytest.fixture
def settings(sim: SpotifySimulator) -> Settings:
    return Settings(
        client_id=DEMO_CLIENT_ID,
        accounts_url=sim.accounts_url,
        api_url=sim.api_url,
        lyrics_url=sim.base_url,  # the simulator answers as LRCLIB too
        lyrics=False,  # on where a test asks: other tests count every request
        redirect_port=0,
        request_timeout_s=2.0,
        login_timeout_s=10.0,
    )


@pytest.fixture
def logged_in(settings: Settings, memory_keyring: MemoryKeyring) -> Settings:
    """Settings of an account that has logged in through the real flow."""
    approve_login(settings, memory_keyring)
    return settings


@pytest.fixture
def gateway(logged_in: Settings) -> SpotifyGateway:
    """The gateway of the logged-in account."""
    return build_access(logged_in).gateway


@pytest.fixture
def cli_env(tmp_path: Path, sim: SpotifySimulator) -> dict[str, str]:
    """The environment of a CLI process against ``sim``, with a file keyring and a browser
    that follows the login's redirects."""
    return cli_environment(sim, tmp_path / "test-keyring.json", browser_command(tmp_path))
