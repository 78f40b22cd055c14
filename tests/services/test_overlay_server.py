"""The stream overlay over real HTTP on loopback: its routes, its events, its cover, and
what it refuses (another Host, other methods, big requests, too many streams)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from nowplaying_tray.core.errors import OverlayPortUnavailable
from nowplaying_tray.core.model import Image, ItemKind, Playback, PlaybackState
from nowplaying_tray.core.now_json import now_json
from nowplaying_tray.core.settings import Settings
from nowplaying_tray.services.overlay.overlay import StreamOverlay
from nowplaying_tray.services.overlay.server import MAX_STREAMS
from tests.support.overlay_http import EventStream, free_port, get

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
ART = "https://i.scdn.co/image/cover-one"


def track(title: str = "Song One", **changes: object) -> Playback:
    playback = Playback(
        state=PlaybackState.PLAYING,
        read_at=time.monotonic(),
        kind=ItemKind.TRACK,
        title=title,
        artists=("Artist A", "Artist B"),
        album="Album",
        duration_ms=200_000,
        progress_ms=10_000,
        uri=f"spotify:track:{title.replace(' ', '')}",
        images=(Image(ART, 300, 300),),
    )
    return replace(playback, **changes)  # type: ignore[arg-type]


class Covers:
    """The app's cover lookup, at the edge: a file per URL once it is "downloaded"."""

    def __init__(self) -> None:
        self.files: dict[str, Path] = {}
        self.asked: list[str] = []

    def lookup(self, url: str) -> Path | None:
        self.asked.append(url)
        return self.files.get(url)


@pytest.fixture
def covers() -> Covers:
    return Covers()


@pytest.fixture
def overlay(qtbot: object, covers: Covers) -> Iterator[StreamOverlay]:
    overlay = StreamOverlay(covers.lookup, lambda: "web_api")
    overlay.set_port(free_port())
    assert overlay.port != 0
    yield overlay
    overlay.close()


def overlay_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "overlay-http"]


def test_now_json_has_the_fields_of_now_json(overlay: StreamOverlay) -> None:
    playback = track()
    overlay.show_playback(playback)
    status, headers, body = get(overlay.port, "/now.json")
    assert status == 200 and headers["content-type"] == "application/json"
    import json

    data = json.loads(body)
    assert set(data) == set(now_json(playback, "web_api", time.monotonic()))
    assert data["title"] == "Song One" and data["artists"] == ["Artist A", "Artist B"]
    assert data["state"] == "playing" and data["source"] == "web_api"
    assert 10_000 <= data["progress_ms"] < 20_000  # extrapolated to the request
    assert not any(name.startswith("access-control") for name in headers)


def test_events_one_per_change_and_none_for_a_read_that_changes_nothing(
    overlay: StreamOverlay,
) -> None:
    first = track()
    overlay.show_playback(first)
    with EventStream(overlay.port) as stream:
        assert stream.status_line.startswith("HTTP/1.0 200")
        assert stream.headers["content-type"].startswith("text/event-stream")
        now = stream.next_event()
        assert now["change"] == "now" and now["title"] == "Song One"
        assert "retry: 1000" in stream.lines

        # A poll that finds the same item where it was predicted to be: no event.
        overlay.show_playback(replace(first, read_at=first.read_at + 2, progress_ms=12_000))
        overlay.show_playback(replace(first, read_at=first.read_at + 2, progress_ms=90_000))
        assert stream.next_event()["change"] == "seek"
        overlay.show_playback(replace(first, state=PlaybackState.PAUSED, read_at=first.read_at + 3))
        assert stream.next_event()["state"] == "paused"
        overlay.show_lyric("la la la")
        event = stream.next_event()
        assert (event["change"], event["lyric"]) == ("lyric", "la la la")
        overlay.show_playback(track("Song Two"))
        event = stream.next_event()
        assert (event["change"], event["title"], event["lyric"]) == ("item", "Song Two", None)
        overlay.show_playback(Playback.idle(time.monotonic()))
        event = stream.next_event()
        assert (event["change"], event["state"], event["art"]) == ("item", "idle", None)


def test_art_serves_the_current_cover_once_it_is_on_disk(
    overlay: StreamOverlay, covers: Covers, tmp_path: Path
) -> None:
    overlay.show_playback(track())
    assert covers.asked == [ART]
    assert get(overlay.port, "/art")[0] == 404  # not downloaded yet
    with EventStream(overlay.port) as stream:
        assert stream.next_event()["art"] is None
        cover = tmp_path / "cover.img"
        cover.write_bytes(PNG)
        overlay.art_ready(ART, str(cover))  # the art loader says it arrived
        event = stream.next_event()
        assert event["change"] == "art" and event["art"].startswith("/art?v=")
    status, headers, body = get(overlay.port, event["art"])
    assert (status, headers["content-type"], body) == (200, "image/png", PNG)


def test_art_serves_a_local_players_file_but_never_a_file_that_is_no_image(
    overlay: StreamOverlay, covers: Covers, tmp_path: Path
) -> None:
    cover, secret = tmp_path / "art.png", tmp_path / "secret.txt"
    cover.write_bytes(PNG)
    secret.write_text("not an image")
    covers.files = {cover.as_uri(): cover, secret.as_uri(): secret}
    overlay.show_playback(track(images=(Image(cover.as_uri(), None, None),)))
    assert get(overlay.port, "/art")[2] == PNG
    overlay.show_playback(track("Other", images=(Image(secret.as_uri(), None, None),)))
    assert get(overlay.port, "/art")[0] == 404


@pytest.mark.parametrize(
    "host", ["evil.example:{port}", "127.0.0.1:1", "localhost", "[::1]:{port}", "", None]
)
def test_a_foreign_host_is_refused(overlay: StreamOverlay, host: str | None) -> None:
    if host is None:  # no Host header at all
        with socket.create_connection(("127.0.0.1", overlay.port), timeout=5) as raw:
            raw.sendall(b"GET /now.json HTTP/1.0\r\n\r\n")
            assert raw.recv(64).startswith(b"HTTP/1.0 421")
        return
    status, _, body = get(overlay.port, "/now.json", host=host.format(port=overlay.port))
    assert status == 421 and b"title" not in body


def test_localhost_is_our_own_name(overlay: StreamOverlay) -> None:
    assert get(overlay.port, "/", host=f"localhost:{overlay.port}")[0] == 200


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "OPTIONS", "HEAD"])
def test_get_only(overlay: StreamOverlay, method: str) -> None:
    status, headers, _ = get(overlay.port, "/now.json", method=method)
    assert status == 405 and headers["allow"] == "GET"


@pytest.mark.parametrize(
    "path", ["/index.html", "/art/../../etc/passwd", "/events/x", "/now.json/"]
)
def test_fixed_routes(overlay: StreamOverlay, path: str) -> None:
    assert get(overlay.port, path)[0] == 404


def test_a_request_bigger_than_8_kib_is_refused(overlay: StreamOverlay) -> None:
    with socket.create_connection(("127.0.0.1", overlay.port), timeout=5) as raw:
        raw.sendall(
            f"GET / HTTP/1.0\r\nHost: 127.0.0.1:{overlay.port}\r\n".encode()
            + b"".join(b"X-Filler-%d: %s\r\n" % (n, b"a" * 1000) for n in range(10))
            + b"\r\n"
        )
        assert raw.recv(64).startswith(b"HTTP/1.0 431")


def stream_when_a_slot_is_free(port: int, timeout_s: float = 10.0) -> EventStream:
    """A new event stream, asked again while the server has not yet seen a page go."""
    deadline = time.monotonic() + timeout_s
    while True:
        stream = EventStream(port)
        if stream.status_line.startswith("HTTP/1.0 200") or time.monotonic() > deadline:
            return stream
        stream.close()


def test_at_most_16_event_streams(overlay: StreamOverlay) -> None:
    streams = [EventStream(overlay.port) for _ in range(MAX_STREAMS)]
    try:
        assert all(stream.next_event()["change"] == "now" for stream in streams)
        assert get(overlay.port, "/events")[0] == 503
        assert get(overlay.port, "/now.json")[0] == 200  # the page itself still answers
        streams.pop().close()  # the page goes away: its slot is freed as the server sees it
        with stream_when_a_slot_is_free(overlay.port) as again:
            assert again.status_line.startswith("HTTP/1.0 200")
            assert again.next_event()["change"] == "now"
    finally:
        for stream in streams:
            stream.close()


def test_page_is_self_contained_and_transparent(overlay: StreamOverlay) -> None:
    status, headers, body = get(overlay.port, "/?hide=paused")
    page = body.decode()
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
    assert "default-src 'none'" in headers["content-security-policy"]
    assert "http://" not in page and "https://" not in page and "//" not in page.split("<script")[0]
    assert "background: transparent" in page
    assert get(overlay.port, "/lyrics")[0] == 200


def test_listens_on_loopback_only(overlay: StreamOverlay) -> None:
    port = overlay.port
    listening = Path("/proc/net/tcp").read_text().splitlines()[1:]
    ours = [line.split() for line in listening if line.split()[1].endswith(f":{port:04X}")]
    assert [fields[1] for fields in ours if fields[3] == "0A"] == [f"0100007F:{port:04X}"]
    for address, family in (("127.0.0.2", socket.AF_INET), ("::1", socket.AF_INET6)):
        with socket.socket(family) as other, pytest.raises(ConnectionRefusedError):
            other.settimeout(5)
            other.connect((address, port))


def test_off_means_no_server_and_no_thread_and_changes_apply_live(
    qtbot: object, covers: Covers
) -> None:
    overlay = StreamOverlay(covers.lookup, lambda: "local")
    overlay.apply_settings(Settings())
    assert overlay.port == 0 and overlay_threads() == []
    first, second = free_port(), free_port()
    overlay.apply_settings(Settings(overlay_port=first))
    assert overlay.url == f"http://127.0.0.1:{first}/" and len(overlay_threads()) == 1
    with EventStream(first) as stream:
        stream.next_event()
        overlay.apply_settings(Settings(overlay_port=second))  # the open stream ends
        with pytest.raises((EOFError, OSError)):
            stream.next_event()
    assert get(second, "/now.json")[0] == 200
    with pytest.raises(ConnectionRefusedError):
        get(first, "/now.json")
    overlay.apply_settings(Settings(overlay_port=0))
    assert overlay.port == 0 and overlay_threads() == []
    with pytest.raises(ConnectionRefusedError):
        get(second, "/now.json")


def test_a_port_in_use_is_a_named_error(qtbot, covers: Covers) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        overlay = StreamOverlay(covers.lookup, lambda: "local")
        with qtbot.waitSignal(overlay.failed, timeout=1000) as failed:
            overlay.set_port(port)
        error = failed.args[0]
        assert isinstance(error, OverlayPortUnavailable) and str(port) in error.message
        assert overlay.port == 0 and overlay_threads() == []


def test_while_off_nothing_is_looked_up_and_on_shows_the_last_playback(
    qtbot: object, covers: Covers
) -> None:
    overlay = StreamOverlay(covers.lookup, lambda: "web_api")
    overlay.show_playback(track())
    overlay.show_lyric("first line")
    assert covers.asked == []  # off: no cover download asked for
    overlay.set_port(free_port())
    try:
        with EventStream(overlay.port) as stream:
            event = stream.next_event()
            assert (event["title"], event["lyric"]) == ("Song One", "first line")
        assert covers.asked == [ART]
    finally:
        overlay.close()


def test_a_title_with_a_lone_surrogate_and_c1_controls_is_served_escaped(
    overlay: StreamOverlay,
) -> None:
    # What a hostile or broken answer can put in a title: the JSON escape \ud800 becomes
    # a lone surrogate in Python, which no UTF-8 encoder takes; U+009B is a terminal CSI.
    overlay.show_playback(track("Bad \ud800 title \x9b31m"))
    status, _headers, body = get(overlay.port, "/now.json")
    assert status == 200
    assert b"\\u009b" in body and "\ufffd".encode() in body
    with EventStream(overlay.port) as stream:
        event = stream.next_event()
    assert event["title"] == "Bad \ufffd title \x9b31m"  # as sent, escaped on the wire
