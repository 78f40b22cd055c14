"""Real media players on a private session bus, and short tagged audio files for them.

``make_tone`` writes a few seconds of sine wave with title, artist and album tags
(ffmpeg's ``lavfi`` source), ``make_cover`` a small JPEG to put beside it (players look
for ``cover.jpg`` in the file's folder). ``mpv_player`` starts Debian's mpv with the
mpv-mpris script, ``vlc_player`` VLC with its D-Bus control interface; both start idle,
with no audio device, and are ended with their whole process group when the block
exits. Open files with ``RunningPlayer.open`` (MPRIS ``OpenUri``) or
``RunningPlayer.playerctl("open", url)``; ``make_chained_tone`` writes one Ogg file whose
tags change part-way, as a player that corrects a title sees it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jeepney import DBusAddress, Properties

from ._proc import ServiceError, managed_process, wait_until
from .bus import call, list_names, method_call
from .env import isolated_env

logger = logging.getLogger(__name__)

MPRIS_PREFIX = "org.mpris.MediaPlayer2."
MPRIS_PATH = "/org/mpris/MediaPlayer2"
PLAYER = "org.mpris.MediaPlayer2.Player"
#: Where Debian's mpv-mpris puts its script (the package's own path, then its link).
MPV_MPRIS_SCRIPTS = (
    Path("/usr/lib/mpv-mpris/mpris.so"),
    Path("/etc/mpv/scripts/mpris.so"),
    Path("/usr/lib/x86_64-linux-gnu/mpv/scripts/mpris.so"),
)
VLC_OPTIONS = ("--intf", "dummy", "--control", "dbus", "--aout", "dummy", "--no-video")
#: The tools the players and the files need (mpv-mpris is a file: ``mpv_mpris_script``).
PLAYER_TOOLS = ("ffmpeg", "mpv", "cvlc", "playerctl")


@dataclass(frozen=True)
class Tone:
    path: Path
    title: str
    artist: str
    album: str
    seconds: float

    @property
    def url(self) -> str:
        return self.path.as_uri()


def make_tone(
    directory: Path,
    name: str,
    *,
    title: str,
    artist: str,
    album: str = "",
    seconds: float = 30.0,
    frequency: int = 440,
) -> Tone:
    """``directory/name`` (its extension chooses the format: .ogg, .flac, .mp3), tagged."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    tags = {"title": title, "artist": artist, "album": album}
    metadata = [
        arg for key, value in tags.items() if value for arg in ("-metadata", f"{key}={value}")
    ]
    _ffmpeg(
        "-f", "lavfi", "-i", f"sine=frequency={frequency}:duration={seconds}",
        *metadata, str(path),
    )  # fmt: skip
    return Tone(path, title, artist, album, seconds)


def make_chained_tone(directory: Path, name: str, parts: Sequence[Tone]) -> Path:
    """One chained Ogg file made of ``parts`` (Ogg files) one after another: players
    read each part's tags when they reach it, for the same file and the same url."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_bytes(b"".join(part.path.read_bytes() for part in parts))
    return path


def make_cover(directory: Path, name: str = "cover.jpg", colour: str = "red") -> Path:
    """A 64x64 JPEG of one colour, where players look for an album's cover."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    _ffmpeg("-f", "lavfi", "-i", f"color=c={colour}:s=64x64:d=1", "-frames:v", "1", str(path))
    return path


def _ffmpeg(*args: str) -> None:
    argv = ["ffmpeg", "-nostdin", "-loglevel", "error", "-y", *args]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=30, check=False)
    if done.returncode != 0:
        raise ServiceError(f"ffmpeg {' '.join(args)} failed: {done.stderr.strip()[-500:]}")


def mpv_mpris_script() -> Path | None:
    return next((path for path in MPV_MPRIS_SCRIPTS if path.is_file()), None)


@dataclass
class RunningPlayer:
    """A player started on ``bus_address`` and the name it took there."""

    bus_address: str
    bus_name: str
    proc: subprocess.Popen[bytes]
    log_path: Path

    @property
    def short_name(self) -> str:
        return self.bus_name.removeprefix(MPRIS_PREFIX)

    def open(self, url: str) -> None:
        """Play ``url`` now (MPRIS ``OpenUri``)."""
        method_call(self.bus_address, self.bus_name, MPRIS_PATH, PLAYER, "OpenUri", "s", (url,))

    def control(self, method: str) -> None:
        """``Play``, ``Pause``, ``Next``..."""
        method_call(self.bus_address, self.bus_name, MPRIS_PATH, PLAYER, method)

    def playerctl(self, *args: str) -> str:
        """``playerctl -p <this player> args...``, as a person would type it; its output."""
        argv = ["playerctl", "-p", self.short_name, *args]
        env = dict(os.environ, DBUS_SESSION_BUS_ADDRESS=self.bus_address)
        done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=30)
        if done.returncode != 0:
            raise ServiceError(f"{' '.join(argv)} failed: {done.stderr.strip()[-500:]}")
        return done.stdout.strip()

    def raw_properties(self) -> dict[str, tuple[str, Any]]:
        """``GetAll`` of the player interface, each value as ``(signature, value)``."""
        address = DBusAddress(MPRIS_PATH, bus_name=self.bus_name, interface=PLAYER)
        (props,) = call(self.bus_address, Properties(address).get_all())
        return dict(props)

    def metadata(self) -> dict[str, Any]:
        """``Metadata`` in the order the player sent it, values without their signatures."""
        _, metadata = self.raw_properties()["Metadata"]
        return {key: value for key, (_, value) in metadata.items()}

    def wait_for_title(self, title: str, timeout: float = 15.0) -> dict[str, Any]:
        return wait_until(
            lambda: found if (found := self.metadata()).get("xesam:title") == title else None,
            what=f"{self.short_name} playing {title!r}",
            timeout=timeout,
            proc=self.proc,
            log_path=self.log_path,
        )


@contextlib.contextmanager
def mpv_player(bus_address: str, root: Path, extra: Sequence[str] = ()) -> Iterator[RunningPlayer]:
    """Debian's mpv with mpv-mpris, idle, no video and no audio device."""
    script = mpv_mpris_script()
    if script is None:
        raise ServiceError("mpv-mpris is not installed (scripts/bootstrap.sh installs it)")
    # --no-config: no user or system scripts, so the MPRIS script is loaded once, ours.
    argv = [
        "mpv", "--no-config", f"--script={script}", "--no-video", "--ao=null", "--idle",
        "--no-terminal", *extra,
    ]  # fmt: skip
    with _player(argv, "mpv", bus_address, root) as player:
        yield player


@contextlib.contextmanager
def vlc_player(bus_address: str, root: Path, extra: Sequence[str] = ()) -> Iterator[RunningPlayer]:
    """VLC (``cvlc --intf dummy --control dbus --aout dummy``), idle unless ``extra``
    names files (a playlist, played one after another).

    The vlc program refuses to run as root (CI containers often are): there the same
    libvlc, with the same D-Bus control module, is started by a small host script.
    """
    if os.geteuid() != 0:
        argv = ["cvlc", *VLC_OPTIONS, *extra]
    else:
        host = Path(__file__).with_name("libvlc_host.py")
        argv = [sys.executable, str(host), *VLC_OPTIONS, *extra]
    with _player(argv, "vlc", bus_address, root) as player:
        yield player


@contextlib.contextmanager
def _player(argv: list[str], name: str, bus_address: str, root: Path) -> Iterator[RunningPlayer]:
    before = set(list_names(bus_address))
    env = isolated_env(root / name, {"DBUS_SESSION_BUS_ADDRESS": bus_address})
    log_path = root / f"{name}.log"
    with managed_process(argv, name=name, env=env, log_path=log_path) as proc:

        def new_name() -> str | None:
            # mpv-mpris and VLC add ".instance<pid>" when the plain name is taken.
            names = set(list_names(bus_address)) - before
            return next((n for n in sorted(names) if n.startswith(MPRIS_PREFIX + name)), None)

        bus_name = wait_until(new_name, what=f"{name} on the bus", proc=proc, log_path=log_path)
        logger.info("%s is %s on %s", name, bus_name, bus_address)
        yield RunningPlayer(bus_address, bus_name, proc, log_path)


def playerctl_our_player(*args: str) -> str:
    """``playerctl -p nowplaying_tray ARGS``: its output, or "error: ..." when it failed."""
    done = subprocess.run(
        ["playerctl", "-p", "nowplaying_tray", *args],
        capture_output=True,
        text=True,
        timeout=10,
        env=os.environ.copy(),
        check=False,
    )
    return done.stdout.strip() if done.returncode == 0 else f"error: {done.stderr.strip()}"
