"""Runs VLC's libvlc with the given options until it is terminated.

The vlc program checks for root and exits; libvlc itself does not. With
``--control dbus`` libvlc starts VLC's own MPRIS module, so a test running as
root still talks to the real VLC player, over the bus, as a user would.

    python libvlc_host.py --intf dummy --control dbus --aout dummy --no-video
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys


def main(options: list[str]) -> int:
    library = ctypes.util.find_library("vlc") or "libvlc.so.5"
    libvlc = ctypes.CDLL(library)
    libvlc.libvlc_new.restype = ctypes.c_void_p
    libvlc.libvlc_new.argtypes = [ctypes.c_int, ctypes.POINTER(ctypes.c_char_p)]
    argv = (ctypes.c_char_p * len(options))(*(option.encode() for option in options))
    if not libvlc.libvlc_new(len(options), argv):
        print("libvlc_new failed", file=sys.stderr)
        return 1
    # Out at once: libvlc's threads would keep a normal interpreter exit waiting.
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    while True:
        signal.pause()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
