"""End-to-end checks of tests/desktop_support against the real programs.

These prove the harness itself: a real tray host sees a Qt tray icon's tooltip change
over D-Bus, a real notification server answers ``Notify`` while the recorder captures
the call, and a real Secret Service round-trips passwords for both ``secret-tool`` and
Python's ``keyring``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from tests.desktop_support import (
    DesktopSession,
    desktop_session,
    isolated_env,
    missing_tools,
    pixel_at,
    read_sni_items,
    read_sni_property,
    read_sni_tooltip,
    read_sni_tooltip_parts,
    require_tools,
    screenshot,
    secret_service,
    send_notification,
    server_information,
    session_bus,
    wait_for_sni_items,
    wait_for_sni_tooltip,
    wait_until,
)
from tests.desktop_support._proc import managed_process

TRAY_TOOLS = ("Xvfb", "dbus-daemon", "xfce4-panel", "dunst", "import", "convert")
ICON_RGB = (0x1D, 0xB9, 0x54)  # the colour the child fills its icon with

# A tray icon driven line by line from stdin, so the test decides when the tooltip
# changes instead of racing a timer. Each command is acknowledged with "done <cmd>".
QT_TRAY_CHILD = textwrap.dedent(
    """
    import json, os, sys
    from PySide6.QtCore import QSocketNotifier, QTimer
    from PySide6.QtGui import QColor, QIcon, QPixmap
    from PySide6.QtWidgets import QApplication, QSystemTrayIcon

    app = QApplication(sys.argv)
    app.setApplicationName("harness-probe")
    pixmap = QPixmap(22, 22)
    pixmap.fill(QColor("#1db954"))
    icon = QSystemTrayIcon(QIcon(pixmap))
    icon.setToolTip("hello")
    icon.show()
    print(json.dumps({
        "platform": app.platformName(),
        "available": QSystemTrayIcon.isSystemTrayAvailable(),
    }), flush=True)

    def on_stdin():
        data = os.read(sys.stdin.fileno(), 4096)
        if not data:
            app.quit()
            return
        for command in data.decode().split():
            if command == "world":
                icon.setToolTip("world")
            elif command == "message":
                icon.showMessage(
                    "Now playing", "Song - Artist", QSystemTrayIcon.MessageIcon.Information, 3000
                )
            print("done " + command, flush=True)

    notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
    notifier.activated.connect(on_stdin)
    QTimer.singleShot(30000, app.quit)  # never outlive a hung test
    sys.exit(app.exec())
    """
)


class QtTrayChild:
    """The tray-icon child process: send commands, wait for acknowledgements."""

    def __init__(self, proc: subprocess.Popen[bytes], log_path: Path) -> None:
        self.proc = proc
        self.log_path = log_path

    def lines(self) -> list[str]:
        return self.log_path.read_text(errors="replace").splitlines()

    def wait_for_line(self, prefix: str, timeout: float = 10.0) -> str:
        def find() -> str | None:
            return next((line for line in self.lines() if line.startswith(prefix)), None)

        return wait_until(
            find,
            what=f"{prefix!r} from the Qt child",
            timeout=timeout,
            proc=self.proc,
            log_path=self.log_path,
        )

    def command(self, command: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"{command}\n".encode())
        self.proc.stdin.flush()
        self.wait_for_line(f"done {command}")


def start_qt_tray_child(
    desk: DesktopSession, tmp_path: Path
) -> AbstractContextManager[subprocess.Popen[bytes]]:
    env = {**desk.env, "QT_QPA_PLATFORM": "xcb"}
    return managed_process(
        [sys.executable, "-c", QT_TRAY_CHILD],
        name="qt-tray-child",
        env=env,
        log_path=tmp_path / "qt-child.log",
        stdin=subprocess.PIPE,
    )


def test_missing_tools_lists_only_absent_programs():
    assert missing_tools("sh", "no-such-tool-3f9a") == ["no-such-tool-3f9a"]
    assert missing_tools() == []


def test_require_tools_fails_in_ci_and_skips_elsewhere(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"scripts/bootstrap\.sh"):
        require_tools("no-such-tool-3f9a")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="no-such-tool-3f9a"):
        require_tools("sh", "no-such-tool-3f9a")
    require_tools("sh")  # present: returns quietly


@pytest.mark.desktop
def test_qt_tray_tooltip_is_visible_over_dbus(tmp_path):
    require_tools(*TRAY_TOOLS)
    with desktop_session(tmp_path, notifications=False) as desk:
        with start_qt_tray_child(desk, tmp_path) as proc:
            child = QtTrayChild(proc, tmp_path / "qt-child.log")
            info = json.loads(child.wait_for_line("{"))
            assert info == {"platform": "xcb", "available": True}

            (item,) = wait_for_sni_items(desk.bus_address)
            assert item.endswith("/StatusNotifierItem")  # Qt registers "<unique name>/path"
            wait_for_sni_tooltip(desk.bus_address, item, "hello")
            tooltip = read_sni_tooltip_parts(desk.bus_address, item)
            assert (tooltip.icon_name, tooltip.icon_pixmaps, tooltip.text) == ("", [], "")
            assert tooltip.title == "hello"
            assert read_sni_property(desk.bus_address, item, "Id") == "harness-probe"
            assert read_sni_property(desk.bus_address, item, "Status") == "Active"

            child.command("world")
            assert wait_for_sni_tooltip(desk.bus_address, item, "world") == "world"
            assert read_sni_tooltip(desk.bus_address, item) == "world"

            # The panel really draws the icon: the top-left panel slot turns Qt's green.
            shot = tmp_path / "tray.png"
            wait_until(
                lambda: pixel_at(screenshot(desk.display, shot, env=desk.env), 10, 15) == ICON_RGB,
                what="tray icon drawn on screen",
                timeout=10,
            )

        # The watcher forgets the item once its process is gone.
        wait_until(
            lambda: read_sni_items(desk.bus_address) == [],
            what="item unregistered",
            timeout=10,
        )


@pytest.mark.desktop
def test_qt_show_message_becomes_a_desktop_notification(tmp_path):
    require_tools(*TRAY_TOOLS)
    with (
        desktop_session(tmp_path) as desk,
        start_qt_tray_child(desk, tmp_path) as proc,
    ):
        assert desk.notifications is not None
        child = QtTrayChild(proc, tmp_path / "qt-child.log")
        (item,) = wait_for_sni_items(desk.bus_address)
        child.command("message")
        (call,) = desk.notifications.wait_for_calls(1)
        assert (call.app_name, call.summary, call.body) == (
            "harness-probe",
            "Now playing",
            "Song - Artist",
        )
        assert call.app_icon == "dialog-information"
        assert call.timeout == 3000
        assert call.reply_id is not None and call.reply_id > 0
        # While the message shows, Qt flags the item and swaps in the message icon.
        assert read_sni_property(desk.bus_address, item, "Status") == "NeedsAttention"
        assert read_sni_property(desk.bus_address, item, "AttentionIconName") == (
            "dialog-information"
        )


@pytest.mark.desktop
def test_notify_is_recorded_and_answered_by_dunst(tmp_path):
    require_tools("Xvfb", "dbus-daemon", "dunst")
    with desktop_session(tmp_path, tray=False) as desk:
        recorder = desk.notifications
        assert recorder is not None
        assert server_information(desk.bus_address)[0] == "dunst"

        first = send_notification(
            desk.bus_address,
            "Now playing",
            "Song - Artist",
            app_name="nowplaying-tray",
            actions=["default", "Open", "next", "Next track"],
            hints={"urgency": ("y", 1), "desktop-entry": ("s", "nowplaying-tray")},
            timeout=5000,
        )
        assert first > 0
        second = send_notification(
            desk.bus_address, "Now playing", "Other Song - Artist", replaces_id=first
        )
        assert second == first  # replaces_id updates the bubble in place

        calls = recorder.wait_for_calls(2)
        assert len(calls) == 2
        call = calls[0]
        assert (call.app_name, call.replaces_id, call.app_icon) == ("nowplaying-tray", 0, "")
        assert (call.summary, call.body, call.timeout) == ("Now playing", "Song - Artist", 5000)
        assert call.action_pairs == [("default", "Open"), ("next", "Next track")]
        assert call.hints == {"urgency": 1, "desktop-entry": "nowplaying-tray"}
        assert call.reply_id == first
        assert call.reply_error is None
        assert (calls[1].replaces_id, calls[1].reply_id) == (first, first)

        shot = screenshot(desk.display, tmp_path / "notification.png", env=desk.env)
        assert shot.stat().st_size > 1000


KEYRING_CHILD = textwrap.dedent(
    """
    import json, keyring

    def name(obj):
        return f"{type(obj).__module__}.{type(obj).__qualname__}"

    selected = keyring.get_keyring()
    # With keyrings.alt installed too, keyring picks its ChainerBackend, which tries
    # the viable backends by priority; the first one is where passwords go.
    chain = getattr(selected, "backends", None)
    keyring.set_password("nowplaying-harness", "alice", "from-python")
    print(json.dumps({
        "selected": name(selected),
        "backend": name(chain[0] if chain else selected),
        "python": keyring.get_password("nowplaying-harness", "alice"),
        "shell": keyring.get_password("nowplaying-harness", "bob"),
    }))
    """
)


@pytest.mark.desktop
def test_secret_service_round_trips_for_secret_tool_and_keyring(tmp_path):
    require_tools("dbus-daemon", "gnome-keyring-daemon", "secret-tool")
    env = isolated_env(tmp_path / "session")
    with session_bus(env) as bus, secret_service(bus, tmp_path) as secret_env:
        env = {**env, **secret_env}
        assert set(secret_env) >= {
            "DBUS_SESSION_BUS_ADDRESS",
            "XDG_DATA_HOME",
            "XDG_RUNTIME_DIR",
        }

        def run(*argv: str, stdin: str = "") -> str:
            result = subprocess.run(
                argv, env=env, input=stdin.encode(), capture_output=True, timeout=20
            )
            assert result.returncode == 0, result.stderr.decode(errors="replace")
            return result.stdout.decode()

        run(
            "secret-tool",
            "store",
            "--label=harness",
            "service",
            "nowplaying-harness",
            "username",
            "bob",
            stdin="from-shell",
        )
        assert run("secret-tool", "lookup", "service", "nowplaying-harness", "username", "bob") == (
            "from-shell"
        )

        seen = json.loads(run(sys.executable, "-c", KEYRING_CHILD))
        assert seen.pop("selected") in {
            "keyring.backends.SecretService.Keyring",
            "keyring.backends.chainer.ChainerBackend",
        }
        assert seen == {
            "backend": "keyring.backends.SecretService.Keyring",
            "python": "from-python",
            "shell": "from-shell",
        }
        # ...and what Python stored is visible to libsecret.
        lookup = ("secret-tool", "lookup", "service", "nowplaying-harness", "username", "alice")
        assert run(*lookup) == "from-python"


def _group_members(pgid: int) -> list[int]:
    """Live (non-zombie) processes in process group ``pgid``."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] != "Z" and int(fields[2]) == pgid:
            members.append(int(stat.parent.name))
    return members


@pytest.mark.desktop
def test_services_are_stopped_even_when_the_test_fails(tmp_path):
    require_tools(*TRAY_TOOLS)
    seen: dict[str, object] = {}
    with pytest.raises(RuntimeError, match="boom"), desktop_session(tmp_path) as desk:
        assert desk.tray is not None
        seen["panel"] = desk.tray.pid
        seen["socket"] = Path(f"/tmp/.X11-unix/X{desk.display.lstrip(':')}")
        raise RuntimeError("boom")
    panel = seen["panel"]
    assert isinstance(panel, int)
    assert _group_members(panel) == []  # panel and its plugin wrappers
    socket = seen["socket"]
    assert isinstance(socket, Path)
    assert not socket.exists()
    bus_socket = Path(desk.bus_address.split("path=", 1)[1].split(",", 1)[0])
    assert not bus_socket.exists()
