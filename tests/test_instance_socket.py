"""Where the single-instance socket lives: a directory only this user can enter."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from nowplaying_tray.core.instance_address import socket_path
from nowplaying_tray.services.single_instance import SingleInstance


@pytest.fixture
def short_root() -> Iterator[Path]:
    # Socket addresses hold about 107 bytes; pytest's own directories are longer.
    with tempfile.TemporaryDirectory(prefix="npi-", dir="/tmp") as root:
        yield Path(root)


@pytest.fixture
def private_tmp(short_root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    temp = short_root / "t"
    temp.mkdir()
    temp.chmod(0o1777)  # like /tmp: anyone may create entries
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    return temp


@pytest.fixture
def runtime(short_root: Path) -> Path:
    return short_root / "r"


@pytest.fixture
def private_runtime(runtime: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A runtime dir as a session manager makes it: 0700, named by XDG_RUNTIME_DIR."""
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    return runtime


def _listening(lock_dir: Path) -> SingleInstance:
    single = SingleInstance(lock_dir)
    assert single.acquire()
    single.listen()
    return single


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_socket_goes_in_the_runtime_dir(
    qtbot: QtBot, tmp_path: Path, private_tmp: Path, private_runtime: Path
) -> None:
    instance = _listening(tmp_path / "lock")
    try:
        path = socket_path(tmp_path / "lock")
        assert path is not None and [p.name for p in private_runtime.iterdir()] == [Path(path).name]
        assert list(private_tmp.iterdir()) == []  # nothing predictable in the shared temp dir
    finally:
        instance.release()


@pytest.mark.parametrize("runtime_mode", [None, 0o755])
def test_without_a_private_runtime_dir_a_private_temp_dir_is_made(
    qtbot: QtBot,
    tmp_path: Path,
    private_tmp: Path,
    runtime: Path,
    monkeypatch: pytest.MonkeyPatch,
    runtime_mode: int | None,
) -> None:
    if runtime_mode is None:
        monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    else:
        runtime.mkdir()
        runtime.chmod(runtime_mode)
        monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    instance = _listening(tmp_path / "lock")
    try:
        (made,) = private_tmp.iterdir()
        assert made.is_dir() and _mode(made) == 0o700 and made.stat().st_uid == os.getuid()
        assert len(list(made.iterdir())) == 1
    finally:
        instance.release()


def test_a_runtime_dir_too_deep_for_a_socket_address_falls_back_to_the_temp_dir(
    qtbot: QtBot, tmp_path: Path, private_tmp: Path, runtime: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deep = runtime / ("d" * 60) / ("e" * 60)
    deep.mkdir(parents=True, mode=0o700)
    for part in (runtime, deep.parent, deep):
        part.chmod(0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(deep))
    first = _listening(tmp_path / "lock")
    try:
        (made,) = private_tmp.iterdir()
        (listening,) = made.iterdir()  # listen() worked: its socket is there
        assert stat.S_ISSOCK(listening.stat().st_mode) and list(deep.iterdir()) == []
    finally:
        first.release()


def _as_another_user(path: Path) -> None:
    if os.geteuid() != 0:
        message = "making a file owned by another user needs root"
        if os.environ.get("CI") == "true":  # CI runs as root: a skip there would hide a gap
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    os.chown(path, 65534, 65534)


def test_a_temp_dir_taken_by_another_user_is_not_used(
    private_tmp: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    squatted = private_tmp / f"nowplaying-tray-{os.getuid()}"
    squatted.mkdir(mode=0o700)
    _as_another_user(squatted)
    assert socket_path(tmp_path / "lock") is None


def test_a_socket_owned_by_another_user_is_not_told_anything(
    qtbot: QtBot, tmp_path: Path, private_tmp: Path, private_runtime: Path
) -> None:
    from PySide6.QtNetwork import QLocalServer

    first = SingleInstance(tmp_path / "lock")
    assert first.acquire()
    path = socket_path(tmp_path / "lock")
    assert path is not None
    squatter = QLocalServer()
    assert squatter.listen(path)
    _as_another_user(Path(path))
    try:
        second = SingleInstance(tmp_path / "lock")
        with qtbot.assertNotEmitted(squatter.newConnection, wait=300):
            assert not second.acquire()
    finally:
        squatter.close()
        first.release()


def test_stray_peers_are_dropped_and_a_real_second_start_still_gets_through(
    qtbot: QtBot, tmp_path: Path, private_tmp: Path, private_runtime: Path
) -> None:
    first = _listening(tmp_path / "lock")
    shown: list[bool] = []
    first.show_requested.connect(lambda: shown.append(True))
    path = socket_path(tmp_path / "lock")
    assert path is not None
    try:
        silent = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        silent.connect(path)  # connects and never speaks: held, but blocks nobody
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as stray:
            stray.connect(path)
            stray.sendall(b"GET / HTTP/1.1\r\n\r\n")
        with qtbot.waitSignal(first.show_requested, timeout=3000):
            assert not SingleInstance(tmp_path / "lock").acquire()
        assert shown == [True]  # the stray request was not taken for "show"
        silent.close()
    finally:
        first.release()
    assert not Path(path).exists()  # no socket file left for the next start to trip on


def test_the_listener_needs_no_qtnetwork(tmp_path: Path, runtime: Path) -> None:
    runtime.mkdir(mode=0o700)
    code = (
        "import sys; from pathlib import Path\n"
        "from PySide6.QtCore import QCoreApplication\n"
        "from nowplaying_tray.services.single_instance import SingleInstance\n"
        "app = QCoreApplication([])\n"
        f"single = SingleInstance(Path({str(tmp_path / 'lock')!r}))\n"
        "assert single.acquire(); single.listen(); single.release()\n"
        "print('PySide6.QtNetwork' in sys.modules)\n"
    )
    env = dict(os.environ, XDG_RUNTIME_DIR=str(runtime), QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"  # about 2.7 MiB not spent
