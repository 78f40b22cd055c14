"""Facts about the Qt binding that the app relies on."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    fired = Signal(object)


def test_emitting_signals_does_not_corrupt_reference_counts() -> None:
    # PySide6 6.12.0 dropped a reference to True on every emit(), aborting the
    # interpreter after a few thousand; pyproject.toml excludes that release.
    emitter = _Emitter()
    received: list[object] = []
    emitter.fired.connect(received.append)
    before = sys.getrefcount(True)
    for value in range(500):
        emitter.fired.emit(value)
    assert len(received) == 500
    assert sys.getrefcount(True) >= before - 5
