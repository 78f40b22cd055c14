"""One asyncio loop on a thread of its own, with a dbus-fast connection to the session bus.

The MPRIS client and server both speak D-Bus here, so the GUI thread never waits
on the bus. Work goes in with ``submit`` (thread-safe); results go back to Qt by
signals emitted from this thread, which Qt queues to the receiver's thread.

asyncio and dbus-fast (about 12 MiB and 100 ms of imports) are imported on this
thread, so the GUI thread goes on building the app meanwhile.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import asyncio

    from dbus_fast.aio import MessageBus

logger = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 5.0
Job = Callable[[], Coroutine[Any, Any, object]]


class BusUnavailable(Exception):
    """No session bus could be reached."""


class DBusLoop:
    """The ``mpris`` thread: an event loop and, once connected, the bus."""

    def __init__(self, name: str = "mpris") -> None:
        self._lock = threading.Lock()
        self._pending: list[Job] = []  # submitted before the loop was up
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closing = False
        self._bus: MessageBus | None = None
        self._tasks: set[asyncio.Future[object]] = set()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, job: Job) -> None:
        """Run ``job()`` (a coroutine function) on the loop; errors are logged, never raised."""
        with self._lock:
            if self._closing:
                return
            if self._loop is None:
                self._pending.append(job)
                return
            loop = self._loop
        loop.call_soon_threadsafe(self.spawn, job)

    def call_soon(self, callback: Callable[[], object]) -> None:
        async def run() -> None:
            callback()

        self.submit(run)

    async def bus(self) -> MessageBus:
        """The connection, made on first use (on the loop); raises ``BusUnavailable``."""
        import asyncio

        from dbus_fast import BusType
        from dbus_fast.aio import MessageBus

        if self._bus is not None and self._bus.connected:
            return self._bus
        try:
            bus = MessageBus(bus_type=BusType.SESSION)
            self._bus = await asyncio.wait_for(bus.connect(), CONNECT_TIMEOUT_S)
        except Exception as exc:  # no address, no daemon, refused: all mean "no bus"
            raise BusUnavailable(f"{type(exc).__name__}: {exc}") from exc
        return self._bus

    def close(self) -> None:
        """Disconnect and stop the thread (waits at most 2 s)."""
        with self._lock:
            self._closing = True
            loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._shut)
        self._thread.join(timeout=2)

    # the loop thread ------------------------------------------------------------------

    def _run(self) -> None:
        import asyncio

        import dbus_fast.aio  # noqa: F401 - imported here, off the GUI thread

        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        with self._lock:
            self._loop = loop
            pending, self._pending = self._pending, []
            closing = self._closing
        for job in pending:
            loop.call_soon(self.spawn, job)
        if closing:
            loop.call_soon(self._shut)
        try:
            loop.run_forever()
        finally:
            left = asyncio.all_tasks(loop)
            for task in left:
                task.cancel()
            if left:
                loop.run_until_complete(asyncio.gather(*left, return_exceptions=True))
            loop.close()

    def spawn(self, job: Job) -> None:
        """Start ``job()`` as a task; on the loop thread only (``submit`` from elsewhere)."""
        import asyncio

        task = asyncio.ensure_future(job())
        self._tasks.add(task)  # the loop keeps only weak references to tasks
        task.add_done_callback(self._job_done)

    def _job_done(self, task: asyncio.Future[object]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None and not isinstance(exc, BusUnavailable):
            logger.warning("D-Bus task failed: %s: %s", type(exc).__name__, exc)

    def _shut(self) -> None:
        import asyncio

        async def shut() -> None:
            if self._bus is not None and self._bus.connected:
                self._bus.disconnect()
                try:
                    await asyncio.wait_for(self._bus.wait_for_disconnect(), 1.0)  # type: ignore[no-untyped-call]
                except Exception:  # a bus that went away on its own has nothing to say
                    logger.debug("Bus disconnected with an error", exc_info=True)
            asyncio.get_running_loop().stop()

        self.spawn(shut)
