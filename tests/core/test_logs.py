from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from nowplaying_tray.logs import LOG_FILE_NAME, configure_logging, redact


def test_redacts_the_shapes_spotipy_logs() -> None:
    lines = {
        "Headers: {'Authorization': 'Bearer BQDsecret.tok-en'}": "BQDsecret",
        "Body: {'refresh_token': 'AQCrefresh', 'grant_type': 'refresh_token'}": "AQCrefresh",
        '{"code": "AQBcode", "code_verifier": "verif-ier"}': "AQBcode",
        "GET /callback?code=AQBcode2&state=st4te HTTP/1.1": "AQBcode2",
        "access_token=xyz123&token_type=Bearer": "xyz123",
    }
    for line, secret in lines.items():
        assert secret not in redact(line)
    assert "grant_type': 'refresh_token'" in redact(next(iter(list(lines)[1:2])))


def test_log_file_is_redacted(tmp_path: Path) -> None:
    log_file = configure_logging(debug=True, log_dir=tmp_path, console=False)
    logging.getLogger("spotipy.client").debug("Headers: {'Authorization': 'Bearer SECRET1'}")
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert log_file is not None
    text = log_file.read_text()
    assert "SECRET1" not in text and "[REDACTED]" in text
    configure_logging(debug=False, log_dir=None, console=False)


def _flush() -> None:
    for handler in logging.getLogger().handlers:
        handler.flush()


def test_console_gets_one_line_and_the_file_the_traceback(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    log_file = configure_logging(log_dir=tmp_path, console=True)
    try:
        raise ValueError("access_token=SECRET2 went wrong")
    except ValueError:
        logging.getLogger("nowplaying_tray.test").exception("Refresh failed")
    _flush()
    err = capfd.readouterr().err
    assert "Refresh failed (ValueError); details are in the log file" in err
    assert "Traceback" not in err
    assert log_file is not None
    text = log_file.read_text()
    assert "Traceback" in text and "SECRET2" not in text
    configure_logging(debug=False, log_dir=None, console=False)


def test_debug_console_keeps_the_traceback(capfd: pytest.CaptureFixture[str]) -> None:
    configure_logging(debug=True, console=True)
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("nowplaying_tray.test").exception("Failed")
    _flush()
    assert "Traceback" in capfd.readouterr().err
    configure_logging(debug=False, log_dir=None, console=False)


_SLOT_AND_THREAD_RAISE = """
import sys, threading
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from nowplaying_tray.logs import configure_logging, install_exception_hooks

configure_logging(log_dir=Path(sys.argv[1]), console=True)
install_exception_hooks()
app = QApplication([])

def slot():
    raise RuntimeError("bug in a slot")

def worker():
    raise OSError("bug in a thread")

def finish():
    thread = threading.Thread(target=worker, name="worker")
    thread.start()
    thread.join()
    app.quit()

QTimer.singleShot(0, slot)
QTimer.singleShot(10, finish)
sys.exit(app.exec())
"""


def test_uncaught_errors_in_slots_and_threads_are_logged_not_dumped(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", _SLOT_AND_THREAD_RAISE, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "Unexpected error (RuntimeError); details are in the log file" in done.stderr
    assert "Unexpected error in worker (OSError); details are in the log file" in done.stderr
    log = (tmp_path / LOG_FILE_NAME).read_text()
    assert "bug in a slot" in log and "bug in a thread" in log and "Traceback" in log
