"""``pip install .`` gives a working app: the wheel carries the icons and the desktop
entry, and the installed app starts with no warning."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from nowplaying_tray.core.paths import AppPaths
from tests.support.browser import REPO_ROOT
from tests.support.processes import running

PACKAGE_DATA = (
    "nowplaying_tray/resources/icons/nowplaying-tray.svg",
    "nowplaying_tray/resources/icons/tray-playing.svg",
    "nowplaying_tray/resources/nowplaying-tray.desktop",
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from a copy of the source (so the checkout stays clean)."""
    root = tmp_path_factory.mktemp("wheel")
    source = root / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO_ROOT / name, source / name)
    shutil.copytree(
        REPO_ROOT / "nowplaying_tray",
        source / "nowplaying_tray",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(root), str(source)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stderr
    (found,) = root.glob("nowplaying_tray-*.whl")
    return found


def test_the_wheel_carries_the_icons_and_the_desktop_entry(wheel: Path) -> None:
    import zipfile

    names = set(zipfile.ZipFile(wheel).namelist())
    assert set(PACKAGE_DATA) <= names


def test_the_installed_app_starts_with_its_icons_and_no_warning(
    wheel: Path, tmp_path: Path, isolated_home: AppPaths
) -> None:
    fresh = tmp_path / "venv"
    venv.create(fresh, with_pip=False)
    python = fresh / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    # Without PYTHONPATH: pip would take the checkout on it for an installed copy.
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ("PYTHONPATH", "DBUS_SESSION_BUS_ADDRESS")
    } | {"QT_QPA_PLATFORM": "offscreen"}
    installed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "-q",
            str(wheel),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert installed.returncode == 0, installed.stderr
    # Its dependencies (PySide6 and the rest) come from this environment, after its own.
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    where = subprocess.run(
        [str(python), "-c", "import nowplaying_tray.ui.icons as i; print(i.resource_dir())"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=True,
    ).stdout.strip()
    assert Path(where).is_relative_to(fresh), where  # the installed copy, not the checkout

    with running([str(fresh / "bin" / "nowplaying-tray"), "--demo"], env, cwd=tmp_path) as app:
        app.out.wait_for(lambda line: line.startswith("Now playing: "), 60, "a track")
        assert app.stop(signal.SIGTERM) == 0
    assert not [line for line in app.err.lines if "WARNING" in line or "unavailable" in line]
    log = (isolated_home.log_dir / "nowplaying-tray.log").read_text()
    assert "WARNING" not in log and "drawing a built-in one" not in log
