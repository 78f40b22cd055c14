"""The login flow end to end over HTTP against the simulator: listener, state, PKCE, storage."""

from __future__ import annotations

import logging
import socket
import threading
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
import requests

from nowplaying_tray.core.errors import (
    InvalidClientId,
    LoginCancelled,
    LoginTimedOut,
    MissingClientId,
    StateMismatch,
)
from nowplaying_tray.core.memory_keyring import MemoryKeyring
from nowplaying_tray.core.settings import Settings
from nowplaying_tray.core.spotify_access import build_access
from nowplaying_tray.simulator import SpotifySimulator
from tests.support.login import answer_consent, follow_redirects
from tests.support.sockets import open_idle, reset_midway


def _authorize_params(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def _replace_param(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    params = _authorize_params(url) | changes
    return urlunsplit(parts._replace(query=urlencode(params)))


def test_approve_stores_token_and_profile_works(settings: Settings) -> None:
    core = build_access(settings)
    core.login_flow(open_url=follow_redirects).run()
    token = core.store.get_cached_token()
    assert token and token["access_token"] and token["refresh_token"]
    assert core.gateway.display_name() == "Demo Listener"


def test_person_clicks_agree_on_the_consent_page(settings: Settings, sim: SpotifySimulator) -> None:
    sim.auto_approve = False
    answers: list[requests.Response] = []
    core = build_access(settings)
    core.login_flow(open_url=lambda url: answers.append(answer_consent(url, "agree"))).run()
    assert core.store.has_token()
    assert "logged in" in answers[0].text.lower()  # the page our listener sent back


def test_cancel_in_browser_is_a_clear_error(settings: Settings, sim: SpotifySimulator) -> None:
    sim.auto_approve = False
    answers: list[requests.Response] = []
    core = build_access(settings)
    with pytest.raises(LoginCancelled, match="cancelled in the browser"):
        core.login_flow(open_url=lambda url: answers.append(answer_consent(url, "cancel"))).run()
    assert not core.store.has_token()
    assert answers[0].status_code == 400 and "cancelled" in answers[0].text


def test_forged_state_is_refused_and_nothing_stored(settings: Settings) -> None:
    core = build_access(settings)

    def forge(url: str) -> None:
        follow_redirects(_replace_param(url, state="forged-by-someone-else"))

    with pytest.raises(StateMismatch):
        core.login_flow(open_url=forge).run()
    assert not core.store.has_token()


def test_missing_state_is_refused(settings: Settings) -> None:
    core = build_access(settings)

    def without_state(url: str) -> None:
        params = _authorize_params(url)
        redirect = params["redirect_uri"]
        requests.get(redirect, params={"code": "abc"}, timeout=5)

    with pytest.raises(StateMismatch):
        core.login_flow(open_url=without_state).run()
    assert not core.store.has_token()


def test_timeout_when_browser_never_returns(settings: Settings) -> None:
    core = build_access(settings.with_changes(login_timeout_s=0.3))
    with pytest.raises(LoginTimedOut):
        core.login_flow(open_url=lambda url: None).run()


def test_cancel_from_another_thread(settings: Settings) -> None:
    core = build_access(settings.with_changes(login_timeout_s=30))
    opened = threading.Event()
    flow = core.login_flow(open_url=lambda url: opened.set())
    errors: list[Exception] = []

    def run() -> None:
        try:
            flow.run()
        except Exception as exc:
            errors.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    assert opened.wait(5)
    flow.cancel()
    thread.join(5)
    assert not thread.is_alive()
    assert isinstance(errors[0], LoginCancelled)


def test_stray_requests_do_not_end_the_login(settings: Settings) -> None:
    core = build_access(settings)

    def browser_with_favicon(url: str) -> None:
        redirect = urlsplit(_authorize_params(url)["redirect_uri"])
        stray = requests.get(f"http://{redirect.netloc}/favicon.ico", timeout=5)
        assert stray.status_code == 404
        follow_redirects(url)

    core.login_flow(open_url=browser_with_favicon).run()
    assert core.store.has_token()


def test_busy_port_falls_back_to_a_free_one(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        seen: list[str] = []
        core = build_access(settings.with_changes(redirect_port=port))

        def browser(url: str) -> None:
            seen.append(_authorize_params(url)["redirect_uri"])
            follow_redirects(url)

        with caplog.at_level(logging.WARNING):
            core.login_flow(open_url=browser).run()
    assert core.store.has_token()
    used = urlsplit(seen[0])
    assert used.hostname == "127.0.0.1" and used.port != port and used.path == "/callback"
    assert f"Port {port} is busy" in caplog.text


def test_listener_binds_loopback_only(settings: Settings) -> None:
    seen: list[str] = []

    def browser(url: str) -> None:
        seen.append(_authorize_params(url)["redirect_uri"])
        follow_redirects(url)

    build_access(settings).login_flow(open_url=browser).run()
    assert seen[0].startswith("http://127.0.0.1:")


def test_each_attempt_has_fresh_state_and_challenge(settings: Settings) -> None:
    seen: list[dict[str, str]] = []

    def browser(url: str) -> None:
        seen.append(_authorize_params(url))
        follow_redirects(url)

    core = build_access(settings)
    core.login_flow(open_url=browser).run()
    core.login_flow(open_url=browser).run()
    assert seen[0]["state"] != seen[1]["state"]
    assert seen[0]["code_challenge"] != seen[1]["code_challenge"]
    assert seen[0]["code_challenge_method"] == "S256"


def test_badly_formed_client_id_fails_before_the_browser(settings: Settings) -> None:
    opened: list[str] = []
    core = build_access(settings.with_changes(client_id="not-a-client-id"))
    with pytest.raises(InvalidClientId, match="32 hexadecimal"):
        core.login_flow(open_url=opened.append).run()
    assert opened == []


def test_unknown_client_id_fails_before_the_browser(settings: Settings) -> None:
    opened: list[str] = []
    core = build_access(settings.with_changes(client_id="f" * 32))
    with pytest.raises(InvalidClientId, match="does not know"):
        core.login_flow(open_url=opened.append).run()
    assert opened == []


def test_no_client_id(settings: Settings) -> None:
    with pytest.raises(MissingClientId):
        build_access(settings.with_changes(client_id="")).login_flow(open_url=print).run()


def test_login_url_is_shown_for_opening_by_hand(settings: Settings) -> None:
    shown: list[str] = []
    core = build_access(settings)
    core.login_flow(open_url=follow_redirects, show_url=shown.append).run()
    assert shown and shown[0].startswith(f"{settings.accounts_url}/authorize?")


def test_token_is_keyed_by_client_id(settings: Settings, memory_keyring: MemoryKeyring) -> None:
    build_access(settings).login_flow(open_url=follow_redirects).run()
    assert memory_keyring.get_password("nowplaying-tray", settings.client_id)


def test_no_keyring_fails_before_the_browser(settings: Settings) -> None:
    from keyring.backends import fail

    from nowplaying_tray.core.errors import KeyringUnavailable

    opened: list[str] = []
    core = build_access(settings, keyring_backend=fail.Keyring())
    with pytest.raises(KeyringUnavailable):
        core.login_flow(open_url=opened.append).run()
    assert opened == []


def test_spare_and_reset_browser_connections_do_not_stall_or_print(
    settings: Settings, capfd: pytest.CaptureFixture[str]
) -> None:
    core = build_access(settings.with_changes(login_timeout_s=20))  # fail, don't hang
    spare: list[socket.socket] = []

    def chromium_like(url: str) -> None:
        port = urlsplit(_authorize_params(url)["redirect_uri"]).port
        assert port is not None
        spare.append(open_idle(port))  # held open for the whole login
        reset_midway(port, b"GET /callback?st")
        follow_redirects(url)

    try:
        core.login_flow(open_url=chromium_like).run()
    finally:
        for connection in spare:
            connection.close()
    assert core.store.has_token()
    assert "Traceback" not in capfd.readouterr().err
