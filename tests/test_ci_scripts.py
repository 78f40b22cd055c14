"""The test scripts: scripts/test.sh runs the slow tests even after a failed main run,
and .ci/run runs the UI tests under two default fonts; both fail at the end, saying so.

The scripts run for real in a copy of their folders, with the tools they call (pytest,
ruff, mypy, bootstrap) replaced by stubs that record how they were called.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.browser import REPO_ROOT

FONTS = {"dejavu-sans": "DejaVu Sans", "noto-sans": "Noto Sans"}


def stub(path: Path, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/usr/bin/env bash\n{body}\n", encoding="utf-8")
    path.chmod(0o755)


def run(script: Path, tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(script)],
        cwd=tree,
        env=os.environ | {"CALLS": str(tree / "calls.txt")},
        capture_output=True,
        text=True,
        timeout=60,
    )


def calls(tree: Path) -> list[str]:
    return (tree / "calls.txt").read_text().splitlines()


def test_test_sh_runs_the_slow_tests_after_a_failed_main_run(tmp_path: Path) -> None:
    (tmp_path / "scripts").mkdir()
    shutil.copy(REPO_ROOT / "scripts" / "test.sh", tmp_path / "scripts" / "test.sh")
    stub(tmp_path / "scripts" / "bootstrap.sh", "exit 0")
    for tool in ("ruff", "mypy"):
        stub(tmp_path / ".venv" / "bin" / tool, "exit 0")
    # pytest: the main run fails, the slow run passes.
    stub(
        tmp_path / ".venv" / "bin" / "python",
        'echo "pytest $*" >> "$CALLS"; [[ "$*" == *slow* ]] && exit 0; exit 1',
    )
    result = run(tmp_path / "scripts" / "test.sh", tmp_path)
    assert result.returncode == 1
    assert calls(tmp_path) == ["pytest -m pytest", "pytest -m pytest -m slow"]
    assert "the main pytest run failed (status 1); running the slow tests anyway" in result.stderr
    assert "FAILED: main run status 1, slow run status 0" in result.stderr


def test_ci_runs_the_ui_tests_under_two_fonts_and_every_line_after_a_failure(
    tmp_path: Path,
) -> None:
    shutil.copytree(REPO_ROOT / ".ci", tmp_path / ".ci")
    # test.sh: the first line (the suite) fails, the others pass.
    stub(
        tmp_path / "scripts" / "test.sh",
        'echo "${FONTCONFIG_FILE:-default} $*" >> "$CALLS"; [[ "$*" == *"not slow"* ]] && exit 1; '
        "exit 0",
    )
    result = run(tmp_path / ".ci" / "run", tmp_path)
    assert result.returncode == 1
    fonts = tmp_path / ".ci" / "fonts"
    assert calls(tmp_path) == [
        "default -m not slow",
        f"{fonts / 'dejavu-sans.conf'} tests/ui",
        f"{fonts / 'noto-sans.conf'} tests/ui",
        "default -m slow",
    ]
    assert result.stderr.strip().splitlines() == [".ci/run: FAILED:", "  suite"]


@pytest.mark.parametrize(("config", "family"), FONTS.items())
def test_each_font_config_makes_its_font_the_default(config: str, family: str) -> None:
    """Qt's default font under each of .ci/fonts: what the UI tests run under in CI."""
    if (
        shutil.which("fc-list") is None
        or family
        not in subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True).stdout
    ):
        message = f"font {family} missing; scripts/bootstrap.sh installs it"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            "from PySide6.QtGui import QFontInfo\n"
            "from PySide6.QtWidgets import QApplication\n"
            "app = QApplication([])\n"
            "print(QFontInfo(app.font()).family())",
        ],
        env=os.environ
        | {
            "QT_QPA_PLATFORM": "offscreen",
            "FONTCONFIG_FILE": str(REPO_ROOT / ".ci" / "fonts" / f"{config}.conf"),
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert shown.stdout.strip() == family
