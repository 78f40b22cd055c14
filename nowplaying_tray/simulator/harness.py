"""What tests and benchmarks steer and watch the simulator with: scripted faults, a
daily quota, the request log and the /_sim/ control API.

The demo runs the simulator without it, and the frozen app leaves it out (the spec
excludes these modules): a person's copy of the app has no remote control to reach.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from .control import ControlApi
from .faults import GZIP_BOMB_DEFAULT_SIZE, Fault, FaultPlan
from .quota import DAY_S, DEFAULT_LOCKOUT_S, DailyQuota
from .requestlog import RequestLog

if TYPE_CHECKING:
    from .simulator import SpotifySimulator

logger = logging.getLogger(__name__)

# The modules only the harness needs: the frozen app leaves them out (build.spec).
MODULES = tuple(
    f"{__package__}.{name}" for name in ("harness", "control", "faults", "quota", "requestlog")
)


class Harness:
    def __init__(self, simulator: SpotifySimulator, clock: Callable[[], float]) -> None:
        self.faults = FaultPlan()
        self.quota = DailyQuota(clock)
        self.log = RequestLog()
        self.control = ControlApi(simulator, self.quota)

    def fail_next(
        self,
        kind: str,
        *,
        times: int | None = 1,
        path: str = "/v1/",
        status: int = 500,
        retry_after: int | None = 1,
        quota_exceeded: bool = False,
        delay: float = 0.0,
        body: bool = True,
        retry_after_text: str | None = None,
        shape: str = "error_string",
        size: int = GZIP_BOMB_DEFAULT_SIZE,
        location: str = "file:///etc/passwd",
    ) -> None:
        """Make the next ``times`` requests under ``path`` fail as ``kind``.

        ``times=None`` keeps the fault firing until ``faults.clear()``. A rate limit
        with ``retry_after=None`` has no Retry-After header; ``body=False`` leaves its
        body empty.
        """
        fault = Fault(
            kind,
            path,
            status,
            retry_after,
            quota_exceeded,
            float(delay),
            body,
            retry_after_text,
            shape,
            size,
            location,
        )
        self.faults.add(fault, times)

    def set_daily_quota(
        self,
        limit: int | None,
        *,
        window_s: float = DAY_S,
        lockout_s: float = DEFAULT_LOCKOUT_S,
    ) -> None:
        """At most ``limit`` Web API requests per rolling ``window_s``, then 429
        ``QUOTA_EXCEEDED`` with ``Retry-After`` for ``lockout_s``; None: no quota."""
        self.quota.configure(limit, float(window_s), float(lockout_s))
