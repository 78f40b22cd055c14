"""A private D-Bus session bus, and small jeepney helpers to talk to it."""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from jeepney import DBusAddress, Message, MessageType, Properties, new_method_call
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import DBusConnection, open_dbus_connection
from jeepney.wrappers import unwrap_msg

from ._proc import START_TIMEOUT, managed_process, read_line_from_fd, wait_until
from .env import isolated_env, socket_dir

logger = logging.getLogger(__name__)

CALL_TIMEOUT = 5.0
#: libdbus's ``_DBUS_MAX_SUN_PATH_LENGTH``.
DBUS_MAX_SUN_PATH = 99


@contextlib.contextmanager
def session_bus(env: Mapping[str, str] | None = None) -> Iterator[str]:
    """Start a private ``dbus-daemon --session`` and yield its address.

    ``env`` becomes the daemon's environment and therefore the environment of every
    service it activates (xfconfd, for one). Pass an :func:`isolated_env`; without one a
    throwaway isolated environment is made. The socket goes in ``XDG_RUNTIME_DIR`` when
    its path fits a Unix socket address, else in a short private directory in /tmp.
    """
    with contextlib.ExitStack() as stack:
        if env is None:
            root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bus-")))
            env = isolated_env(root)
        runtime = Path(env.get("XDG_RUNTIME_DIR") or stack.enter_context(_tempdir()))
        log_path = runtime / "dbus-daemon.log"
        # dbus-daemon names the socket "dbus-" + 10 random characters, and libdbus
        # refuses socket paths over 99 bytes ("Socket name too long").
        sockets = stack.enter_context(
            socket_dir(runtime, len("dbus-0123456789"), limit=DBUS_MAX_SUN_PATH)
        )
        read_fd, write_fd = os.pipe()
        stack.callback(os.close, read_fd)
        try:
            proc = stack.enter_context(
                managed_process(
                    [
                        "dbus-daemon",
                        "--session",
                        "--nofork",
                        "--nopidfile",
                        f"--address=unix:dir={sockets}",
                        f"--print-address={write_fd}",
                    ],
                    name="dbus-daemon",
                    env=env,
                    log_path=log_path,
                    pass_fds=(write_fd,),
                )
            )
        finally:
            os.close(write_fd)
        address = read_line_from_fd(
            read_fd, what="dbus-daemon address", proc=proc, log_path=log_path
        )
        logger.info("session bus at %s (pid %d)", address, proc.pid)
        yield address


@contextlib.contextmanager
def _tempdir() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="bus-run-") as path:
        os.chmod(path, 0o700)
        yield path


def connect(bus_address: str) -> DBusConnection:
    """Open a blocking jeepney connection to ``bus_address`` (close it when done)."""
    return open_dbus_connection(bus=bus_address)


def call(bus_address: str, message: Message, timeout: float = CALL_TIMEOUT) -> tuple[Any, ...]:
    """Send one method call on a fresh connection and return the reply body.

    Raises ``jeepney.wrappers.DBusErrorResponse`` if the reply is an error.
    """
    with connect(bus_address) as conn:
        reply = conn.send_and_get_reply(message, timeout=timeout)
    return tuple(unwrap_msg(reply))


def name_has_owner(bus_address: str, name: str) -> bool:
    """Whether ``name`` currently has an owner on the bus (never auto-starts it)."""
    (owned,) = call(bus_address, message_bus.NameHasOwner(name))
    return bool(owned)


def list_names(bus_address: str) -> list[str]:
    """All names on the bus, unique and well-known."""
    (names,) = call(bus_address, message_bus.ListNames())
    return list(names)


def wait_for_name(
    bus_address: str,
    name: str,
    *,
    timeout: float = START_TIMEOUT,
    proc: Any = None,
    log_path: Path | None = None,
) -> None:
    """Block until ``name`` is owned on the bus, or raise with the service's log."""
    wait_until(
        lambda: name_has_owner(bus_address, name),
        what=f"bus name {name}",
        timeout=timeout,
        proc=proc,
        log_path=log_path,
    )
    logger.debug("%s is owned on %s", name, bus_address)


def update_activation_environment(bus_address: str, variables: Mapping[str, str]) -> None:
    """Set variables in the environment of services the bus activates from now on."""
    call(bus_address, message_bus.UpdateActivationEnvironment(dict(variables)))


def get_property(
    bus_address: str,
    bus_name: str,
    object_path: str,
    interface: str,
    prop: str,
    timeout: float = CALL_TIMEOUT,
) -> tuple[str, Any]:
    """``org.freedesktop.DBus.Properties.Get``; returns ``(signature, value)``."""
    address = DBusAddress(object_path, bus_name=bus_name, interface=interface)
    (variant,) = call(bus_address, Properties(address).get(prop), timeout=timeout)
    signature, value = variant
    return signature, value


def method_call(
    bus_address: str,
    bus_name: str,
    object_path: str,
    interface: str,
    method: str,
    signature: str | None = None,
    body: tuple[Any, ...] = (),
    timeout: float = CALL_TIMEOUT,
) -> tuple[Any, ...]:
    """Call any method and return the reply body."""
    address = DBusAddress(object_path, bus_name=bus_name, interface=interface)
    return call(bus_address, new_method_call(address, method, signature, body), timeout)


def is_error(message: Message) -> bool:
    """Whether a received message is a D-Bus error reply."""
    return message.header.message_type is MessageType.error
