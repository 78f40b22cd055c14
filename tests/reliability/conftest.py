"""Fixtures of the reliability tests: every test here runs under a crash watch."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.reliability.support import CrashWatch, LockableKeyring, install


@pytest.fixture(autouse=True)
def crash_watch() -> Iterator[CrashWatch]:
    """Fails the test if anything crashed, even after its last assertion (during shutdown)."""
    watch = CrashWatch()
    uninstall = install(watch)
    try:
        yield watch
    finally:
        uninstall()
    watch.assert_clean()


@pytest.fixture
def lockable_keyring() -> LockableKeyring:
    return LockableKeyring()
