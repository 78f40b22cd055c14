"""Notification bodies reach servers that render markup as the text they are."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from nowplaying_tray.bus.thread import BusThread
from nowplaying_tray.services.notifications.desktop import DesktopNotifications, Notification
from tests.desktop_support.plain_notifications import CapabilityServer, capability_server

BODY = "Tom & Jerry <img src='file:///etc/hostname'> — <b>Album</b>"


def _notify(qtbot: QtBot, server: CapabilityServer) -> tuple[str, str]:
    bus = BusThread("test-bus")
    notifier = DesktopNotifications(bus)
    try:
        notifier.show(Notification("<i>Title</i>", BODY))
        qtbot.waitUntil(lambda: bool(server.notified), timeout=5000)
    finally:
        bus.close()
    return server.notified[0]


def test_body_is_escaped_for_a_markup_server(qtbot: QtBot, private_bus: str) -> None:
    with capability_server(private_bus, ["body", "body-markup", "actions"]) as server:
        summary, body = _notify(qtbot, server)
    escaped = "Tom &amp; Jerry &lt;img src='file:///etc/hostname'&gt; — &lt;b&gt;Album&lt;/b&gt;"
    assert body == escaped
    assert summary == "<i>Title</i>"  # the summary is plain text by the spec


def test_body_is_left_alone_for_a_plain_server(qtbot: QtBot, private_bus: str) -> None:
    with capability_server(private_bus, ["body", "actions"]) as server:
        _summary, body = _notify(qtbot, server)
    assert body == BODY
