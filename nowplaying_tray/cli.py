"""The command line: ``nowplaying-tray [--demo] [login | logout | now | simulator]``.

Everything here works without a display; the tray app (no subcommand) is
imported only when it is started, so ``now`` stays quick.
"""

from __future__ import annotations

import argparse
import functools
import logging
import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from nowplaying_tray import __version__
from nowplaying_tray.cli_output import print_line as _print
from nowplaying_tray.cli_output import quiet_stdout, use_replacing_streams
from nowplaying_tray.cli_output import say as _say
from nowplaying_tray.core.errors import (
    ApiUnavailable,
    AuthRequired,
    BudgetSpent,
    InvalidTemplate,
    KeyringUnavailable,
    LoginFailed,
    MissingClientId,
    NowPlayingError,
    Offline,
    RateLimited,
)
from nowplaying_tray.core.paths import AppPaths
from nowplaying_tray.core.request_gate import until_words
from nowplaying_tray.core.text import TEMPLATE_KEYS
from nowplaying_tray.logs import configure_logging, install_exception_hooks

# Imported where used: the tray app's start (no subcommand) shows its icon before
# it loads any of these.
if TYPE_CHECKING:
    from nowplaying_tray.core.model import Playback
    from nowplaying_tray.core.settings import Settings
    from nowplaying_tray.core.spotify_access import SpotifyAccess

logger = logging.getLogger(__name__)

PAUSED_MARK = "⏸"  # ``now`` on a paused item: "⏸ Title — Artist"
# After "no client ID" from ``now``: the two ways that need no account of your own.
_WITHOUT_AN_ACCOUNT = "To try it without an account: 'nowplaying-tray --demo'." + (
    " On this computer, a player that is playing or paused (Spotify's desktop app, "
    "spotifyd, ncspot, spotify_player: the \"local_players\" setting) answers 'now' "
    "over MPRIS with no account at all."
    if sys.platform.startswith("linux")
    else ""
)

# The same code means the same thing for every command (the README has this table).
EXIT_OK = 0
EXIT_FAILED = 1  # the login did not complete, or something unexpected
EXIT_USAGE = 2  # bad arguments or template (argparse uses 2 as well)
EXIT_AUTH = 3  # no client ID, not logged in, or the login ended
EXIT_RATE_LIMITED = 4
EXIT_UNREACHABLE = 5  # Spotify unreachable or answering with an error
EXIT_NO_KEYRING = 6
# For ``now --json``: a script reads the failure from stdout as well as from the status.
_ERROR_NAMES = {
    EXIT_FAILED: "failed",
    EXIT_USAGE: "usage",
    EXIT_AUTH: "login_needed",
    EXIT_RATE_LIMITED: "rate_limited",
    EXIT_UNREACHABLE: "unreachable",
    EXIT_NO_KEYRING: "no_keyring",
}
STATUS_OF_PROBLEM = {name: status for status, name in _ERROR_NAMES.items()}


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
    # --debug is accepted after the command too (``now --debug``); SUPPRESS keeps a
    # --debug given before it.
    after = argparse.ArgumentParser(add_help=False)
    after.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("login", parents=[after], help="log in to Spotify in your browser")
    commands.add_parser("logout", parents=[after], help="forget the stored login")
    now = commands.add_parser("now", parents=[after], help="print what is playing, once")
    shape = now.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help="print one JSON object")
    shape.add_argument(
        "--format",
        metavar="TEMPLATE",
        help="e.g. '{artist} — {title}' or '{title:<30.30}'; keys: title artist album "
        "progress duration state device url lyric; widths and precisions up to 200",
    )
    # Its options are the simulator's own (``simulator --help``), passed on as they are.
    commands.add_parser("simulator", add_help=False, help="run the local Spotify simulator")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args, simulator_args = parser.parse_known_args(argv)
    if args.command == "simulator" and "--debug" in simulator_args:
        args.debug = True  # ours, wherever it stands; the simulator has no such option
        simulator_args = [arg for arg in simulator_args if arg != "--debug"]
    if args.command is not None and (args.demo or "--demo" in simulator_args):
        parser.error(
            f"--demo starts the tray app against a built-in simulator; it does not go with "
            f"'{args.command}'. Run 'nowplaying-tray --demo' on its own."
        )
    if simulator_args and args.command != "simulator":
        parser.error(f"unrecognized arguments: {' '.join(simulator_args)}")
    args.simulator_args = simulator_args
    install_exception_hooks()
    use_replacing_streams()
    try:
        status = _run(args)
        sys.stdout.flush()  # here, where a closed pipe can still be caught
        return status
    except BrokenPipeError:
        # The reader went away (``now --json | head -c0``): nobody is left to tell.
        quiet_stdout()
        return EXIT_OK
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

        return simulator_main(args.simulator_args, prog="nowplaying-tray simulator")
    if args.command is None:
        from nowplaying_tray.launch import run_app

        return run_app(paths=paths, demo=args.demo, debug=args.debug)

    from nowplaying_tray.core.settings import SettingsStore

    configure_logging(debug=args.debug, log_dir=paths.log_dir, console=args.debug)
    loaded = SettingsStore(paths).load()
    for problem in loaded.problems:
        _say(f"nowplaying-tray: {problem}")
    if args.command == "login":
        return _login(loaded.settings, paths)
    if args.command == "logout":
        return _logout(loaded.settings, paths)
    return _now(loaded.settings, paths, args.json, args.format)


def _build_core(settings: Settings, paths: AppPaths) -> SpotifyAccess:
    # Imported here: spotipy and requests are not needed for --version or the tray's start.
    from nowplaying_tray.core.budget import RequestBudget, budget_file
    from nowplaying_tray.core.spotify_access import build_access

    # Every request counts against the same daily budget as the tray app's.
    budget = RequestBudget(settings.daily_request_budget, path=budget_file(paths.state_dir))
    budget.load()
    return build_access(settings, budget=budget)


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
    except NowPlayingError as exc:
        return _fail(exc, _exit_status(exc))
    finally:
        _save_budget(core)
    _print(f"Logged in as {name}")
    return EXIT_OK


def _logout(settings: Settings, paths: AppPaths) -> int:
    # A login is stored under its client ID: without one there is none to forget.
    if settings.client_id:
        try:
            _build_core(settings, paths).store.delete()
        except KeyringUnavailable as exc:
            return _fail(exc, EXIT_NO_KEYRING)
    _print("Logged out.")
    return EXIT_OK


def _now(settings: Settings, paths: AppPaths, as_json: bool, template: str | None) -> int:
    from nowplaying_tray.core.playback_choice import Candidate, SourceKind, choose_source
    from nowplaying_tray.core.request_gate import may_ask
    from nowplaying_tray.core.text import json_text, parse_template
    from nowplaying_tray.services.mpris.now import read_local_playback

    if template is not None:
        try:
            parse_template(template)
        except InvalidTemplate as exc:
            return _fail(exc, EXIT_USAGE, prefix="--format: ", keys=exc.unknown_key is not None)
    show = functools.partial(_print_playback, settings, paths, as_json=as_json, template=template)
    # A running tray app knows already: asking it costs no request.
    from nowplaying_tray.cli_tray import ask_tray

    from_tray = ask_tray(paths, as_json, show)
    if from_tray is not None:
        return from_tray
    # A local player that plays answers at once: no request, no account (see
    # core.playback_choice); a paused one answers unless the Web API has something playing.
    local = read_local_playback(settings.local_players)
    if local is not None and local.is_playing:
        show(local, "local", None)
        return EXIT_OK
    core = _build_core(settings, paths)
    try:
        may_ask(core)
        playback = core.gateway.current_playback()
    except NowPlayingError as exc:
        if local is not None:
            logger.info("The Web API could not answer (%s); the paused local player does", exc)
            show(local, "local", None)
            return EXIT_OK
        status = _exit_status(exc)
        if as_json:
            print(json_text({"error": _ERROR_NAMES[status], "message": exc.message}))
        if isinstance(exc, RateLimited | BudgetSpent):
            wait = exc.retry_after if isinstance(exc, RateLimited) else 0.0
            return _fail(exc, status, suffix=until_words(wait))
        if isinstance(exc, MissingClientId):
            _fail(exc, status)
            _say(_WITHOUT_AN_ACCOUNT)
            return status
        return _fail(exc, status)
    finally:
        _save_budget(core)
    chosen = choose_source(
        [Candidate(SourceKind.WEB_API, playback), Candidate(SourceKind.LOCAL, local)]
    )
    if chosen is not None and chosen.kind is SourceKind.LOCAL and local is not None:
        show(local, "local", None)
        return EXIT_OK
    budget = core.gateway.budget.view().to_json() if core.gateway.budget is not None else None
    show(playback, "web_api", budget)
    return EXIT_OK


def _print_playback(
    settings: Settings,
    paths: AppPaths,
    playback: Playback,
    source: str,
    budget: dict[str, Any] | None,
    *,
    as_json: bool,
    template: str | None,
) -> None:
    from nowplaying_tray.core.lyrics_lookup import lyrics_now
    from nowplaying_tray.core.model import PlaybackState
    from nowplaying_tray.core.text import (
        json_text,
        one_line,
        render_template,
        template_uses,
        template_values,
    )

    wanted = as_json or (template is not None and template_uses(template, "lyric"))
    lyrics = lyrics_now(settings, paths.cache_dir / "lyrics", playback) if wanted else None
    now = time.monotonic()
    if as_json:
        from nowplaying_tray.core.now_json import now_json

        data = now_json(playback, source, now, budget)
        data["lyrics"] = lyrics.to_json() if lyrics is not None else None
        print(json_text(data))
    elif template is not None:
        line = lyrics.line if lyrics is not None else None
        _print(render_template(template, template_values(playback, now, line)))
    elif playback.state is PlaybackState.PAUSED and playback.title:
        _print(f"{PAUSED_MARK} {one_line(playback)}")
    else:
        _print(one_line(playback))


def _save_budget(core: SpotifyAccess) -> None:
    if core.gateway.budget is not None:
        core.gateway.budget.save_if_changed()


def _exit_status(error: NowPlayingError) -> int:
    if isinstance(error, AuthRequired | MissingClientId):
        return EXIT_AUTH
    if isinstance(error, LoginFailed):  # cancelled, timed out, refused, unknown client ID
        return EXIT_FAILED
    if isinstance(error, RateLimited | BudgetSpent):
        return EXIT_RATE_LIMITED
    if isinstance(error, Offline | ApiUnavailable):
        return EXIT_UNREACHABLE
    if isinstance(error, KeyringUnavailable):
        return EXIT_NO_KEYRING
    if isinstance(error, InvalidTemplate):
        return EXIT_USAGE
    return EXIT_UNREACHABLE


def _fail(
    error: NowPlayingError, status: int, prefix: str = "", keys: bool = False, suffix: str = ""
) -> int:
    hint = f" Keys: {', '.join(TEMPLATE_KEYS)}." if keys else ""
    _say(f"nowplaying-tray: {prefix}{error.message}{hint}{suffix}")
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
