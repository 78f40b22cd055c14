"""Command line: run the simulator in the foreground until interrupted."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from collections.abc import Callable
from types import FrameType
from typing import Any

from .simulator import DEMO_CLIENT_ID, SpotifySimulator, harness_included

logger = logging.getLogger(__name__)

_Handler = Callable[[int, FrameType | None], Any] | int | None


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port: use 1 to 65535, or 0 for any free")
    return port


def _parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Serve a local stand-in for Spotify's accounts service and Web API "
        "on 127.0.0.1 until Ctrl+C.",
        epilog=f"It accepts the client ID {DEMO_CLIENT_ID} unless you name your own with "
        "--client-id. To use it, set SPOTIPY_CLIENT_ID to that ID and NOWPLAYING_ACCOUNTS_URL "
        "and NOWPLAYING_API_URL to the addresses it prints; it answers as LRCLIB too "
        "(NOWPLAYING_LYRICS_URL: its first address).",
    )
    parser.add_argument("--port", type=_port, default=0, help="port on 127.0.0.1 (0: any free)")
    parser.add_argument(
        "--auto-approve",
        action="store_true",
        help="skip the consent page and redirect straight back with a code",
    )
    parser.add_argument(
        "--client-id",
        action="append",
        dest="client_ids",
        metavar="ID",
        help=f"a client ID to accept instead of {DEMO_CLIENT_ID} (repeatable)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log every request")
    return parser


def main(argv: list[str] | None = None, prog: str = "python -m nowplaying_tray.simulator") -> int:
    args = _parser(prog).parse_args(argv)
    if args.verbose:
        logging.basicConfig(level=logging.DEBUG, format="%(asctime)s %(name)s: %(message)s")
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    # SIGTERM (e.g. from a test harness) ends the loop as cleanly as Ctrl-C does. Both
    # are handled here, not left to Python: a shell that starts a program in the
    # background (``nohup … &``) hands it SIGINT ignored, and Ctrl+C must still stop it.
    # Signal handlers can only be installed from the main thread.
    in_main = threading.current_thread() is threading.main_thread()
    previous = (
        {number: signal.signal(number, on_signal) for number in (signal.SIGINT, signal.SIGTERM)}
        if in_main
        else {}
    )
    simulator = SpotifySimulator(
        port=args.port,
        client_ids=args.client_ids or (DEMO_CLIENT_ID,),
        auto_approve=args.auto_approve,
        harness=harness_included(),  # /_sim/ control for scripts, where it is installed
    )
    try:
        simulator.start()
    except OSError as exc:
        hint = " Choose another --port, or --port 0 for any free one." if args.port else ""
        print(
            f"{prog}: cannot listen on 127.0.0.1:{args.port}: {exc.strerror or exc}.{hint}",
            file=sys.stderr,
        )
        _restore(previous)
        return 1
    try:
        print(
            f"Spotify simulator on {simulator.base_url} "
            f"(accounts: {simulator.accounts_url}, api: {simulator.api_url})",
            flush=True,
        )
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        simulator.stop()
        _restore(previous)
    return 0


def _restore(previous: dict[signal.Signals, _Handler]) -> None:
    for number, handler in previous.items():
        if handler is not None:
            signal.signal(number, handler)
