"""Start at login, one interface per platform.

- Linux and other XDG desktops: a ``.desktop`` entry in ``~/.config/autostart``.
- Windows: a value under ``HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run``.
- macOS: a LaunchAgent property list in ``~/Library/LaunchAgents``.

The registry is passed in on Windows so the logic can be tested anywhere.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
from pathlib import Path
from typing import Any, Protocol

from nowplaying_tray.core.atomic import write_bytes_atomic, write_text_atomic

logger = logging.getLogger(__name__)

APP_ID = "nowplaying-tray"
BUNDLE_ID = "io.github.nowplaying-tray"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
RUN_VALUE = "NowPlayingTray"


class Autostart(Protocol):
    def is_enabled(self) -> bool: ...
    def enable(self) -> None: ...
    def disable(self) -> None: ...


def launch_command() -> list[str]:
    """How to start this app again: the frozen binary, the installed script, or the module."""
    if getattr(sys, "frozen", False):
        executable = Path(sys.executable)
        # On Windows the bundle also has a console program; start at login wants the GUI one.
        gui = executable.with_name(executable.name.replace("-cli", ""))
        return [str(gui if gui.exists() else executable)]
    script = shutil.which(APP_ID)
    if script:
        return [script]
    return [sys.executable, "-m", "nowplaying_tray"]


class XdgAutostart:
    def __init__(self, config_home: Path | None = None, command: list[str] | None = None) -> None:
        home = config_home or Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
        self.path = home / "autostart" / f"{APP_ID}.desktop"
        self._command = command or launch_command()

    def is_enabled(self) -> bool:
        return self.path.is_file()

    def enable(self) -> None:
        write_text_atomic(self.path, desktop_entry(self._command))
        logger.info("Start at login enabled (%s)", self.path)

    def disable(self) -> None:
        self.path.unlink(missing_ok=True)
        logger.info("Start at login disabled")


def desktop_entry(command: list[str]) -> str:
    """An autostart entry that passes ``desktop-file-validate``."""
    return "\n".join(
        [
            "[Desktop Entry]",
            "Type=Application",
            "Name=Now Playing",
            "GenericName=Spotify now playing",
            "Comment=Shows the song you are hearing on Spotify in the system tray",
            f"Exec={_desktop_exec(command)}",
            f"Icon={APP_ID}",
            "Terminal=false",
            "StartupNotify=false",
            "Categories=AudioVideo;Audio;",
            "X-GNOME-Autostart-enabled=true",
            "",
        ]
    )


def _desktop_exec(command: list[str]) -> str:
    # The Desktop Entry spec quotes arguments with double quotes and escapes \ " ` $.
    def quote(arg: str) -> str:
        if not any(c in arg for c in " \t\n\"'\\><~|&;$*?#()`"):
            return arg
        escaped = "".join("\\" + c if c in '"`$\\' else c for c in arg)
        return f'"{escaped}"'

    return " ".join(quote(arg).replace("%", "%%") for arg in command)


class WindowsRunKey:
    """``registry`` is ``winreg`` on Windows; tests pass a fake with the same calls."""

    def __init__(self, registry: Any, command: list[str] | None = None) -> None:
        self._registry = registry
        self._command = command or launch_command()

    def is_enabled(self) -> bool:
        try:
            with self._registry.OpenKey(self._registry.HKEY_CURRENT_USER, RUN_KEY) as key:
                self._registry.QueryValueEx(key, RUN_VALUE)
                return True
        except OSError:
            return False

    def enable(self) -> None:
        value = " ".join(f'"{arg}"' if " " in arg else arg for arg in self._command)
        with self._registry.CreateKey(self._registry.HKEY_CURRENT_USER, RUN_KEY) as key:
            self._registry.SetValueEx(key, RUN_VALUE, 0, self._registry.REG_SZ, value)

    def disable(self) -> None:
        try:
            with self._registry.OpenKey(
                self._registry.HKEY_CURRENT_USER, RUN_KEY, 0, self._registry.KEY_SET_VALUE
            ) as key:
                self._registry.DeleteValue(key, RUN_VALUE)
        except OSError:
            pass  # not there: already disabled


class MacLaunchAgent:
    def __init__(self, home: Path | None = None, command: list[str] | None = None) -> None:
        self.path = (home or Path.home()) / "Library" / "LaunchAgents" / f"{BUNDLE_ID}.plist"
        self._command = command or launch_command()

    def is_enabled(self) -> bool:
        return self.path.is_file()

    def enable(self) -> None:
        import plistlib  # macOS only, and only when switched on (xml.parsers.expat with it)

        agent = {
            "Label": BUNDLE_ID,
            "ProgramArguments": self._command,
            "RunAtLoad": True,
            "ProcessType": "Interactive",
        }
        write_bytes_atomic(self.path, plistlib.dumps(agent))

    def disable(self) -> None:
        self.path.unlink(missing_ok=True)


def autostart_for_this_platform() -> Autostart:
    if sys.platform == "win32":
        import winreg

        return WindowsRunKey(winreg)
    if sys.platform == "darwin":
        return MacLaunchAgent()
    return XdgAutostart()


__all__ = [
    "Autostart",
    "MacLaunchAgent",
    "WindowsRunKey",
    "XdgAutostart",
    "autostart_for_this_platform",
    "desktop_entry",
    "launch_command",
]
