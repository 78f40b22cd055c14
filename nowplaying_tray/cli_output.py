"""What the command line writes: lines for people through the one sanitiser, and streams
that never fail on their way out.

Text the terminal's encoding cannot carry (``PYTHONIOENCODING=latin-1`` and an em dash,
a lone surrogate anywhere) is replaced, never an error; a reader that closed the pipe
ends the command quietly.
"""

from __future__ import annotations

import io
import os
import sys


def use_replacing_streams() -> None:
    """stdout replaces what its encoding cannot carry (``?``), stderr escapes it."""
    for stream, errors in ((sys.stdout, "replace"), (sys.stderr, "backslashreplace")):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors=errors)


def quiet_stdout() -> None:
    """After a ``BrokenPipeError``: what is still buffered would fail again at exit, with a
    message; send it nowhere."""
    with_devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(with_devnull, sys.stdout.fileno())
    os.close(with_devnull)


def print_line(text: str) -> None:
    """A line for a person on stdout, through the one sanitiser for human-readable text."""
    # Imported here: the models behind it are not needed for --version or the tray's start.
    from nowplaying_tray.core.text import printable

    print(printable(text, keep_lines=True))


def say(text: str) -> None:
    """The same on stderr: messages, problems, errors."""
    from nowplaying_tray.core.text import printable

    print(printable(text, keep_lines=True), file=sys.stderr)
