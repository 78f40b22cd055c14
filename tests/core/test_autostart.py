"""Start at login on each platform; Windows' registry is faked, the rest are real files."""

from __future__ import annotations

import plistlib
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from nowplaying_tray.core.autostart import (
    RUN_KEY,
    RUN_VALUE,
    MacLaunchAgent,
    WindowsRunKey,
    XdgAutostart,
    desktop_entry,
)

COMMAND = ["/opt/Now Playing/nowplaying-tray", "--flag"]


def test_xdg_entry_is_written_and_removed(tmp_path: Path) -> None:
    autostart = XdgAutostart(config_home=tmp_path, command=COMMAND)
    assert not autostart.is_enabled()
    autostart.enable()
    assert autostart.path == tmp_path / "autostart" / "nowplaying-tray.desktop"
    assert autostart.is_enabled()
    text = autostart.path.read_text()
    assert 'Exec="/opt/Now Playing/nowplaying-tray" --flag' in text
    autostart.disable()
    assert not autostart.is_enabled()
    autostart.disable()  # twice is fine


@pytest.mark.parametrize(
    "command",
    [COMMAND, ["/usr/bin/python3", "-m", "nowplaying_tray"], ["/weird/$path/with `tick`/100%"]],
)
def test_xdg_entry_passes_desktop_file_validate(tmp_path: Path, command: list[str]) -> None:
    validator = shutil.which("desktop-file-validate")
    if validator is None:
        pytest.fail("desktop-file-validate is missing: run scripts/bootstrap.sh")
    path = tmp_path / "nowplaying-tray.desktop"
    path.write_text(desktop_entry(command))
    result = subprocess.run([validator, str(path)], capture_output=True, text=True)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout


def test_mac_launch_agent(tmp_path: Path) -> None:
    agent = MacLaunchAgent(home=tmp_path, command=COMMAND)
    agent.enable()
    plist = plistlib.loads(agent.path.read_bytes())
    assert plist["ProgramArguments"] == COMMAND and plist["RunAtLoad"] is True
    assert agent.path.parent == tmp_path / "Library" / "LaunchAgents"
    agent.disable()
    assert not agent.is_enabled()


class FakeRegistry:
    """The few winreg calls WindowsRunKey makes, over a dict."""

    HKEY_CURRENT_USER = "HKCU"
    KEY_SET_VALUE = 2
    REG_SZ = 1

    def __init__(self) -> None:
        self.values: dict[tuple[str, str, str], Any] = {}

    class _Key:
        def __init__(self, path: str) -> None:
            self.path = path

        def __enter__(self) -> FakeRegistry._Key:
            return self

        def __exit__(self, *_: object) -> None:
            return None

    def OpenKey(self, root: str, path: str, *_: object) -> _Key:  # noqa: N802
        return self._Key(path)

    def CreateKey(self, root: str, path: str) -> _Key:  # noqa: N802
        return self._Key(path)

    def QueryValueEx(self, key: _Key, name: str) -> tuple[Any, int]:  # noqa: N802
        if ("HKCU", key.path, name) not in self.values:
            raise FileNotFoundError(name)
        return self.values[("HKCU", key.path, name)], self.REG_SZ

    def SetValueEx(self, key: _Key, name: str, _: int, kind: int, value: str) -> None:  # noqa: N802
        self.values[("HKCU", key.path, name)] = value

    def DeleteValue(self, key: _Key, name: str) -> None:  # noqa: N802
        if self.values.pop(("HKCU", key.path, name), None) is None:
            raise FileNotFoundError(name)


def test_windows_run_key() -> None:
    registry = FakeRegistry()
    run = WindowsRunKey(registry, command=[r"C:\Program Files\Now Playing\nowplaying-tray.exe"])
    assert not run.is_enabled()
    run.enable()
    assert registry.values[("HKCU", RUN_KEY, RUN_VALUE)] == (
        r'"C:\Program Files\Now Playing\nowplaying-tray.exe"'
    )
    assert run.is_enabled()
    run.disable()
    assert not run.is_enabled()
    run.disable()
