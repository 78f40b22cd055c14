"""Scripted faults and the request log."""

from __future__ import annotations

import time

import pytest
import requests

from nowplaying_tray.simulator.requestlog import RecordedRequest

from .conftest import make_pkce


def test_rate_limit(sim, api):
    sim.fail_next("rate_limit", retry_after=7200)
    limited = api("GET", "/me/player")
    assert limited.status_code == 429
    assert limited.headers["Retry-After"] == "7200"
    assert limited.json() == {"error": {"status": 429, "message": "API rate limit exceeded"}}
    assert api("GET", "/me/player").status_code == 200  # times=1 by default


def test_rate_limit_with_quota_reason(sim, api):
    sim.fail_next("rate_limit", quota_exceeded=True)
    assert api("GET", "/me").json()["error"]["reason"] == "QUOTA_EXCEEDED"


def test_server_errors_json_and_html(sim, api):
    sim.fail_next("server_error")
    sim.fail_next("server_error", status=502)
    sim.fail_next("server_error", status=503)
    first = api("GET", "/me")
    assert first.status_code == 500
    assert first.json()["error"]["status"] == 500
    second = api("GET", "/me")
    assert second.status_code == 502
    assert second.headers["Content-Type"].startswith("text/html")
    assert "Bad Gateway" in second.text
    assert api("GET", "/me").status_code == 503
    assert api("GET", "/me").status_code == 200


def test_slow_answers_normally_after_the_delay(sim, api):
    sim.fail_next("slow", delay=0.2)
    started = time.monotonic()
    response = api("GET", "/me")
    assert time.monotonic() - started >= 0.2
    assert response.status_code == 200
    assert response.json()["id"] == "demo-listener"


def test_malformed_json(sim, api):
    sim.fail_next("malformed")
    response = api("GET", "/me/player")
    assert response.status_code == 200
    assert response.text == '{"is_playing": tr'
    with pytest.raises(ValueError):
        response.json()


def test_empty_200(sim, api):
    sim.fail_next("empty_200")
    response = api("GET", "/me/player")
    assert response.status_code == 200
    assert response.content == b""


def test_drop_closes_the_connection(sim, api):
    api("GET", "/me")  # keep-alive connection now open in the session
    sim.fail_next("drop")
    with pytest.raises(requests.ConnectionError):
        api("GET", "/me/player")
    assert api("GET", "/me/player").status_code == 200
    assert sim.requests[-2].status == 0
    assert sim.requests[-2].path == "/v1/me/player"


def test_times_and_until_cleared(sim, api):
    sim.fail_next("server_error", times=2)
    assert [api("GET", "/me").status_code for _ in range(3)] == [500, 500, 200]
    sim.fail_next("server_error", times=None)
    assert [api("GET", "/me").status_code for _ in range(4)] == [500] * 4
    sim.clear_faults()
    assert api("GET", "/me").status_code == 200


def test_path_prefix_selects_requests(sim, api):
    sim.fail_next("rate_limit", path="/v1/me/player")
    assert api("GET", "/me").status_code == 200
    assert api("GET", "/me/player/currently-playing").status_code == 429


def test_faults_apply_to_the_token_endpoint(sim, http):
    sim.fail_next("server_error", path="/api/token", status=503)
    response = http.post(f"{sim.accounts_url}/api/token", data={"grant_type": "refresh_token"})
    assert response.status_code == 503


def test_faults_apply_to_authorize(sim, http):
    sim.fail_next("rate_limit", path="/authorize")
    response = http.get(f"{sim.accounts_url}/authorize", params={"client_id": "x"})
    assert response.status_code == 429


def test_faults_skip_internal_endpoints(sim, http):
    sim.fail_next("server_error", path="/")
    assert http.get(f"{sim.base_url}/_sim/state").status_code == 200
    assert http.get(f"{sim.base_url}/_sim/art/abc/64.png").status_code == 200
    assert http.get(f"{sim.api_url}/me").status_code == 500


def test_bad_fault_arguments(sim):
    with pytest.raises(ValueError):
        sim.fail_next("explode")
    with pytest.raises(ValueError):
        sim.fail_next("server_error", status=404)
    with pytest.raises(ValueError):
        sim.fail_next("rate_limit", times=0)


def test_request_log_and_count(sim, http, api, clock):
    sim.clear_log()
    api("GET", "/me/player", params={"additional_types": "episode"})
    clock.advance(5)
    api("GET", "/me/player")
    api("PUT", "/me/player/pause")
    http.get(f"{sim.api_url}/me")  # no token: 401, still logged
    http.get(f"{sim.base_url}/_sim/state")  # internal: not logged
    log = sim.requests
    assert [(r.method, r.path, r.status) for r in log] == [
        ("GET", "/v1/me/player", 200),
        ("GET", "/v1/me/player", 200),
        ("PUT", "/v1/me/player/pause", 204),
        ("GET", "/v1/me", 401),
    ]
    assert log[1].time - log[0].time == 5
    assert isinstance(log[0], RecordedRequest)
    with pytest.raises(AttributeError):
        log[0].status = 1  # frozen
    assert sim.count() == 4
    assert sim.count("/v1/me/player") == 2
    assert sim.count("/v1/me/player", "GET") == 2
    assert sim.count(method="PUT") == 1
    assert sim.count("/v1/me/player/") == 0  # exact match only
    sim.clear_log()
    assert sim.count() == 0


def test_log_covers_accounts_endpoints(sim, http):
    sim.clear_log()
    http.get(
        f"{sim.accounts_url}/authorize",
        params={"client_id": "nobody", "code_challenge": make_pkce().challenge},
    )
    http.post(f"{sim.accounts_url}/api/token", data={})
    assert [(r.path, r.status) for r in sim.requests] == [("/authorize", 400), ("/api/token", 400)]


@pytest.mark.parametrize("shape", ["error_string", "list", "deep"])
def test_bad_bodies(sim, api, shape):
    sim.fail_next("bad_body", status=503, shape=shape)
    answer = api("GET", "/me/player")
    assert answer.status_code == 503
    assert answer.content.startswith((b'{"error": "', b"[{", b"[[[[")), answer.content[:20]


def test_retry_after_as_sent(sim, api):
    sim.fail_next("rate_limit", retry_after_text="1e400")
    assert api("GET", "/me/player").headers["Retry-After"] == "1e400"


def test_trickled_body_arrives_slowly_but_whole(sim, api):
    sim.fail_next("trickle", path="/v1/me", delay=0.01)
    started = time.monotonic()
    answer = api("GET", "/me")
    assert answer.json()["display_name"] == "Demo Listener"
    assert time.monotonic() - started > 0.01 * len(answer.content) * 0.9


def test_gzip_bomb_inflates(sim, api):
    sim.fail_next("gzip_bomb", size=10 * 1024 * 1024)
    answer = requests.get(f"{sim.api_url}/me/player", stream=True, timeout=10)
    compressed = answer.raw.read(decode_content=False)
    assert answer.headers["Content-Encoding"] == "gzip"
    assert len(compressed) < 100_000
    import gzip

    assert len(gzip.decompress(compressed)) == 10 * 1024 * 1024


def test_redirect_elsewhere(sim, api):
    sim.fail_next("redirect", location="file:///etc/passwd")
    answer = requests.get(f"{sim.api_url}/me/player", allow_redirects=False, timeout=5)
    assert answer.status_code == 302 and answer.headers["Location"] == "file:///etc/passwd"


def test_fault_arguments_over_the_control_api(sim):
    answer = requests.post(
        f"{sim.base_url}/_sim/control",
        json={"action": "fail_next", "kind": "bad_body", "shape": "list", "status": 401},
        timeout=5,
    )
    assert answer.json() == {"ok": True}
    assert requests.get(f"{sim.api_url}/me", timeout=5).status_code == 401
