"""Hermetic environments for desktop services and the processes under test."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

logger = logging.getLogger(__name__)

#: Variables copied from the test runner's environment; everything else is dropped so
#: the user's real session (bus, display, keyring, Qt platform) cannot leak in.
PASSTHROUGH = (
    "PATH",
    "LANG",
    "LC_ALL",
    "LC_CTYPE",
    "TZ",
    "TMPDIR",
    "USER",
    "LOGNAME",
    "PYTHONPATH",
    "VIRTUAL_ENV",
    "CI",
)


def isolated_env(root: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Build an environment whose HOME and XDG directories all live under ``root``.

    ``XDG_RUNTIME_DIR`` is created with mode 0700, as D-Bus and gnome-keyring demand.
    Accessibility bus activation is switched off (``NO_AT_BRIDGE``) because nothing in a
    test needs it and it would otherwise write into the real home directory.
    """
    dirs = {
        "HOME": root / "home",
        "XDG_CONFIG_HOME": root / "config",
        "XDG_DATA_HOME": root / "data",
        "XDG_CACHE_HOME": root / "cache",
        "XDG_STATE_HOME": root / "state",
        "XDG_RUNTIME_DIR": root / "runtime",
    }
    for path in dirs.values():
        path.mkdir(parents=True, exist_ok=True)
    dirs["XDG_RUNTIME_DIR"].chmod(0o700)

    env = {name: os.environ[name] for name in PASSTHROUGH if name in os.environ}
    env.setdefault("PATH", os.defpath)
    env.setdefault("LANG", "C.UTF-8")
    env.update({name: str(path) for name, path in dirs.items()})
    env["NO_AT_BRIDGE"] = "1"
    env["GTK_A11Y"] = "none"
    if extra:
        env.update(extra)
    return env


#: ``sizeof(sockaddr_un.sun_path)`` on Linux, minus the terminating NUL.
SUN_PATH_MAX = 107


@contextlib.contextmanager
def socket_dir(preferred: Path, longest_name: int, limit: int = SUN_PATH_MAX) -> Iterator[Path]:
    """A 0700 directory for Unix sockets: ``preferred`` if the paths fit, else a short one.

    Unix socket paths are limited to 107 bytes (``limit``; libdbus allows only 99), and
    pytest's ``tmp_path`` under a
    nested ``/tmp/pytest-of-USER/...`` is often too deep for a socket plus a random
    name (``dbus-daemon`` then fails with "Socket name too long"). The fallback is a
    fresh directory directly in the system temp dir, removed on exit.
    """
    if len(os.fsencode(preferred)) + 1 + longest_name <= limit:
        preferred.mkdir(parents=True, exist_ok=True)
        preferred.chmod(0o700)
        yield preferred
        return
    short = Path(tempfile.mkdtemp(prefix="dt-", dir="/tmp" if os.path.isdir("/tmp") else None))
    logger.debug("%s is too long for sockets; using %s", preferred, short)
    try:
        yield short
    finally:
        shutil.rmtree(short, ignore_errors=True)


def write_app_settings(env: Mapping[str, str], values: Mapping[str, object]) -> Path:
    """The app's settings.json in ``env``'s config directory, as a person would write it."""
    import json

    folder = Path(env["XDG_CONFIG_HOME"]) / "nowplaying-tray"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "settings.json"
    path.write_text(json.dumps(dict(values)))
    return path


#: A request budget so large that the schedule polls at the playing interval (5 s) all
#: day: for the tests that watch a skip made on another device reach the desktop within
#: seconds, not the default budget's paced minute.
UNHURRIED_BUDGET = {"daily_request_budget": 1_000_000}
