"""Throttle: one call per burst, for controls a person can press, scroll or drag quickly.

Modelled on qutebrowser's ``Throttle``: the first call runs at once; calls that
come while the throttle is closed are merged into one call, with the latest
arguments, when it opens again. A scroll of the volume or a drag of the seek bar
is then two requests (the first position and the last), not a hundred.
``trailing=False`` drops the merged call instead: a burst of clicks on Next is
one skip.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject

from nowplaying_tray.services.timers import precise, single_shot_timer

logger = logging.getLogger(__name__)


class Throttle(QObject):
    """Call ``func`` at most once per ``delay_ms``: at once when open, else merged."""

    def __init__(
        self,
        func: Callable[..., None],
        delay_ms: int,
        *,
        trailing: bool = True,
        name: str = "throttle",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._func = func
        self._trailing = trailing
        self._pending: tuple[tuple[Any, ...], dict[str, Any]] | None = None
        # While this runs the throttle is closed.
        self._closed = single_shot_timer(self, name, delay_ms, self._reopen)  # precise at start

    @property
    def pending(self) -> bool:
        return self._pending is not None

    @property
    def idle(self) -> bool:
        """Open, with nothing waiting: the next call is the start of a new burst."""
        return not self._closed.isActive() and self._pending is None

    def __call__(self, *args: Any, **kwargs: Any) -> None:
        if self._closed.isActive():
            if self._trailing:
                self._pending = (args, kwargs)
            return
        precise(self._closed).start()
        self._func(*args, **kwargs)

    def cancel(self) -> None:
        self._pending = None
        self._closed.stop()

    def _reopen(self) -> None:
        if self._pending is None:
            return
        args, kwargs = self._pending
        self._pending = None
        precise(self._closed).start()  # the merged call closes it again
        self._func(*args, **kwargs)
