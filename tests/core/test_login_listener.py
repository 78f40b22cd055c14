"""The loopback login listener against hostile and broken requests, over real sockets."""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from nowplaying_tray.core.errors import LoginFailed, StateMismatch
from nowplaying_tray.core.login_listener import CallbackListener
from nowplaying_tray.core.settings import Settings
from nowplaying_tray.core.spotify_access import build_access
from nowplaying_tray.simulator import SpotifySimulator
from tests.support.login import follow_redirects


def _redirect_uri(url: str) -> str:
    return parse_qs(urlsplit(url).query)["redirect_uri"][0]


def _state(url: str) -> str:
    return parse_qs(urlsplit(url).query)["state"][0]


def _run_in_thread(run: Callable[[], None]) -> tuple[threading.Thread, list[BaseException]]:
    errors: list[BaseException] = []

    def target() -> None:
        try:
            run()
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread, errors


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?code=abc",
        "?code=abc&state=wrong",
        "?error=access_denied&state=wrong",
    ],
)
def test_a_stray_callback_is_refused_and_the_login_goes_on(settings: Settings, query: str) -> None:
    core = build_access(settings.with_changes(login_timeout_s=20))
    stray: list[requests.Response] = []

    def browser(url: str) -> None:
        # A web page can send this with an <img>, before the real redirect arrives.
        stray.append(requests.get(_redirect_uri(url) + query, timeout=5))
        follow_redirects(url)

    core.login_flow(open_url=browser).run()
    assert stray[0].status_code == 400
    assert core.store.has_token()


def test_only_refused_callbacks_end_as_a_state_mismatch(settings: Settings) -> None:
    core = build_access(settings.with_changes(login_timeout_s=0.5))

    def browser(url: str) -> None:
        requests.get(_redirect_uri(url) + "?code=abc&state=wrong", timeout=5)

    with pytest.raises(StateMismatch):
        core.login_flow(open_url=browser).run()
    assert not core.store.has_token()


def test_duplicate_code_is_refused(settings: Settings) -> None:
    core = build_access(settings.with_changes(login_timeout_s=20))
    answers: list[requests.Response] = []

    def browser(url: str) -> None:
        state = _state(url)
        doubled = f"{_redirect_uri(url)}?code=one&code=two&state={state}"
        answers.append(requests.get(doubled, timeout=5))
        follow_redirects(url)

    core.login_flow(open_url=browser).run()
    assert answers[0].status_code == 400
    assert core.store.has_token()


def test_foreign_host_header_is_refused(settings: Settings) -> None:
    core = build_access(settings.with_changes(login_timeout_s=20))
    answers: list[requests.Response] = []

    def browser(url: str) -> None:
        # DNS rebinding: a page on evil.example resolved to 127.0.0.1.
        state = _state(url)
        callback = f"{_redirect_uri(url)}?code=abc&state={state}"
        answers.append(requests.get(callback, headers={"Host": "evil.example:8974"}, timeout=5))
        follow_redirects(url)

    core.login_flow(open_url=browser).run()
    assert answers[0].status_code == 400
    assert core.store.has_token()


def test_browser_says_logged_in_only_after_the_exchange(
    settings: Settings, sim: SpotifySimulator
) -> None:
    core = build_access(settings.with_changes(login_timeout_s=20))
    answers: list[requests.Response] = []

    def browser(url: str) -> None:
        sim.fail_next("server_error", path="/api/token", status=503)
        answers.append(requests.get(url, timeout=20))

    with pytest.raises(Exception):  # noqa: B017 - which error is the gateway's business
        core.login_flow(open_url=browser).run()
    assert not core.store.has_token()
    assert answers[0].status_code != 200
    assert "logged in" not in answers[0].text.lower()


def test_success_page_follows_a_stored_token(settings: Settings) -> None:
    core = build_access(settings)
    answers: list[requests.Response] = []
    seen_token: list[bool] = []

    def browser(url: str) -> None:
        answers.append(requests.get(url, timeout=20))
        seen_token.append(core.store.has_token())

    core.login_flow(open_url=browser).run()
    assert answers[0].status_code == 200 and "logged in" in answers[0].text.lower()
    assert seen_token == [True]


def _raw_exchange(port: int, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(data)
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.parametrize(
    "data",
    [
        b"GET /callback?" + b"a" * 100_000 + b" HTTP/1.1\r\n\r\n",
        b"\x00\xff\xfe garbage \x01\x02\r\n\r\n",
        b"GET /callback HTTP/9.9 extra\r\n\r\n",
    ],
    ids=["100kb-url", "garbage", "bad-version"],
)
def test_malformed_requests_get_an_answer_and_one_log_line(
    data: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    listener = CallbackListener(0, "expected-state")
    try:
        with caplog.at_level(logging.DEBUG, logger="nowplaying_tray.core.login_listener"):
            reply = _raw_exchange(listener.port, data)
    finally:
        listener.close()
    assert reply  # an error page, not an empty reply
    records = [r for r in caplog.records if r.name == "nowplaying_tray.core.login_listener"]
    assert len(records) == 1, [r.getMessage() for r in records]
    assert records[0].levelno < logging.ERROR and not records[0].exc_info


def test_idle_socket_times_out_with_one_quiet_line(caplog: pytest.LogCaptureFixture) -> None:
    listener = CallbackListener(0, "expected-state", idle_timeout_s=0.3)
    try:
        with caplog.at_level(logging.DEBUG, logger="nowplaying_tray.core.login_listener"):
            reply = _raw_exchange(listener.port, b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03")
    finally:
        listener.close()
    assert reply == b""  # a TLS client gets nothing it could take for HTTP
    records = [r for r in caplog.records if r.name == "nowplaying_tray.core.login_listener"]
    assert len(records) == 1, [r.getMessage() for r in records]
    assert records[0].levelno < logging.ERROR and not records[0].exc_info


def test_code_exchange_redirected_to_a_file_fails_plainly(
    settings: Settings, sim: SpotifySimulator
) -> None:
    core = build_access(settings.with_changes(login_timeout_s=20))

    def browser(url: str) -> None:
        sim.fail_next("redirect", path="/api/token", location="file:///etc/passwd")
        requests.get(url, timeout=20)

    with pytest.raises(LoginFailed, match="redirect to a file address"):
        core.login_flow(open_url=browser).run()
    assert not core.store.has_token()
