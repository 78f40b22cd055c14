"""The log of requests the simulated Spotify services answered."""

from __future__ import annotations

import logging
import threading
from dataclasses import asdict, dataclass
from typing import Any

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RecordedRequest:
    time: float  # reading of the simulator's clock when the request arrived
    method: str
    path: str  # without the query string
    status: int  # 0 when the connection was dropped without a response

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class RequestLog:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[RecordedRequest] = []

    def add(self, time: float, method: str, path: str, status: int) -> None:
        entry = RecordedRequest(time, method, path, status)
        with self._lock:
            self._entries.append(entry)

    def snapshot(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._entries)

    def count(self, path: str | None = None, method: str | None = None) -> int:
        with self._lock:
            return sum(
                1
                for entry in self._entries
                if (path is None or entry.path == path)
                and (method is None or entry.method == method.upper())
            )

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
