"""A local player's file:// cover: read only when it is a bounded image, and copied."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from nowplaying_tray.core.art_cache import MAX_IMAGE_BYTES, ArtCache
from nowplaying_tray.core.errors import ArtUnreadable
from nowplaying_tray.core.local_art import file_url_path, is_file_url, read_local_art
from nowplaying_tray.core.model import Image, ItemKind, Playback, PlaybackState
from nowplaying_tray.core.now_json import now_json

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.fixture
def cache(tmp_path: Path) -> ArtCache:
    return ArtCache(tmp_path / "cache")


def test_an_image_is_copied_into_the_cache(tmp_path: Path, cache: ArtCache) -> None:
    cover = tmp_path / "My Music" / "cover.png"
    cover.parent.mkdir()
    cover.write_bytes(PNG)
    copy = read_local_art(cover.as_uri(), cache)
    assert copy.parent == cache.directory and copy.read_bytes() == PNG
    assert read_local_art(cover.as_uri(), cache) == copy  # unchanged: the same copy
    cover.write_bytes(PNG + b"more")  # replaced in place: read again
    assert read_local_art(cover.as_uri(), cache).read_bytes() == PNG + b"more"


@pytest.mark.parametrize(
    "content", [b"#!/bin/sh\necho hi\n", b"", b"\xff\xd8\xff" + b"\0" * MAX_IMAGE_BYTES]
)
def test_not_an_image_or_too_big_is_refused(
    tmp_path: Path, cache: ArtCache, content: bytes
) -> None:
    cover = tmp_path / "cover.jpg"
    cover.write_bytes(content)
    with pytest.raises(ArtUnreadable):
        read_local_art(cover.as_uri(), cache)
    assert not cache.directory.exists() or not any(cache.directory.iterdir())


def test_a_fifo_a_folder_a_missing_file_or_another_host_is_refused(
    tmp_path: Path, cache: ArtCache
) -> None:
    fifo = tmp_path / "cover.jpg"
    os.mkfifo(fifo)  # would block a plain open: refused without waiting
    for url in (
        fifo.as_uri(),
        tmp_path.as_uri(),
        (tmp_path / "missing.jpg").as_uri(),
        "file://elsewhere/cover.jpg",
        "file:relative.jpg",
    ):
        with pytest.raises(ArtUnreadable):
            read_local_art(url, cache)


def test_file_urls() -> None:
    assert is_file_url("FILE:///a") and not is_file_url("https://a")
    assert file_url_path("file:///m/a%20b.jpg") == Path("/m/a b.jpg")
    assert file_url_path("file://localhost/m/c.jpg") == Path("/m/c.jpg")


def test_the_overlay_feed_gets_no_local_path() -> None:
    playback = Playback(
        PlaybackState.PLAYING, 0.0, ItemKind.TRACK, "Tone", url="file:///home/me/a.ogg",
        images=(Image("file:///home/me/cover.jpg", None, None),), is_local=True, item_id="/0",
    )  # fmt: skip
    assert now_json(playback, "local", 0.0)["url"] == "file:///home/me/a.ogg"
    private = now_json(playback, "local", 0.0, local_paths=False)
    assert private["url"] is None and private["art_url"] is None
