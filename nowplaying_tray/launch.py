"""Starting the tray app quickly: the icon first, everything else a moment later.

Importing the whole app (spotipy, requests, keyring, the widgets) takes longer
than Qt needs to put an icon in the tray. So the icon is shown from this light
module, and ``nowplaying_tray.app`` is imported and wired on the first turn of
the event loop, while the person already sees that the app is there.
"""

from __future__ import annotations

import contextlib
import functools
import linecache
import logging
import os
import signal
import socket
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QMessageLogContext,
    QSocketNotifier,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication

from nowplaying_tray.core.paths import AppPaths
from nowplaying_tray.logs import configure_logging
from nowplaying_tray.services.single_instance import SingleInstance
from nowplaying_tray.ui.icons import app_icon
from nowplaying_tray.ui.tray_icon_choice import TrayIconChoice

if TYPE_CHECKING:
    from nowplaying_tray.bus.thread import BusThread
    from nowplaying_tray.ui.bus_tray_icon import TrayIcon

logger = logging.getLogger(__name__)

# What Ctrl+C ends the app with, as for every command (the README's table).
EXIT_INTERRUPTED = 130

# Imports on other threads (the D-Bus thread, the login's keyring check) are done by then.
LATE_IMPORTS_MS = 5000
SESSION_BUS = "DBUS_SESSION_BUS_ADDRESS"


def run_app(paths: AppPaths, demo: bool = False, debug: bool = False) -> int:
    """Start the tray app; returns the exit status."""
    configure_logging(debug=debug, log_dir=paths.log_dir, console=True)
    _headless_without_display()
    # Headless (offscreen) runs have no tray to look at: show track changes on the console.
    headless = os.environ.get("QT_QPA_PLATFORM") == "offscreen"
    _route_qt_messages()
    _prefer_xwayland_when_frozen()
    app = _make_application()
    instance = SingleInstance(paths.cache_dir)  # one app per user, the demo included
    if not instance.acquire():
        print("Now Playing is already running; showing it.", file=sys.stderr)
        return 0
    app.aboutToQuit.connect(instance.release)
    if demo:
        # Its own settings, state and cache: the real account's request count, recently
        # played list and settings are never touched by the demo's made-up items.
        paths = paths.for_demo()

    running: dict[str, Any] = {}  # keeps the app's objects alive while Qt runs
    if headless:
        print(
            "No tray to show: track changes and problems are printed here. Press Ctrl+C to quit.",
            file=sys.stderr,
            flush=True,
        )

    def start(icon: TrayIcon, bus: BusThread | None) -> None:
        begin = functools.partial(_start, app, icon, bus, instance, paths, demo, headless)
        QTimer.singleShot(0, lambda: running.update(app=_or_quit(app, begin)))

    # The icon first: on the app's own bus where a StatusNotifierItem host runs, else Qt's.
    choice = TrayIconChoice(use_bus=not headless and bool(os.environ.get(SESSION_BUS)))
    choice.chosen.connect(start)
    running["tray"] = choice
    choice.choose()
    _quit_on_signals(app)
    status = app.exec()
    logger.info("Quit")
    return status


def _headless_without_display() -> None:
    """No X or Wayland display and no platform chosen: run offscreen rather than let Qt
    abort (it would blame a missing xcb library)."""
    if (
        sys.platform.startswith("linux")
        and not os.environ.get("QT_QPA_PLATFORM")
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        print("No display found: running headless.", file=sys.stderr, flush=True)


_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.DEBUG,
    # Qt's warnings speak to developers ("This plugin does not support raise()"):
    # the log keeps them, the terminal stays for our own words.
    QtMsgType.QtWarningMsg: logging.INFO,
    QtMsgType.QtCriticalMsg: logging.WARNING,
    QtMsgType.QtFatalMsg: logging.ERROR,
}


def _route_qt_messages() -> None:
    """Send Qt's own messages to the log instead of straight to stderr."""

    def on_message(kind: QtMsgType, context: QMessageLogContext, text: str) -> None:
        logger.log(_QT_LEVELS.get(kind, logging.INFO), "Qt: %s", text)

    qInstallMessageHandler(on_message)


def _prefer_xwayland_when_frozen() -> None:
    # The packaged build ships Qt's xcb platform only (tray icons and popup placement
    # work best there); on a Wayland session, use XWayland rather than fail over noisily.
    if (
        getattr(sys, "frozen", False)
        and sys.platform.startswith("linux")
        and not os.environ.get("QT_QPA_PLATFORM")
        and os.environ.get("WAYLAND_DISPLAY")
        and os.environ.get("DISPLAY")
    ):
        os.environ["QT_QPA_PLATFORM"] = "xcb"


def _make_application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("nowplaying-tray")
    app.setApplicationDisplayName("Now Playing")
    app.setDesktopFileName("nowplaying-tray")
    app.setQuitOnLastWindowClosed(False)  # closing the popup must not quit a tray app
    app.setWindowIcon(app_icon())
    return app


def _or_quit(app: QApplication, start: Callable[[], object]) -> object:
    try:
        return start()
    except Exception:  # a bug at start-up: say so and quit rather than sit there "starting"
        # The console handler shows this as one line that points at the log file.
        logger.exception("The app could not start")
        app.exit(1)
        return None


def _start(
    app: QApplication,
    icon: TrayIcon,
    bus: BusThread | None,
    instance: SingleInstance,
    paths: AppPaths,
    demo: bool,
    headless: bool,
) -> object:
    instance.listen()  # before the slow imports, so a second start is answered soon
    from nowplaying_tray.app import AppOptions, TrayApp
    from nowplaying_tray.core.settings import SettingsStore

    _forget_module_sources()  # before the app is built, so that it reuses the memory
    loaded = SettingsStore(paths).load()
    options = AppOptions(
        tray_icon=icon,
        bus=bus,
        mpris=sys.platform.startswith("linux"),
        window_without_tray=not headless,
        console=headless,
    )
    settings, demo_backend = loaded.settings, None
    if demo:
        from nowplaying_tray.demo import Demo

        demo_backend = Demo()
        settings = demo_backend.settings(settings)
        options.keyring_backend = demo_backend.keyring
        options.open_url = demo_backend.open_url
        app.aboutToQuit.connect(demo_backend.stop)

    tray_app = TrayApp(settings, paths, options)
    instance.show_requested.connect(tray_app.show_on_request)
    if not demo:  # ``now`` asks the tray first; never answered with the demo's items
        instance.state_answer = tray_app.state_answer
    app.aboutToQuit.connect(tray_app.shutdown)
    tray_app.start()
    _forget_module_sources()
    QTimer.singleShot(LATE_IMPORTS_MS, _forget_module_sources)
    if loaded.problem:
        tray_app.notices.tell("Settings file", loaded.problem)
    if demo_backend is not None:
        tray_app.session.login_quietly()
    return (tray_app, demo_backend)


def _quit_on_signals(app: QApplication) -> None:
    """Quit cleanly on Ctrl-C and SIGTERM.

    Python runs signal handlers only when the interpreter gets control, which
    never happens while Qt sleeps in its event loop. The wakeup fd makes the
    signal poke a socket that Qt watches, so no polling timer is needed.
    """
    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    signal.set_wakeup_fd(writer.fileno())
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read, app)
    notifier.setObjectName("signal-wakeup")

    def drain() -> None:
        with contextlib.suppress(OSError):
            reader.recv(64)

    notifier.activated.connect(drain)
    app._signal_sockets = (reader, writer)  # type: ignore[attr-defined]  # keep them alive
    # Ctrl+C means "interrupted", as for every command; SIGTERM is an ordinary stop. Both on
    # the event loop: a handler runs inside whatever Python code the signal interrupted, and
    # quitting there would run the app's shutdown in the middle of it.
    signal.signal(
        signal.SIGINT, lambda *_: QTimer.singleShot(0, lambda: app.exit(EXIT_INTERRUPTED))
    )
    signal.signal(signal.SIGTERM, lambda *_: QTimer.singleShot(0, app.quit))


def _forget_module_sources() -> None:
    """Drop the source text of every imported module, which nothing here reads.

    PySide6 reads each module's source as it is imported (to see whether it uses
    PySide6, for its ``__feature__`` switches), and ``linecache`` keeps it: about
    5 MiB of text for the app's 300-odd modules. A traceback reads its lines again.
    """
    linecache.clearcache()
