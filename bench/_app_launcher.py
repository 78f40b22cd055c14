"""Runs the real app (``nowplaying_tray.cli.main``) with benchmark hooks, no app code changed.

    python bench/_app_launcher.py [hooks] -- [app arguments, e.g. --demo]

The hooks wrap ``TrayApp.start`` and print ``BENCH <mark> <monotonic> <json>``
lines on stdout:

- ``launcher-start``: the interpreter is up, before any import of the app;
- ``tray-shown``: ``TrayApp.start()`` returned (the icon was shown, the first poll queued);
- ``first-playback``: the first playback reached the poller's listeners; the presenter
  is connected first, so the tooltip and the popup already show it;
- ``rss``: memory at the checkpoints of ``--polls``;
- ``summary``: when the app quits (polls, popup state, memory).

Everything else is the app as a person runs it: the same ``run_app``, logging,
settings, keyring and event loop.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

# Kept free of bench/_support.py: whatever this file imports counts as start-up time.


def emit_mark(name: str, **data: object) -> None:
    payload = json.dumps(data, separators=(",", ":")) if data else ""
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
    parser = argparse.ArgumentParser(description=__doc__)
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
        help="decoded covers kept in memory (the app keeps 12; a proposed change)",
    )
    parser.add_argument(
        "--stub-redis",
        action="store_true",
        help="import spotipy with a stand-in for redis (a proposed app change)",
    )
    return parser.parse_args(own), app_args


ARGS, APP_ARGS = _parse(sys.argv[1:])


def memory() -> dict[str, object]:
    return {"rss_kib": proc_status_kib("VmRSS"), "hwm_kib": proc_status_kib("VmHWM")}


def install_hooks() -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from nowplaying_tray.app import TrayApp
    from nowplaying_tray.core.policy import PollConfig

    original_start = TrayApp.start

    def start(self: TrayApp) -> None:
        original_start(self)
        emit_mark("tray-shown")
        # Kept on the app: PySide holds no reference to a plain object's bound slots.
        self._bench_hooks = Hooks(self, QApplication.instance(), QTimer, PollConfig)

    TrayApp.start = start  # type: ignore[method-assign]


class Hooks:
    def __init__(self, tray_app, qapp, timer_class, config_class) -> None:
        self.app = tray_app
        self.qapp = qapp
        self.timer_class = timer_class
        self.config_class = config_class
        self.first_seen = False
        self.fast = False
        self.polls = 0
        self.playbacks = 0
        self.errors = 0
        self.popup_ticks = 0
        self.popup_first_hidden_at: float | None = None
        self.checkpoints = sorted(int(n) for n in ARGS.checkpoints.split(",") if n)
        self.snapshot = None
        if ARGS.art_memory_items is not None:
            tray_app.artwork._memory_items = ARGS.art_memory_items
        tray_app.poller.playback_changed.connect(self.on_playback)
        tray_app.poller.error_changed.connect(self.on_error)
        tray_app.popup.ticker().timeout.connect(self.on_tick)
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
            poller = self.app.poller
            poller.config = self.config_class(
                playing_interval_s=ARGS.poll_interval,
                paused_interval_s=ARGS.poll_interval,
                idle_interval_s=ARGS.poll_interval,
                quiet_interval_s=ARGS.poll_interval,
                end_margin_s=0.0,
                min_delay_s=0.001,
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
        popup = self.app.popup
        emit_mark(
            "summary",
            polls=self.polls,
            playbacks=self.playbacks,
            errors=self.errors,
            popup_visible=popup.isVisible(),
            popup_first_hidden_at=self.popup_first_hidden_at,
            popup_ticks=self.popup_ticks,
            tracemalloc_top=top,
            **memory(),
        )


def import_spotipy_without_redis() -> None:
    """What the proposed ``nowplaying_tray.core.spotipy_import`` would do: spotipy's
    cache_handler imports ``redis`` only to name RedisError (for a cache handler the app
    never uses), and redis with redis.asyncio costs over 100 ms at start-up."""
    import types

    if "redis" in sys.modules:
        return
    stub = types.ModuleType("redis")
    stub.RedisError = type("RedisError", (Exception,), {})  # type: ignore[attr-defined]
    sys.modules["redis"] = stub
    try:
        import spotipy  # noqa: F401
    finally:
        if sys.modules.get("redis") is stub:
            del sys.modules["redis"]


def main() -> int:
    if ARGS.stub_redis:
        import_spotipy_without_redis()
    install_hooks()
    from nowplaying_tray.cli import main as cli_main

    return cli_main(APP_ARGS)


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.exit(main())
