"""A real notification server (dunst) plus a recorder of every ``Notify`` call on the bus.

The recorder is a D-Bus *monitor* (``org.freedesktop.DBus.Monitoring.BecomeMonitor``,
the mechanism ``dbus-monitor`` uses) on its own jeepney connection, read by a thread. It
sees the call exactly as the sender marshalled it, including ``replaces_id`` and hints,
and it pairs each call with the server's reply, so ``NotifyCall.reply_id`` is the id the
server handed back (or ``reply_error`` says why the call was rejected).
"""

from __future__ import annotations

import contextlib
import logging
import tempfile
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jeepney import DBusAddress, HeaderFields, Message, MessageType, new_method_call
from jeepney.bus_messages import Monitoring
from jeepney.io.blocking import DBusConnection
from jeepney.wrappers import unwrap_msg

from ._proc import managed_process
from .bus import call, connect, wait_for_name

logger = logging.getLogger(__name__)

NOTIFICATIONS_NAME = "org.freedesktop.Notifications"
NOTIFICATIONS_PATH = "/org/freedesktop/Notifications"
NOTIFICATIONS_IFACE = "org.freedesktop.Notifications"
NOTIFY_SIGNATURE = "susssasa{sv}i"

DUNSTRC = """\
[global]
    monitor = 0
    follow = none
    width = 300
    height = 120
    origin = top-right
    offset = 10x40
    font = DejaVu Sans 10
    browser = /bin/false
    dmenu = /bin/false
    mouse_left_click = close_current
    show_indicators = no
    sticky_history = no
    history_length = 0
    idle_threshold = 0

[urgency_low]
    timeout = 0

[urgency_normal]
    timeout = 0

[urgency_critical]
    timeout = 0
"""


@dataclass
class NotifyCall:
    """One ``org.freedesktop.Notifications.Notify`` call as it went over the bus."""

    app_name: str
    replaces_id: int
    app_icon: str
    summary: str
    body: str
    actions: list[str]
    hints: dict[str, Any]
    timeout: int
    sender: str = ""
    #: The id the server returned, once its reply has been seen.
    reply_id: int | None = None
    #: The D-Bus error name if the server rejected the call.
    reply_error: str | None = None

    @property
    def answered(self) -> bool:
        return self.reply_id is not None or self.reply_error is not None

    @property
    def action_pairs(self) -> list[tuple[str, str]]:
        """``actions`` as ``(key, label)`` pairs."""
        return list(zip(self.actions[::2], self.actions[1::2], strict=False))


class NotificationRecorder:
    """Records ``Notify`` calls on ``bus_address``; use as a context manager."""

    def __init__(self, bus_address: str) -> None:
        self.bus_address = bus_address
        self._calls: list[NotifyCall] = []
        # (sender's unique name, call serial) -> call still waiting for its reply
        self._pending: dict[tuple[str, int], NotifyCall] = {}
        self._cond = threading.Condition()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._conn: DBusConnection | None = None
        self._error: BaseException | None = None

    def __repr__(self) -> str:
        return f"NotificationRecorder({self.bus_address!r}, {len(self._calls)} calls)"

    def __enter__(self) -> NotificationRecorder:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def start(self) -> None:
        """Become a monitor (synchronously, so nothing is missed) and start reading."""
        conn = connect(self.bus_address)
        rules = [
            f"type='method_call',interface='{NOTIFICATIONS_IFACE}',member='Notify'",
            "type='method_return'",
            "type='error'",
        ]
        reply = conn.send_and_get_reply(Monitoring().BecomeMonitor(rules), timeout=5)
        unwrap_msg(reply)
        self._conn = conn
        self._thread = threading.Thread(target=self._run, name="notify-recorder", daemon=True)
        self._thread.start()
        logger.debug("recording Notify calls on %s", self.bus_address)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    @property
    def calls(self) -> list[NotifyCall]:
        """Every call recorded so far, oldest first (a copy)."""
        with self._cond:
            return list(self._calls)

    def clear(self) -> None:
        with self._cond:
            self._calls.clear()

    def wait_for_calls(
        self, n: int = 1, timeout: float = 10.0, *, answered: bool = True
    ) -> list[NotifyCall]:
        """Wait until at least ``n`` calls were recorded and return all of them.

        With ``answered`` (the default) the first ``n`` calls must also have got the
        server's reply, so ``reply_id`` / ``reply_error`` are filled in.
        Raises ``TimeoutError`` listing what was seen.
        """

        def done() -> bool:
            if len(self._calls) < n:
                return False
            return not answered or all(c.answered for c in self._calls[:n])

        with self._cond:
            if not self._cond.wait_for(lambda: done() or self._error is not None, timeout):
                raise TimeoutError(
                    f"expected {n} Notify call(s) within {timeout:.1f}s, saw "
                    f"{len(self._calls)}: {self._calls!r}"
                )
            if self._error is not None:
                raise RuntimeError("notification recorder failed") from self._error
            return list(self._calls)

    def _run(self) -> None:
        assert self._conn is not None
        try:
            while not self._stop.is_set():
                try:
                    message = self._conn.receive(timeout=0.1)
                except TimeoutError:
                    continue
                self._handle(message)
        except Exception as exc:
            if not self._stop.is_set():
                logger.exception("notification recorder stopped")
                with self._cond:
                    self._error = exc
                    self._cond.notify_all()

    def _handle(self, message: Message) -> None:
        header = message.header
        kind = header.message_type
        fields = header.fields
        if kind is MessageType.method_call:
            if fields.get(HeaderFields.member) != "Notify" or len(message.body) != 8:
                return
            app_name, replaces_id, app_icon, summary, body, actions, hints, timeout = message.body
            sender = str(fields.get(HeaderFields.sender, ""))
            notify = NotifyCall(
                app_name=app_name,
                replaces_id=replaces_id,
                app_icon=app_icon,
                summary=summary,
                body=body,
                actions=list(actions),
                hints={key: value for key, (_sig, value) in hints.items()},
                timeout=timeout,
                sender=sender,
            )
            logger.debug("Notify from %s: %r", sender, summary)
            with self._cond:
                self._calls.append(notify)
                self._pending[(sender, header.serial)] = notify
                self._cond.notify_all()
            return
        key = (
            str(fields.get(HeaderFields.destination, "")),
            int(fields.get(HeaderFields.reply_serial, -1)),
        )
        with self._cond:
            notify = self._pending.pop(key, None)
            if notify is None:
                return
            if kind is MessageType.error:
                notify.reply_error = str(fields.get(HeaderFields.error_name, "error"))
            elif message.body:
                notify.reply_id = int(message.body[0])
            self._cond.notify_all()


@contextlib.contextmanager
def record_notifications(bus_address: str) -> Iterator[NotificationRecorder]:
    """Record ``Notify`` calls on ``bus_address`` without starting a server."""
    with NotificationRecorder(bus_address) as recorder:
        yield recorder


@contextlib.contextmanager
def notification_server(
    env: Mapping[str, str], tmp_path: Path | None = None
) -> Iterator[NotificationRecorder]:
    """Start ``dunst`` on ``env``'s ``DISPLAY`` and bus, and record ``Notify`` calls.

    The recorder is running before dunst claims ``org.freedesktop.Notifications``, so
    no call made after this returns can be missed. dunst gets a minimal config: no
    timeouts (bubbles stay on screen for screenshots), no browser, no dmenu.
    """
    bus_address = env["DBUS_SESSION_BUS_ADDRESS"]
    if "DISPLAY" not in env:
        raise ValueError("notification_server needs DISPLAY in env (start xvfb first)")
    with contextlib.ExitStack() as stack:
        if tmp_path is None:
            tmp_path = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="dunst-")))
        root = tmp_path / "dunst"
        root.mkdir(parents=True, exist_ok=True)
        config = root / "dunstrc"
        config.write_text(DUNSTRC)
        log_path = root / "dunst.log"
        recorder = stack.enter_context(record_notifications(bus_address))
        proc = stack.enter_context(
            managed_process(
                ["dunst", "-config", str(config)],
                name="dunst",
                env=env,
                log_path=log_path,
            )
        )
        wait_for_name(bus_address, NOTIFICATIONS_NAME, proc=proc, log_path=log_path)
        logger.info("dunst up (pid %d) on %s", proc.pid, env["DISPLAY"])
        yield recorder


def send_notification(
    bus_address: str,
    summary: str,
    body: str = "",
    *,
    app_name: str = "desktop-test",
    replaces_id: int = 0,
    app_icon: str = "",
    actions: Sequence[str] = (),
    hints: Mapping[str, tuple[str, Any]] | None = None,
    timeout: int = -1,
) -> int:
    """Call ``Notify`` with the exact signature ``susssasa{sv}i``; return the new id.

    ``hints`` values are ``(signature, value)`` pairs, e.g. ``{"urgency": ("y", 1)}``.
    """
    address = DBusAddress(
        NOTIFICATIONS_PATH, bus_name=NOTIFICATIONS_NAME, interface=NOTIFICATIONS_IFACE
    )
    message = new_method_call(
        address,
        "Notify",
        NOTIFY_SIGNATURE,
        (
            app_name,
            replaces_id,
            app_icon,
            summary,
            body,
            list(actions),
            dict(hints or {}),
            timeout,
        ),
    )
    (notification_id,) = call(bus_address, message)
    return int(notification_id)


def server_information(bus_address: str) -> tuple[str, str, str, str]:
    """``GetServerInformation``: ``(name, vendor, version, spec_version)``."""
    address = DBusAddress(
        NOTIFICATIONS_PATH, bus_name=NOTIFICATIONS_NAME, interface=NOTIFICATIONS_IFACE
    )
    name, vendor, version, spec = call(
        bus_address, new_method_call(address, "GetServerInformation")
    )
    return str(name), str(vendor), str(version), str(spec)
