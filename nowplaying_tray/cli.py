"""The command line: ``nowplaying-tray [--demo] [login | logout | now | simulator]``.

Everything here works without a display; the tray app (no subcommand) is
imported only when it is started, so ``now`` stays quick.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from nowplaying_tray import __version__
from nowplaying_tray.core.errors import (
    ApiUnavailable,
    AuthRequired,
    KeyringUnavailable,
    LoginFailed,
    MissingClientId,
    NowPlayingError,
    Offline,
    RateLimited,
)
from nowplaying_tray.core.paths import AppPaths
from nowplaying_tray.logs import configure_logging, install_exception_hooks

# Imported where used: the tray app's start (no subcommand) shows its icon before
# it loads any of these.
if TYPE_CHECKING:
    from nowplaying_tray.core.factory import Core
    from nowplaying_tray.core.settings import Settings

logger = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_AUTH = 3
EXIT_RATE_LIMITED = 4
EXIT_UNREACHABLE = 5


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nowplaying-tray",
        description="Shows what you are hearing on Spotify. With no command, starts the tray app.",
    )
    parser.add_argument("--version", action="version", version=f"nowplaying-tray {__version__}")
    parser.add_argument("--debug", action="store_true", help="verbose logs (secrets redacted)")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="run against a built-in Spotify simulator; no account needed",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("login", help="log in to Spotify in your browser")
    commands.add_parser("logout", help="forget the stored login")
    now = commands.add_parser("now", help="print what is playing, once")
    shape = now.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help="print one JSON object")
    shape.add_argument(
        "--format",
        metavar="TEMPLATE",
        help="e.g. '{artist} — {title}'; keys: title artist album progress duration "
        "state device url",
    )
    simulator = commands.add_parser("simulator", help="run the local Spotify simulator")
    simulator.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    simulator.add_argument("--auto-approve", action="store_true", help="skip the consent page")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    install_exception_hooks()
    try:
        return _run(args)
    except KeyboardInterrupt:
        _say("Interrupted.")
        return 130
    except Exception as exc:  # the last line of defence: no traceback for the user
        logger.exception("Unexpected error")
        _say(f"nowplaying-tray: unexpected error ({type(exc).__name__}); details are in the log.")
        return EXIT_FAILED


def _run(args: argparse.Namespace) -> int:
    paths = AppPaths.default()
    if args.command == "simulator":
        configure_logging(debug=args.debug, console=True)
        from nowplaying_tray.simulator.cli import main as simulator_main

        extra = ["--port", str(args.port)] + (["--auto-approve"] if args.auto_approve else [])
        return simulator_main(extra)
    if args.command is None:
        from nowplaying_tray.launch import run_app

        return run_app(paths=paths, demo=args.demo, debug=args.debug)

    from nowplaying_tray.core.settings import SettingsStore

    configure_logging(debug=args.debug, log_dir=paths.log_dir, console=args.debug)
    loaded = SettingsStore(paths).load()
    if loaded.problem:
        _say(loaded.problem)
    if args.command == "login":
        return _login(loaded.settings, paths)
    if args.command == "logout":
        return _logout(loaded.settings, paths)
    return _now(loaded.settings, paths, args.json, args.format)


def _build_core(settings: Settings, paths: AppPaths) -> Core:
    # Imported here: spotipy and requests are not needed for --version or the tray's start.
    from nowplaying_tray.core.budget import RequestBudget, budget_file
    from nowplaying_tray.core.factory import build_core

    # Every request counts against the same daily budget as the tray app's.
    budget = RequestBudget(settings.daily_request_budget, path=budget_file(paths.state_dir))
    budget.load()
    return build_core(settings, budget=budget)


def _login(settings: Settings, paths: AppPaths) -> int:
    core = _build_core(settings, paths)
    flow = core.login_flow(
        show_url=lambda url: _say(
            f"Opening your browser to log in. If it does not open, visit:\n{url}"
        )
    )
    try:
        flow.run()
        name = core.gateway.display_name()
    except KeyboardInterrupt:
        flow.cancel()
        raise
    except (LoginFailed, KeyringUnavailable) as exc:
        return _fail(exc, EXIT_FAILED)
    except NowPlayingError as exc:
        return _fail(exc, _exit_status(exc))
    finally:
        _save_budget(core)
    print(f"Logged in as {name}")
    return EXIT_OK


def _logout(settings: Settings, paths: AppPaths) -> int:
    if not settings.client_id:
        return _fail(MissingClientId(), EXIT_AUTH)
    try:
        _build_core(settings, paths).store.delete()
    except KeyringUnavailable as exc:
        return _fail(exc, EXIT_FAILED)
    print("Logged out.")
    return EXIT_OK


def _now(settings: Settings, paths: AppPaths, as_json: bool, template: str | None) -> int:
    import json

    from nowplaying_tray.core.text import one_line, render_template, template_values

    core = _build_core(settings, paths)
    try:
        playback = core.gateway.current_playback()
    except NowPlayingError as exc:
        return _fail(exc, _exit_status(exc))
    finally:
        _save_budget(core)
    now = time.monotonic()
    if as_json:
        data = playback.to_json(now)
        if core.gateway.budget is not None:
            data["budget"] = core.gateway.budget.view().to_json()
        print(json.dumps(data, ensure_ascii=False))
    elif template is not None:
        print(render_template(template, template_values(playback, now)))
    else:
        print(one_line(playback))
    return EXIT_OK


def _save_budget(core: Core) -> None:
    if core.gateway.budget is not None:
        core.gateway.budget.save_if_changed()


def _exit_status(error: NowPlayingError) -> int:
    if isinstance(error, AuthRequired | MissingClientId):
        return EXIT_AUTH
    if isinstance(error, RateLimited):
        return EXIT_RATE_LIMITED
    if isinstance(error, Offline | ApiUnavailable):
        return EXIT_UNREACHABLE
    if isinstance(error, KeyringUnavailable):
        return EXIT_FAILED
    return EXIT_UNREACHABLE


def _fail(error: NowPlayingError, status: int) -> int:
    _say(f"nowplaying-tray: {error.message}")
    return status


def _say(text: str) -> None:
    print(text, file=sys.stderr)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
