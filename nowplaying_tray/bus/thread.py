"""One jeepney connection to a session bus, and one worker thread that does all its work.

jeepney's ``DBusRouter`` reads the socket on a receiver thread of its own: replies
wake the caller, everything else (signals, method calls to us) goes into the
worker's queue. The worker runs submitted jobs and handles those messages one at a
time, in order, so handlers need no locks and never run alongside a job.

A call blocks only the worker. When its reply is in, the messages that came before
it are handled before the call returns: a signal sent before a reply is seen before
it, as on the wire (a read overtaken by a signal can then tell it was).

The connection is made on first use, on the worker; a bus that cannot be reached
raises ``BusUnavailable``.
"""

from __future__ import annotations

import collections
import logging
import queue
import threading
from collections.abc import Callable, Sequence
from typing import Any

from nowplaying_tray.bus.exported import ExportedObject, ExportedTree

logger = logging.getLogger(__name__)

CALL_TIMEOUT_S = 2.0
DBUS = "org.freedesktop.DBus"
BUS_PATH = "/org/freedesktop/DBus"
PROPERTIES = "org.freedesktop.DBus.Properties"
_DO_NOT_QUEUE = 4  # RequestName's flag
_NAME_OURS = (1, 4)  # RequestName's answers: primary owner, already the owner
Job = Callable[[], object]
Handler = Callable[[Any], None]  # a jeepney Message
_STOP = object()


class BusUnavailable(Exception):
    """No session bus could be reached."""


def bus_problem(error: Exception) -> str:
    """Why the session bus cannot be had, in words for the log (no exception names)."""
    if isinstance(error, KeyError) and "DBUS_SESSION_BUS_ADDRESS" in str(error):
        return "there is no desktop session bus (DBUS_SESSION_BUS_ADDRESS is not set)"
    if isinstance(error, OSError):
        return f"the desktop session bus cannot be reached ({error.strerror or error})"
    return str(error) or type(error).__name__


class BusThread:
    """The worker thread, and once connected, the bus (``address``: ``SESSION`` or an address)."""

    def __init__(self, name: str, address: str = "SESSION") -> None:
        # jeepney is imported here, with the app, not on the worker a moment later: an
        # import after start-up would keep its source text (see launch.py).
        import jeepney.io.threading  # noqa: F401

        self._address = address
        self._queue: queue.Queue[Any] = queue.Queue()  # jobs, messages, _STOP
        self._deferred: collections.deque[Any] = collections.deque()  # jobs met while draining
        self._handlers: list[Handler] = []
        self._exports = ExportedTree()
        self._exporting = False
        self._lock = threading.Lock()
        self._router: Any = None
        self._closing = False
        self._draining = False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    @property
    def unique_name(self) -> str | None:
        router = self._router
        return str(router.unique_name) if router is not None else None

    def submit(self, job: Job) -> None:
        """Run ``job()`` on the worker, after what was submitted before (any thread)."""
        if not self._closing:
            self._queue.put(job)

    def wait(self, job: Callable[[], object], timeout: float = 5.0) -> object:
        """Run ``job()`` on the worker; its result, or its error raised (from another thread)."""
        done = threading.Event()
        outcome: list[Any] = []

        def run() -> None:
            try:
                outcome.append((True, job()))
            except BaseException as exc:  # handed to the waiting thread
                outcome.append((False, exc))
            finally:
                done.set()

        self.submit(run)
        if not done.wait(timeout):
            raise TimeoutError(f"no answer from the {self._thread.name} thread in {timeout} s")
        ok, value = outcome[0]
        if not ok:
            raise value
        return value

    def on_message(self, handler: Handler) -> None:
        """Hand every incoming signal and method call to ``handler`` (on the worker)."""
        self._handlers.append(handler)

    def export(self, exported: ExportedObject) -> None:
        """Answer the calls to ``exported.path`` from now on (on the worker). Every
        object goes through one tree, so a call is answered once, by its object."""
        self._exports.add(exported)
        if not self._exporting:
            self._exporting = True
            self.on_message(self._serve)

    def close(self) -> None:
        """Stop the worker and close the connection; a call under way fails at once."""
        with self._lock:  # the worker takes the router out under it before closing it
            self._closing = True
            if self._router is not None:
                self._router.conn.interrupt()  # stops the receiver: calls get RouterClosed
        self._queue.put(_STOP)
        self._thread.join(timeout=2)

    # on the worker ------------------------------------------------------------------

    def connect(self) -> Any:
        """The router, connecting on first use; raises ``BusUnavailable``."""
        if self._router is not None:
            return self._router
        from jeepney import MatchRule
        from jeepney.io.threading import DBusRouter, open_dbus_connection

        try:
            router = DBusRouter(open_dbus_connection(bus=self._address))
        except Exception as exc:  # no address, no daemon, refused: all mean "no bus"
            raise BusUnavailable(bus_problem(exc)) from exc
        router.filter(MatchRule(), queue=self._queue)  # all but awaited replies
        _tolerate_late_close(router)
        with self._lock:
            if self._closing:
                _close(router)
                raise BusUnavailable("closing")
            self._router = router
        return router

    def send(self, message: Any) -> None:
        """Send without waiting (a reply, a signal); a failure is logged."""
        try:
            self.connect().send(message)
        except Exception as exc:
            if not self._closing:
                logger.info("D-Bus send failed: %s: %s", type(exc).__name__, exc)

    def call(
        self,
        destination: str,
        path: str,
        interface: str,
        member: str,
        signature: str = "",
        body: Sequence[Any] = (),
    ) -> tuple[Any, ...] | None:
        """The reply's body; None (logged) for an error reply or no reply in time."""
        from jeepney import DBusAddress, MessageType, new_method_call

        if self._closing:
            return None
        address = DBusAddress(path, bus_name=destination, interface=interface)
        message = new_method_call(address, member, signature or None, tuple(body))
        try:
            reply = self.connect().send_and_get_reply(message, timeout=CALL_TIMEOUT_S)
        except Exception as exc:  # a player that quit mid-call, a bus that went away
            if not self._closing:
                logger.info("D-Bus %s.%s on %s failed: %s", interface, member, destination, exc)
            return None
        finally:
            self._drain()
        if reply.header.message_type is MessageType.error:
            logger.info("D-Bus %s.%s on %s: %s", interface, member, destination, _error(reply))
            return None
        return tuple(reply.body)

    def call_bus(self, member: str, signature: str = "", body: Sequence[Any] = ()) -> Any:
        """A method of the bus itself; its first result, or None."""
        reply = self.call(DBUS, BUS_PATH, DBUS, member, signature, body)
        return reply[0] if reply else None

    def request_name(self, name: str) -> bool:
        """Take the well-known ``name`` now, or not at all (never queued behind its owner)."""
        return self.call_bus("RequestName", "su", (name, _DO_NOT_QUEUE)) in _NAME_OURS

    def release_name(self, name: str) -> None:
        self.call_bus("ReleaseName", "s", (name,))

    def get_property(self, name: str, path: str, interface: str, prop: str) -> Any:
        """One property, as a plain value; None if it cannot be read."""
        reply = self.call(name, path, PROPERTIES, "Get", "ss", (interface, prop))
        return plain(reply[0]) if reply else None

    def _serve(self, message: Any) -> None:
        reply = self._exports.reply_to(message)
        if reply is not None:
            self.send(reply)

    def _drain(self) -> None:
        """Handle the messages that came before a reply; jobs wait their turn."""
        if self._draining:
            return
        self._draining = True
        try:
            while True:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    return
                if callable(item) or item is _STOP:
                    self._deferred.append(item)
                else:
                    self._handle(item)
        finally:
            self._draining = False

    def _run(self) -> None:
        while True:
            item = self._deferred.popleft() if self._deferred else self._queue.get()
            if item is _STOP:
                break
            if callable(item):
                self._do(item)
            else:
                self._handle(item)
        with self._lock:
            router, self._router = self._router, None
        if router is not None:
            _close(router)

    def _do(self, job: Job) -> None:
        if self._closing:
            return
        try:
            job()
        except BusUnavailable:
            pass  # said once, by whoever connects first
        except Exception as exc:  # a misbehaving peer must never stop the worker
            logger.warning("D-Bus job failed: %s: %s", type(exc).__name__, exc, exc_info=True)

    def _handle(self, message: Any) -> None:
        for handler in self._handlers:
            try:
                handler(message)
            except Exception as exc:
                logger.warning("D-Bus message handler failed: %s", exc, exc_info=True)


def plain(value: Any) -> Any:
    """A jeepney variant (``(signature, value)``), nested ones too, as a plain value."""
    if not (isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str)):
        return value
    signature, inner = value
    if signature == "v":
        return plain(inner)
    if signature == "a{sv}":
        return unwrap(inner)
    if signature == "av":
        return [plain(item) for item in inner]
    return inner


def unwrap(values: Any) -> dict[str, Any]:
    """A property dict (``a{sv}``) with plain values."""
    if not isinstance(values, dict):
        return {}
    return {str(key): plain(value) for key, value in values.items()}


def _error(reply: Any) -> str:
    from jeepney import HeaderFields

    return str(reply.header.fields.get(HeaderFields.error_name, "error"))


def _tolerate_late_close(router: Any) -> None:
    """A close that meets a reply just handed over must not fail jeepney's receiver.

    On close, jeepney fails every reply still awaited; a reply that arrived a moment
    before is done already, and failing it raises InvalidStateError on the receiver
    thread (a traceback on stderr at quit). Skip the replies that are done.
    """
    replies = getattr(router, "_replies", None)
    if replies is None or not hasattr(replies, "_futures"):
        return  # another jeepney: its own close stands
    from jeepney.io.common import RouterClosed

    def drop_all(exc: Exception | None = None) -> None:
        futures, replies._futures = replies._futures, {}
        for future in futures.values():
            if not future.done():
                future.set_exception(exc or RouterClosed("D-Bus connection closed"))

    replies.drop_all = drop_all


def _close(router: Any) -> None:
    import os

    conn = router.conn
    try:
        router.close()
    finally:
        conn.close()  # the router leaves its socket open
        for fd in (getattr(conn, "_stop_r", None), getattr(conn, "_stop_w", None)):
            if isinstance(fd, int):  # and the connection its wake-up pipe
                os.close(fd)
