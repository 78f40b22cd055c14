"""The session bus ending under a running app (a session closing, the end of
``dbus-run-session`` in docs/MPRIS.md) is an INFO line in the log, not an error."""

from __future__ import annotations

import logging
import sys
import threading

import pytest

from nowplaying_tray.logs import install_exception_hooks
from tests.desktop_support import require_tools
from tests.desktop_support.bus import session_bus


def test_the_bus_going_away_is_not_an_error(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    require_tools("dbus-daemon")
    from jeepney.io.threading import DBusRouter, open_dbus_connection

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    install_exception_hooks()
    caplog.set_level(logging.INFO)
    before = set(threading.enumerate())
    with session_bus() as address:
        router = DBusRouter(open_dbus_connection(bus=address))
        (receiver,) = [thread for thread in threading.enumerate() if thread not in before]
    receiver.join(timeout=10)  # the bus is gone: jeepney's reader meets the closed socket
    assert not receiver.is_alive()
    router.conn.close()
    assert not [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert "the bus went away" in caplog.text
