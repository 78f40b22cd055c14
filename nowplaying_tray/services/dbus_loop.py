"""One asyncio loop on a thread of its own, with a dbus-fast connection to the session bus.

The MPRIS client and server both speak D-Bus here, so the GUI thread never waits
on the bus. Work goes in with ``submit`` (thread-safe); results go back to Qt by
signals emitted from this thread, which Qt queues to the receiver's thread.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

from dbus_fast import BusType
from dbus_fast.aio import MessageBus

logger = logging.getLogger(__name__)

T = TypeVar("T")
CONNECT_TIMEOUT_S = 5.0


class BusUnavailable(Exception):
    """No session bus could be reached."""


class DBusLoop:
    """The ``mpris`` thread: an event loop and, once connected, ``bus``."""

    def __init__(self, name: str = "mpris") -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._bus: MessageBus | None = None
        self._connected: asyncio.Future[MessageBus] | None = None
        self._thread.start()

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        return self._loop

    def submit(self, coro: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        """Run ``coro`` on the loop; errors are logged, never raised on the caller."""
        future = asyncio.run_coroutine_threadsafe(coro, self._loop)
        future.add_done_callback(_log_failure)
        return future

    def call_soon(self, callback: Callable[[], object]) -> None:
        if not self._loop.is_closed():
            self._loop.call_soon_threadsafe(callback)

    async def bus(self) -> MessageBus:
        """The connection, made on first use (on the loop); raises ``BusUnavailable``."""
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
        if self._loop.is_closed():
            return

        async def shut() -> None:
            if self._bus is not None and self._bus.connected:
                self._bus.disconnect()
                await _settle(self._bus.wait_for_disconnect())  # type: ignore[no-untyped-call]

        try:
            asyncio.run_coroutine_threadsafe(shut(), self._loop).result(timeout=2)
        except Exception:  # already stopping; nothing left to tidy
            logger.debug("D-Bus shutdown incomplete", exc_info=True)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=2)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_forever()
        finally:
            pending = asyncio.all_tasks(self._loop)
            for task in pending:
                task.cancel()
            if pending:
                self._loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            self._loop.close()


async def _settle(awaitable: Awaitable[object]) -> None:
    try:
        await asyncio.wait_for(awaitable, 1.0)
    except Exception:  # a bus that went away on its own has nothing to say
        logger.debug("Bus disconnected with an error", exc_info=True)


def _log_failure(future: concurrent.futures.Future[Any]) -> None:
    if future.cancelled():
        return
    exc = future.exception()
    if exc is not None and not isinstance(exc, BusUnavailable):
        logger.warning("D-Bus task failed: %s: %s", type(exc).__name__, exc)
