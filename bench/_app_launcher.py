"""Runs the real app (``nowplaying_tray.cli.main``) with benchmark marks, no app code changed.

    python bench/_app_launcher.py [options] -- [app arguments, e.g. --demo]

Hooks are put in from outside and print ``BENCH <mark> <monotonic> <json>`` lines
on stdout:

- ``launcher-start``: the interpreter is up, before any import of the app;
- ``tray-shown``: the first ``QSystemTrayIcon.show()`` returned: the early icon that
  ``nowplaying_tray.launch.run_app`` shows before it imports the rest of the app;
- ``app-started``: ``TrayApp.start()`` returned (``nowplaying_tray.app`` imported, the
  app built, the first poll queued). ``TrayApp`` is wrapped the moment
  ``nowplaying_tray.app`` is first imported (an import hook), so the launcher itself
  imports none of the app ahead of time;
- ``first-playback``: the first playback reached the poller's listeners; the presenter
  is connected first, so the tooltip and the popup already show it;
- ``rss``: memory at the checkpoints of ``--polls`` (the marks above carry it too);
- ``summary``: when the app quits (polls, popup state, memory, whether redis was loaded).

Qt's offscreen platform has no system tray: ``QSystemTrayIcon.isSystemTrayAvailable()``
is False there, so the app would not show its early icon at all, and after a minute of
waiting for a tray it would turn its popup into a window. On offscreen the launcher
therefore answers True, as a desktop with a tray does (``--no-tray`` keeps Qt's answer).

Everything else is the app as a person runs it: the same ``run_app``, logging,
settings, keyring and event loop.
"""

from __future__ import annotations

import argparse
import importlib.abc
import importlib.machinery
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

# Kept free of bench/_support.py: whatever this file imports counts as start-up time.


def emit_mark(name: str, **data: object) -> None:
    # CPU time of the whole process so far: unlike wall time, it barely moves with load.
    data = {**data, "cpu_s": round(time.process_time(), 4)}
    payload = json.dumps(data, separators=(",", ":"))
    sys.stdout.write(f"BENCH {name} {time.monotonic():.6f} {payload}".rstrip() + "\n")
    sys.stdout.flush()


def proc_status_kib(key: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    raise KeyError(key)


emit_mark("launcher-start")


def _parse(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    if "--" in argv:
        split = argv.index("--")
        own, app_args = argv[:split], argv[split + 1 :]
    else:
        own, app_args = argv, []
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--exit-after-first-playback", action="store_true", help="quit once it is shown"
    )
    parser.add_argument("--settle", type=float, default=0.0, help="s to wait after it first")
    parser.add_argument("--popup", action="store_true", help="open the popup after it")
    parser.add_argument("--polls", type=int, default=0, help="then poll this many times, fast")
    parser.add_argument("--poll-interval", type=float, default=0.01, help="s between fast polls")
    parser.add_argument(
        "--checkpoints", default="1000,2000,5000", help="polls at which to report memory"
    )
    parser.add_argument("--tracemalloc", action="store_true", help="report allocation growth")
    parser.add_argument(
        "--art-memory-items",
        type=int,
        default=None,
        help="decoded covers kept in memory (the app keeps 3), to try other sizes",
    )
    parser.add_argument(
        "--no-tray",
        action="store_true",
        help="on offscreen, keep Qt's answer that there is no system tray",
    )
    return parser.parse_args(own), app_args


ARGS, APP_ARGS = _parse(sys.argv[1:])


def memory() -> dict[str, object]:
    return {"rss_kib": proc_status_kib("VmRSS"), "hwm_kib": proc_status_kib("VmHWM")}


# -- hooks ------------------------------------------------------------------------------


class _AfterImport(importlib.abc.MetaPathFinder):
    """Calls ``callback(module)`` right after ``name`` is first imported (executed)."""

    def __init__(self, name: str, callback: Callable[[ModuleType], None]) -> None:
        self.name = name
        self.callback = callback

    def find_spec(self, fullname, path, target=None):  # type: ignore[no-untyped-def]
        if fullname != self.name:
            return None
        sys.meta_path.remove(self)  # once; and out of the way of the real lookup below
        spec = importlib.machinery.PathFinder.find_spec(fullname, path, target)
        if spec is None or spec.loader is None:
            return spec
        loader, callback = spec.loader, self.callback
        exec_module = loader.exec_module

        def exec_then_hook(module: ModuleType) -> None:
            exec_module(module)
            callback(module)

        loader.exec_module = exec_then_hook  # type: ignore[method-assign]
        return spec


def install_hooks() -> None:
    from PySide6.QtWidgets import QSystemTrayIcon

    if os.environ.get("QT_QPA_PLATFORM") == "offscreen" and not ARGS.no_tray:
        QSystemTrayIcon.isSystemTrayAvailable = staticmethod(lambda: True)  # type: ignore[method-assign]

    original_show = QSystemTrayIcon.show
    shown = False

    def show(self: QSystemTrayIcon) -> None:
        nonlocal shown
        original_show(self)
        if not shown:
            shown = True
            emit_mark("tray-shown", **memory())

    QSystemTrayIcon.show = show  # type: ignore[method-assign]
    sys.meta_path.insert(0, _AfterImport("nowplaying_tray.app", hook_tray_app))


def hook_tray_app(module: ModuleType) -> None:
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    from nowplaying_tray.core.policy import PollConfig

    tray_app_class = module.TrayApp
    original_start = tray_app_class.start

    class ShowWatcher(QObject):
        """Notes when the popup is first shown, however it was shown."""

        def __init__(self, hooks: Hooks) -> None:
            super().__init__()
            self.hooks = hooks

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Show and self.hooks.popup_first_shown_at is None:
                self.hooks.popup_first_shown_at = time.monotonic()
            return False

    def start(self) -> None:  # type: ignore[no-untyped-def]
        original_start(self)
        emit_mark("app-started", **memory())
        # Kept on the app: PySide holds no reference to a plain object's bound slots.
        self._bench_hooks = hooks = Hooks(self, QApplication.instance(), QTimer, PollConfig)
        hooks.watcher = ShowWatcher(hooks)
        self.popup.installEventFilter(hooks.watcher)

    tray_app_class.start = start


BENCH_BUDGET = 10_000_000  # requests a "day": the fast polls never meet the budget's pace


class Hooks:
    def __init__(self, tray_app, qapp, timer_class, config_class) -> None:  # type: ignore[no-untyped-def]
        self.app = tray_app
        self.qapp = qapp
        self.timer_class = timer_class
        self.config_class = config_class
        self.watcher: object = None
        self.first_seen = False
        self.fast = False
        self.polls = 0
        self.playbacks = 0
        self.errors = 0
        self.popup_ticks = 0
        self.popup_first_shown_at: float | None = None
        self.popup_first_hidden_at: float | None = None
        self.checkpoints = sorted(int(n) for n in ARGS.checkpoints.split(",") if n)
        self.snapshot = None
        if ARGS.art_memory_items is not None:
            tray_app.artwork._memory_items = ARGS.art_memory_items
        tray_app.hub.playback_changed.connect(self.on_playback)
        tray_app.hub.error_changed.connect(self.on_error)
        from nowplaying_tray.ui.popup.window import TICKER_NAME

        ticker = tray_app.popup.findChild(timer_class, TICKER_NAME)
        assert ticker is not None, "the popup has no progress ticker"
        ticker.timeout.connect(self.on_tick)
        tray_app.popup.hidden.connect(self.on_popup_hidden)
        qapp.aboutToQuit.connect(self.on_quit)

    def on_tick(self) -> None:
        self.popup_ticks += 1

    def on_popup_hidden(self) -> None:
        if self.popup_first_hidden_at is None:
            self.popup_first_hidden_at = time.monotonic()

    def on_error(self, error: object) -> None:
        if error is not None and self.fast:
            self.errors += 1

    def on_playback(self, playback: object) -> None:
        self.playbacks += 1
        if not self.first_seen:
            self.first_seen = True
            emit_mark("first-playback", **memory())
            if ARGS.exit_after_first_playback:
                self.timer_class.singleShot(int(ARGS.settle * 1000), self.qapp.quit)
                return
            self.timer_class.singleShot(int(ARGS.settle * 1000), self.after_settle)
            return
        if self.fast:
            self.polls += 1
            if self.checkpoints and self.polls >= self.checkpoints[0]:
                self.checkpoints.pop(0)
                emit_mark("rss", polls=self.polls, **memory())
            if self.polls >= ARGS.polls:
                self.fast = False
                emit_mark("rss", polls=self.polls, **memory())
                self.qapp.quit()

    def after_settle(self) -> None:
        if ARGS.popup:
            self.app.presenter.show_popup()
        if ARGS.polls:
            emit_mark("rss", polls=0, **memory())
            if ARGS.tracemalloc:
                import tracemalloc

                tracemalloc.start(12)
                self.snapshot = tracemalloc.take_snapshot()
            # The daily budget would pace these polls seconds apart: measure polls, not pacing.
            self.app.budget.set_limit(BENCH_BUDGET)
            poller = self.app.poller
            poller.reconfigure(
                self.config_class(
                    playing_interval_s=ARGS.poll_interval,
                    paused_interval_s=ARGS.poll_interval,
                    idle_interval_s=ARGS.poll_interval,
                    quiet_interval_s=ARGS.poll_interval,
                    end_margin_s=0.0,
                    min_delay_s=0.001,
                )
            )
            self.fast = True
            poller.poll_now("benchmark")

    def on_quit(self) -> None:
        top: list[str] = []
        if self.snapshot is not None:
            import tracemalloc

            after = tracemalloc.take_snapshot()
            stats = after.compare_to(self.snapshot, "traceback")
            top = []
            for stat in stats[:8]:
                frames = [
                    f"{Path(frame.filename).name}:{frame.lineno}"
                    for frame in list(stat.traceback)[-4:]
                ]
                top.append(
                    f"{stat.size_diff / 1024:+.1f} KiB ({stat.count_diff:+d}) "
                    + " < ".join(reversed(frames))
                )
            tracemalloc.stop()
        emit_mark(
            "summary",
            polls=self.polls,
            playbacks=self.playbacks,
            errors=self.errors,
            # The app's own aboutToQuit slots (shutdown hides the popup) ran before this one.
            popup_first_shown_at=self.popup_first_shown_at,
            popup_first_hidden_at=self.popup_first_hidden_at,
            popup_ticks=self.popup_ticks,
            redis_loaded="redis" in sys.modules,
            tracemalloc_top=top,
            **memory(),
        )


def main() -> int:
    install_hooks()
    from nowplaying_tray.cli import main as cli_main

    return cli_main(APP_ARGS)


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.exit(main())
