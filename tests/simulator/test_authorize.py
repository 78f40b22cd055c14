"""GET /authorize validation, the consent page and its decision."""

from __future__ import annotations

import re

import pytest

from nowplaying_tray.simulator import DEMO_CLIENT_ID

from .conftest import REDIRECT_URI, authorize_params, make_pkce, query_of


def authorize(sim, http, **overrides):
    return http.get(
        f"{sim.accounts_url}/authorize",
        params=authorize_params(make_pkce(), **overrides),
        allow_redirects=False,
    )


def test_unknown_client_gets_invalid_client_page(sim, http):
    response = authorize(sim, http, client_id="f" * 32)
    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("text/html")
    assert "INVALID_CLIENT: Invalid client" in response.text


@pytest.mark.parametrize(
    "redirect_uri",
    [
        "http://localhost:8765/callback",
        "http://example.com/callback",
        "http://127.0.0.1.example.com/callback",
        "http://user@evil.example/callback",
    ],
)
def test_insecure_redirect_uris_are_refused(sim, http, redirect_uri):
    response = authorize(sim, http, redirect_uri=redirect_uri)
    assert response.status_code == 400
    assert "INVALID_CLIENT: Insecure redirect URI" in response.text


@pytest.mark.parametrize(
    "redirect_uri",
    ["http://127.0.0.1:8765/other", "https://example.com/callback", "myapp://callback"],
)
def test_unregistered_redirect_uris_are_invalid(sim, http, redirect_uri):
    response = authorize(sim, http, redirect_uri=redirect_uri)
    assert response.status_code == 400
    assert "INVALID_CLIENT: Invalid redirect URI" in response.text


@pytest.mark.parametrize(
    "redirect_uri",
    ["http://127.0.0.1:8765/callback", "http://[::1]:43123/callback", "http://127.0.0.1/callback"],
)
def test_loopback_literals_with_any_port_are_accepted(sim, http, redirect_uri):
    response = authorize(sim, http, redirect_uri=redirect_uri)
    assert response.status_code == 200
    assert "wants to access your account" in response.text


def test_registered_https_uri_matches_exactly(sim, http):
    sim.register_client("a" * 32, redirect_uris=["https://app.example/cb"])
    assert authorize(sim, http, client_id="a" * 32, redirect_uri="https://app.example/cb").ok
    wrong = authorize(sim, http, client_id="a" * 32, redirect_uri="https://app.example/cb2")
    assert wrong.status_code == 400


def test_response_type_must_be_code(sim, http):
    response = authorize(sim, http, response_type="token")
    assert response.status_code == 400
    assert "unsupported_response_type" in response.text


@pytest.mark.parametrize(
    "overrides",
    [
        {"code_challenge": None},
        {"code_challenge_method": "plain"},
        {"code_challenge_method": None},
        {"code_challenge": "too-short"},
        {"code_challenge": "x" * 42 + "="},
        {"code_challenge": "+" * 43},
    ],
)
def test_bad_pkce_challenge_is_refused(sim, http, overrides):
    response = authorize(sim, http, **overrides)
    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("text/html")


def test_unknown_scope_is_refused(sim, http):
    response = authorize(sim, http, scope="user-read-playback-state not-a-scope")
    assert response.status_code == 400
    assert "INVALID_SCOPE" in response.text


def test_consent_page_lists_scopes_and_has_agree_and_cancel(sim, http):
    response = authorize(sim, http)
    assert response.status_code == 200
    page = response.text
    assert "Demo app wants to access your account" in page
    assert "Demo Listener" in page
    assert "Control playback" in page  # user-modify-playback-state
    assert "<button type=submit name=decision value=agree>Agree</button>" in page
    assert "<button type=submit name=decision value=cancel>Cancel</button>" in page
    assert 'action="/authorize/decision"' in page


def test_consent_page_escapes_the_user_name(sim, http):
    sim.user = {**sim.user, "display_name": "<script>x</script>"}
    page = authorize(sim, http).text
    assert "<script>x" not in page
    assert "&lt;script&gt;x" in page


def decide(sim, http, page: str, decision: str):
    request_id = re.search(r'name=request_id value="([^"]+)"', page).group(1)
    return http.post(
        f"{sim.accounts_url}/authorize/decision",
        data={"request_id": request_id, "decision": decision},
        allow_redirects=False,
    )


def test_agree_redirects_with_code_and_state(sim, http):
    response = decide(sim, http, authorize(sim, http).text, "agree")
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith(REDIRECT_URI + "?")
    params = query_of(location)
    assert params["state"] == "xyz-state"
    assert len(params["code"]) > 20


def test_cancel_redirects_with_access_denied(sim, http):
    response = decide(sim, http, authorize(sim, http).text, "cancel")
    assert response.status_code == 302
    assert query_of(response.headers["Location"]) == {
        "error": "access_denied",
        "state": "xyz-state",
    }


def test_a_decision_can_only_be_made_once(sim, http):
    page = authorize(sim, http).text
    assert decide(sim, http, page, "agree").status_code == 302
    again = decide(sim, http, page, "agree")
    assert again.status_code == 400


def test_auto_approve_redirects_immediately_and_omits_absent_state(sim, http):
    sim.auto_approve = True
    response = authorize(sim, http, state=None, redirect_uri="http://[::1]:5000/callback")
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("http://[::1]:5000/callback?code=")
    assert "state" not in query_of(location)


def test_constructor_auto_approve_and_extra_clients(clock, http):
    from nowplaying_tray.simulator import SpotifySimulator

    with SpotifySimulator(clock=clock, auto_approve=True, client_ids=["b" * 32]) as other:
        assert authorize(other, http, client_id="b" * 32).status_code == 302
        assert authorize(other, http, client_id=DEMO_CLIENT_ID).status_code == 400
