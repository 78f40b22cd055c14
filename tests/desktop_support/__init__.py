"""Real desktop services for end-to-end tests on a headless Linux machine.

Each service is a context manager that starts the real program in its own process
group, waits for a condition (a socket, a bus name, a property) with a deadline, and
kills the whole group on exit, also when the test fails. The programs come from apt;
``scripts/bootstrap.sh`` installs them. Call :func:`require_tools` first in a test: it
skips locally and fails under ``CI=true`` when something is missing.

Typical use::

    require_tools(*DESKTOP_TOOLS)
    with desktop_session(tmp_path) as desk:
        env = {**desk.env, "QT_QPA_PLATFORM": "xcb"}
        ...  # start the app with env, then read_sni_tooltip / desk.notifications
"""

from __future__ import annotations

import logging

from ._proc import ServiceError, wait_until
from .bus import (
    get_property,
    list_names,
    method_call,
    name_has_owner,
    session_bus,
    update_activation_environment,
    wait_for_name,
)
from .env import UNHURRIED_BUDGET, isolated_env, write_app_settings
from .keyrings import secret_service
from .notifications import (
    NotificationRecorder,
    NotifyCall,
    notification_server,
    record_notifications,
    send_notification,
    server_information,
)
from .session import DesktopSession, desktop_session
from .tools import missing_tools, require_tools
from .tray import (
    SniToolTip,
    TrayHost,
    read_sni_items,
    read_sni_property,
    read_sni_tooltip,
    read_sni_tooltip_parts,
    tray_host,
    wait_for_sni_items,
    wait_for_sni_tooltip,
)
from .xserver import pixel_at, screenshot, xvfb

logger = logging.getLogger(__name__)

#: Every external program the helpers here can start.
DESKTOP_TOOLS = (
    "Xvfb",
    "dbus-daemon",
    "xfce4-panel",
    "dunst",
    "gnome-keyring-daemon",
    "secret-tool",
    "import",
    "convert",
)

__all__ = [
    "DESKTOP_TOOLS",
    "UNHURRIED_BUDGET",
    "DesktopSession",
    "NotificationRecorder",
    "NotifyCall",
    "ServiceError",
    "SniToolTip",
    "TrayHost",
    "desktop_session",
    "get_property",
    "isolated_env",
    "list_names",
    "method_call",
    "missing_tools",
    "name_has_owner",
    "notification_server",
    "pixel_at",
    "read_sni_items",
    "read_sni_property",
    "read_sni_tooltip",
    "read_sni_tooltip_parts",
    "record_notifications",
    "require_tools",
    "screenshot",
    "secret_service",
    "send_notification",
    "server_information",
    "session_bus",
    "tray_host",
    "update_activation_environment",
    "wait_for_name",
    "wait_for_sni_items",
    "wait_for_sni_tooltip",
    "wait_until",
    "write_app_settings",
    "xvfb",
]
