from __future__ import annotations

import os
from pathlib import Path

import pytest

from nowplaying_tray.core.errors import FileWriteFailed
from nowplaying_tray.core.model import Playback, PlaybackState
from nowplaying_tray.core.nowplaying_file import NowPlayingFile, NowPlayingFileConfig

SONG = Playback(
    state=PlaybackState.PLAYING, read_at=0, title="Song", artists=("Artist",), uri="spotify:track:1"
)
OTHER = Playback(state=PlaybackState.PLAYING, read_at=0, title="Other", artists=("B",), uri="u:2")


def config(tmp_path: Path, **changes: object) -> NowPlayingFileConfig:
    fields: dict[str, object] = {
        "text_path": tmp_path / "obs" / "now.txt",
        "template": "{artist} — {title}",
        "art_path": None,
        "clear_when_idle": True,
    }
    return NowPlayingFileConfig(**(fields | changes))  # type: ignore[arg-type]


def test_writes_the_template(tmp_path: Path) -> None:
    export = NowPlayingFile(config(tmp_path))
    assert export.update(SONG, now=0)
    assert (tmp_path / "obs" / "now.txt").read_text() == "Artist — Song"


def test_rewrites_only_on_change(tmp_path: Path) -> None:
    export = NowPlayingFile(config(tmp_path))
    export.update(SONG, now=0)
    path = tmp_path / "obs" / "now.txt"
    os.utime(path, (1, 1))
    assert not export.update(SONG, now=5)  # same text: untouched
    assert path.stat().st_mtime == 1
    assert export.update(OTHER, now=6)
    assert path.read_text() == "B — Other"


def test_writes_are_atomic_renames(tmp_path: Path) -> None:
    export = NowPlayingFile(config(tmp_path))
    export.update(SONG, now=0)
    inode = (tmp_path / "obs" / "now.txt").stat().st_ino
    export.update(OTHER, now=0)
    # A new file replaced the old one: a reader holding the old one never sees half a write.
    assert (tmp_path / "obs" / "now.txt").stat().st_ino != inode
    assert [p.name for p in (tmp_path / "obs").iterdir()] == ["now.txt"]


def test_clear_or_keep_when_idle(tmp_path: Path) -> None:
    clearing = NowPlayingFile(config(tmp_path))
    clearing.update(SONG, now=0)
    clearing.update(Playback.idle(0), now=0)
    assert (tmp_path / "obs" / "now.txt").read_text() == ""
    keeping = NowPlayingFile(
        config(tmp_path, text_path=tmp_path / "keep.txt", clear_when_idle=False)
    )
    keeping.update(SONG, now=0)
    assert not keeping.update(Playback.idle(0), now=0)
    assert (tmp_path / "keep.txt").read_text() == "Artist — Song"


def test_cover_art_is_copied_and_removed(tmp_path: Path) -> None:
    source = tmp_path / "cached.img"
    source.write_bytes(b"\x89PNG fake")
    art = tmp_path / "cover.png"
    export = NowPlayingFile(config(tmp_path, art_path=art))
    export.update(SONG, now=0, art_source=source)
    assert art.read_bytes() == b"\x89PNG fake"
    export.update(Playback.idle(0), now=0)
    assert not art.exists()


def test_unwritable_path_is_a_named_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    export = NowPlayingFile(config(tmp_path, text_path=blocker / "now.txt"))
    with pytest.raises(FileWriteFailed, match="Could not write"):
        export.update(SONG, now=0)


def test_a_fifo_in_its_place_is_refused_and_left_alone(tmp_path: Path) -> None:
    fifo = tmp_path / "obs" / "now.txt"
    fifo.parent.mkdir()
    os.mkfifo(fifo)
    export = NowPlayingFile(config(tmp_path))
    with pytest.raises(FileWriteFailed, match="not a regular file"):
        export.update(SONG, now=0)
    assert fifo.is_fifo()


def test_a_device_in_its_place_is_refused(tmp_path: Path) -> None:
    # Through a link of ours: should the refusal ever break, the link is what gets replaced.
    link = tmp_path / "obs" / "now.txt"
    link.parent.mkdir()
    link.symlink_to(os.devnull)
    export = NowPlayingFile(config(tmp_path))
    with pytest.raises(FileWriteFailed, match="not a regular file"):
        export.update(SONG, now=0)
    assert link.is_symlink() and Path(os.devnull).is_char_device()


def test_a_lone_surrogate_is_written_as_a_replacement(tmp_path: Path) -> None:
    odd = Playback(state=PlaybackState.PLAYING, read_at=0, title="A\ud800B", artists=("C",))
    export = NowPlayingFile(config(tmp_path))
    assert export.update(odd, now=0)
    assert (tmp_path / "obs" / "now.txt").read_text() == "C — A\ufffdB"
