"""One call that brings up a whole headless desktop for an end-to-end test."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .bus import session_bus
from .env import isolated_env
from .keyrings import secret_service
from .notifications import NotificationRecorder, notification_server
from .tray import TrayHost, tray_host
from .xserver import xvfb

logger = logging.getLogger(__name__)


@dataclass
class DesktopSession:
    """What :func:`desktop_session` started.

    ``env`` is a complete environment for a process under test: isolated HOME/XDG
    directories, ``DISPLAY``, ``DBUS_SESSION_BUS_ADDRESS`` and, with ``secrets=True``,
    the keyring variables. It sets no ``QT_QPA_PLATFORM``; add ``"xcb"`` yourself.
    """

    display: str
    bus_address: str
    env: dict[str, str]
    tray: TrayHost | None = None
    notifications: NotificationRecorder | None = None
    secret_env: dict[str, str] = field(default_factory=dict)


@contextlib.contextmanager
def desktop_session(
    tmp_path: Path,
    *,
    tray: bool = True,
    notifications: bool = True,
    secrets: bool = False,
    display_size: str = "1280x800x24",
    panel_edge: str = "top",
) -> Iterator[DesktopSession]:
    """Xvfb + private session bus, plus an optional tray host, dunst and keyring.

    Everything is stopped again on exit, in reverse order, even if the test fails.
    """
    root = tmp_path / "desktop"
    env = isolated_env(root / "session")
    with contextlib.ExitStack() as stack:
        display = stack.enter_context(xvfb(display_size, log_dir=root))
        env["DISPLAY"] = display
        bus_address = stack.enter_context(session_bus(env))
        env["DBUS_SESSION_BUS_ADDRESS"] = bus_address
        session = DesktopSession(display=display, bus_address=bus_address, env=env)
        # The tray host first: it must be the one that activates xfconfd.
        if tray:
            session.tray = stack.enter_context(tray_host(env, root, edge=panel_edge))
        if notifications:
            session.notifications = stack.enter_context(notification_server(env, root))
        if secrets:
            session.secret_env = stack.enter_context(secret_service(bus_address, root))
            env.update(session.secret_env)
        yield session
