"""The log file is private (0600), like every other file the app writes."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import pytest

from nowplaying_tray.logs import LOG_FILE_NAME, configure_logging


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def wide_umask() -> object:
    import os

    previous = os.umask(0o022)
    yield None
    os.umask(previous)
    configure_logging(debug=False, log_dir=None, console=False)


def test_a_new_log_file_is_0600(tmp_path: Path) -> None:
    log_file = configure_logging(log_dir=tmp_path, console=False)
    logging.getLogger("test").info("hello")
    assert log_file is not None and _mode(log_file) == 0o600


def test_an_old_world_readable_log_file_is_made_private(tmp_path: Path) -> None:
    old = tmp_path / LOG_FILE_NAME
    old.write_text("from an older version\n")
    old.chmod(0o644)
    configure_logging(log_dir=tmp_path, console=False)
    assert _mode(old) == 0o600


def test_rotated_files_stay_private(tmp_path: Path) -> None:
    configure_logging(log_dir=tmp_path, console=False)
    big = "x" * 10_000
    for _ in range(150):  # past the 1 MB rotation size
        logging.getLogger("test").info(big)
    files = sorted(tmp_path.glob(f"{LOG_FILE_NAME}*"))
    assert len(files) >= 2
    assert {_mode(path) for path in files} == {0o600}
