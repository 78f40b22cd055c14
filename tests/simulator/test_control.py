"""The /_sim endpoints: remote control, state, request list and album art."""

from __future__ import annotations

import struct
import zlib

import pytest

from nowplaying_tray.simulator import make_track


def control(sim, http, action, **kwargs):
    return http.post(f"{sim.base_url}/_sim/control", json={"action": action, **kwargs})


def state(sim, http):
    return http.get(f"{sim.base_url}/_sim/state").json()


def test_state_describes_the_current_item(sim, http):
    body = state(sim, http)
    assert body["state"] == "playing"
    assert body["title"] == "Paper Lanterns"
    assert body["artists"] == ["The Velvet Orchard"]
    assert body["index"] == 0
    assert body["currently_playing_type"] == "track"


def test_player_actions(sim, http, clock):
    assert control(sim, http, "skip_next").json() == {"ok": True}
    assert state(sim, http)["index"] == 1
    control(sim, http, "pause")
    assert state(sim, http)["state"] == "paused"
    control(sim, http, "resume")
    control(sim, http, "seek", ms=5000)
    assert state(sim, http)["progress_ms"] == 5000
    control(sim, http, "skip_previous")  # past 3 s: restart
    assert state(sim, http)["index"] == 1
    control(sim, http, "play_index", index=4)
    assert state(sim, http)["index"] == 4
    control(sim, http, "set_private_session", on=True)
    assert sim.player.private_session is True
    control(sim, http, "set_idle")
    assert state(sim, http)["state"] == "idle"
    control(sim, http, "set_repeat", on=False)
    assert sim.player.repeat is False


def test_account_actions(sim, http, clock):
    control(sim, http, "set_premium", premium=False)
    control(sim, http, "set_owner_premium", premium=False)
    control(sim, http, "set_allow_listed", allowed=False)
    body = state(sim, http)
    assert (body["premium"], body["owner_premium"], body["allow_listed"]) == (False, False, False)
    control(sim, http, "set_auto_approve", on=True)
    assert sim.auto_approve is True
    control(sim, http, "set_access_token_lifetime", seconds=5)
    assert control(sim, http, "expire_access_tokens").ok
    assert control(sim, http, "revoke_refresh_tokens").ok


def test_fault_and_log_actions(sim, http):
    assert control(sim, http, "fail_next", kind="rate_limit", retry_after=3, times=None).ok
    assert http.get(f"{sim.api_url}/me").status_code == 429
    listed = http.get(f"{sim.base_url}/_sim/requests").json()
    assert listed[-1]["path"] == "/v1/me"
    assert listed[-1]["status"] == 429
    assert set(listed[-1]) == {"time", "method", "path", "status"}
    control(sim, http, "clear_faults")
    assert http.get(f"{sim.api_url}/me").status_code == 401
    control(sim, http, "clear_log")
    assert http.get(f"{sim.base_url}/_sim/requests").json() == []


@pytest.mark.parametrize(
    ("payload", "fragment"),
    [
        ({"action": "explode"}, "unknown action"),
        ({"action": "seek"}, "missing"),
        ({"action": "seek", "ms": "100"}, "ms must be"),
        ({"action": "set_premium", "premium": "false"}, "premium must be"),
        ({"action": "play_index", "index": 99}, "out of range"),
        ({"action": "pause", "extra": 1}, "unexpected"),
        ({"action": "fail_next", "kind": "nope"}, "unknown fault kind"),
        ({"no": "action"}, "action"),
        ([1, 2], "action"),
    ],
)
def test_control_errors(sim, http, payload, fragment):
    response = http.post(f"{sim.base_url}/_sim/control", json=payload)
    assert response.status_code == 400
    assert response.json()["ok"] is False
    assert fragment in response.json()["error"]


def test_control_rejects_non_json(sim, http):
    response = http.post(
        f"{sim.base_url}/_sim/control", data=b"{oops", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400


def read_png(data: bytes) -> tuple[int, int, bytes]:
    """Parse a PNG, checking every CRC; returns width, height and the raw scanlines."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, order, chunks = 8, [], {}
    idat = b""
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(">I", data[position + 8 + length : position + 12 + length])
        assert crc == zlib.crc32(kind + body) & 0xFFFFFFFF
        chunks[kind] = body
        order.append(kind)
        if kind == b"IDAT":
            idat += body
        position += 12 + length
    assert order[0] == b"IHDR" and order[-1] == b"IEND"
    width, height, depth, colour, *_ = struct.unpack(">IIBBBBB", chunks[b"IHDR"])
    assert (depth, colour) == (8, 2)
    return width, height, zlib.decompress(idat)


@pytest.mark.parametrize("size", [640, 300, 64])
def test_art_urls_serve_pngs_of_their_size(sim, http, size):
    track = make_track("T", ["A"], "Record", 20_000)
    sim.player.set_queue([track])
    url = next(
        image["url"]
        for image in sim.player.current()["item"]["album"]["images"]
        if image["width"] == size
    )
    response = http.get(sim.base_url + url)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/png"
    width, height, raw = read_png(response.content)
    assert (width, height) == (size, size)
    assert len(raw) == height * (1 + width * 3)


def test_art_is_deterministic_and_differs_by_id(sim, http):
    first = http.get(f"{sim.base_url}/_sim/art/abc/64.png").content
    assert http.get(f"{sim.base_url}/_sim/art/abc/64.png").content == first
    assert http.get(f"{sim.base_url}/_sim/art/xyz/64.png").content != first


@pytest.mark.parametrize(
    "path",
    ["/_sim/art/abc/0.png", "/_sim/art/abc/5000.png", "/_sim/art/a.b/64.png", "/_sim/nothing"],
)
def test_bad_internal_paths(sim, http, path):
    assert http.get(sim.base_url + path).status_code == 404


def test_control_refuses_a_text_plain_post(sim, http):
    # What a web page can send without a CORS preflight.
    body = b'{"action": "pause"}'
    response = http.post(
        f"{sim.base_url}/_sim/control", data=body, headers={"Content-Type": "text/plain"}
    )
    assert response.status_code == 415
    assert http.get(f"{sim.base_url}/_sim/state").json()["state"] == "playing"


def test_control_refuses_a_foreign_origin(sim, http):
    response = http.post(
        f"{sim.base_url}/_sim/control",
        json={"action": "pause"},
        headers={"Origin": "https://evil.example"},
    )
    assert response.status_code == 403
    assert http.get(f"{sim.base_url}/_sim/state").json()["state"] == "playing"


def test_control_accepts_its_own_origin(sim, http):
    response = http.post(
        f"{sim.base_url}/_sim/control", json={"action": "pause"}, headers={"Origin": sim.base_url}
    )
    assert response.json() == {"ok": True}
