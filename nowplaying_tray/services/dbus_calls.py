"""Method calls on the D-Bus thread, and D-Bus values made plain Python.

A call that fails (an error reply, a peer that quit, no reply in time) is logged
and gives None: a misbehaving player must never break the app's D-Bus thread.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # dbus-fast itself is imported on the D-Bus thread
    from dbus_fast.aio import MessageBus

logger = logging.getLogger(__name__)

CALL_TIMEOUT_S = 2.0
PROPERTIES = "org.freedesktop.DBus.Properties"


async def call(
    bus: MessageBus,
    destination: str,
    path: str,
    interface: str,
    member: str,
    signature: str = "",
    body: list[Any] | None = None,
) -> list[Any] | None:
    """The reply's body; None (logged) for an error reply or no reply in time."""
    import asyncio  # with dbus-fast, only on the D-Bus thread

    from dbus_fast import Message, MessageType

    message = Message(
        destination=destination,
        path=path,
        interface=interface,
        member=member,
        signature=signature,
        body=body or [],
    )
    try:
        reply = await asyncio.wait_for(bus.call(message), CALL_TIMEOUT_S)
    except Exception as exc:  # a player that quit mid-call, a bus that went away
        logger.info("D-Bus %s.%s on %s failed: %s", interface, member, destination, exc)
        return None
    if reply is None or reply.message_type is MessageType.ERROR:
        logger.info(
            "D-Bus %s.%s on %s: %s", interface, member, destination, reply and reply.error_name
        )
        return None
    return list(reply.body)


async def get_property(bus: MessageBus, name: str, path: str, interface: str, prop: str) -> Any:
    """One property, as a plain value; None if it cannot be read."""
    reply = await call(bus, name, path, PROPERTIES, "Get", "ss", [interface, prop])
    return plain(reply[0]) if reply else None


def unwrap(values: Any) -> dict[str, Any]:
    """A property dict (``a{sv}``) with plain values."""
    if not isinstance(values, dict):
        return {}
    return {str(key): plain(value) for key, value in values.items()}


def plain(value: Any) -> Any:
    """Variants (nested, as in Metadata) to plain Python values."""
    from dbus_fast import Variant

    while isinstance(value, Variant):
        value = value.value
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return value
