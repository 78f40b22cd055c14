"""POST /api/token (code exchange and refresh) and bearer-token checks on /v1."""

from __future__ import annotations

import base64

from nowplaying_tray.simulator import DEMO_CLIENT_ID

from .conftest import ALL_SCOPES, exchange, get_code, login, make_pkce


def refresh(sim, http, refresh_token, client_id=DEMO_CLIENT_ID):
    return http.post(
        f"{sim.accounts_url}/api/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": refresh_token,
            "client_id": client_id,
        },
    )


def me(sim, http, token):
    return http.get(f"{sim.api_url}/me", headers={"Authorization": f"Bearer {token}"})


def test_code_exchange_happy_path(sim, http):
    pkce = make_pkce()
    response = exchange(sim, http, get_code(sim, http, pkce), pkce.verifier)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "refresh_token", "scope"}
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert body["scope"] == ALL_SCOPES
    assert body["access_token"] != body["refresh_token"]
    assert me(sim, http, body["access_token"]).json()["display_name"] == "Demo Listener"


def test_client_id_may_come_from_basic_auth(sim, http):
    pkce = make_pkce()
    basic = base64.b64encode(f"{DEMO_CLIENT_ID}:".encode()).decode()
    http.headers["Authorization"] = f"Basic {basic}"
    response = exchange(sim, http, get_code(sim, http, pkce), pkce.verifier, client_id="")
    assert response.status_code == 200


def test_wrong_verifier_is_rejected(sim, http):
    pkce = make_pkce()
    response = exchange(sim, http, get_code(sim, http, pkce), make_pkce().verifier)
    assert response.status_code == 400
    assert response.json() == {
        "error": "invalid_grant",
        "error_description": "code_verifier was incorrect",
    }


def test_code_is_single_use(sim, http):
    pkce = make_pkce()
    code = get_code(sim, http, pkce)
    assert exchange(sim, http, code, pkce.verifier).status_code == 200
    again = exchange(sim, http, code, pkce.verifier)
    assert again.status_code == 400
    assert again.json() == {
        "error": "invalid_grant",
        "error_description": "Invalid authorization code",
    }


def test_code_expires_after_ten_minutes(sim, http, clock):
    pkce = make_pkce()
    code = get_code(sim, http, pkce)
    clock.advance(601)
    response = exchange(sim, http, code, pkce.verifier)
    assert response.status_code == 400
    assert response.json()["error_description"] == "Invalid authorization code"


def test_code_within_ten_minutes_is_fine(sim, http, clock):
    pkce = make_pkce()
    code = get_code(sim, http, pkce)
    clock.advance(599)
    assert exchange(sim, http, code, pkce.verifier).status_code == 200


def test_unknown_code_is_rejected(sim, http):
    response = exchange(sim, http, "made-up", make_pkce().verifier)
    assert response.json()["error"] == "invalid_grant"


def test_redirect_uri_must_match(sim, http):
    pkce = make_pkce()
    code = get_code(sim, http, pkce)
    response = exchange(
        sim, http, code, pkce.verifier, redirect_uri="http://127.0.0.1:9999/callback"
    )
    assert response.status_code == 400
    assert response.json() == {
        "error": "invalid_grant",
        "error_description": "Invalid redirect URI",
    }


def test_unknown_client_and_bad_grant_type(sim, http):
    pkce = make_pkce()
    code = get_code(sim, http, pkce)
    unknown = exchange(sim, http, code, pkce.verifier, client_id="c" * 32)
    assert unknown.status_code == 400
    assert unknown.json() == {"error": "invalid_client", "error_description": "Invalid client"}
    bad_grant = exchange(sim, http, code, pkce.verifier, grant_type="client_credentials")
    assert bad_grant.status_code == 400
    assert bad_grant.json()["error"] == "unsupported_grant_type"
    missing = http.post(f"{sim.accounts_url}/api/token", data={"client_id": DEMO_CLIENT_ID})
    assert missing.json()["error"] == "unsupported_grant_type"


def test_refresh_does_not_rotate(sim, http):
    tokens = login(sim, http)
    response = refresh(sim, http, tokens["refresh_token"])
    assert response.status_code == 200
    body = response.json()
    assert "refresh_token" not in body
    assert body["token_type"] == "Bearer"
    assert body["scope"] == ALL_SCOPES
    assert body["access_token"] != tokens["access_token"]
    # The old refresh token keeps working, and both access tokens are valid.
    assert refresh(sim, http, tokens["refresh_token"]).status_code == 200
    assert me(sim, http, body["access_token"]).status_code == 200
    assert me(sim, http, tokens["access_token"]).status_code == 200


def test_revoked_refresh_token(sim, http):
    tokens = login(sim, http)
    sim.revoke_refresh_tokens()
    response = refresh(sim, http, tokens["refresh_token"])
    assert response.status_code == 400
    assert response.json() == {
        "error": "invalid_grant",
        "error_description": "Refresh token revoked",
    }
    # A new login gets a working refresh token again.
    assert refresh(sim, http, login(sim, http)["refresh_token"]).status_code == 200


def test_refresh_token_expires_six_months_after_authorization(sim, http, clock):
    tokens = login(sim, http)
    clock.advance(150 * 86400)
    assert refresh(sim, http, tokens["refresh_token"]).status_code == 200  # does not extend
    clock.advance(40 * 86400)
    response = refresh(sim, http, tokens["refresh_token"])
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_unknown_refresh_token_and_wrong_client(sim, http):
    tokens = login(sim, http)
    assert refresh(sim, http, "nope").json()["error"] == "invalid_grant"
    sim.register_client("d" * 32)
    assert refresh(sim, http, tokens["refresh_token"], "d" * 32).json()["error"] == "invalid_grant"


def test_access_token_lifetime_and_expiry(sim, http, clock):
    sim.set_access_token_lifetime(60)
    tokens = login(sim, http)
    assert tokens["expires_in"] == 60
    clock.advance(59)
    assert me(sim, http, tokens["access_token"]).status_code == 200
    clock.advance(1)
    expired = me(sim, http, tokens["access_token"])
    assert expired.status_code == 401
    assert expired.json() == {"error": {"status": 401, "message": "The access token expired"}}
    assert "invalid_token" in expired.headers["WWW-Authenticate"]


def test_expire_access_tokens_now(sim, http):
    tokens = login(sim, http)
    sim.expire_access_tokens()
    assert me(sim, http, tokens["access_token"]).json()["error"]["message"] == (
        "The access token expired"
    )
    fresh = refresh(sim, http, tokens["refresh_token"]).json()["access_token"]
    assert me(sim, http, fresh).status_code == 200


def test_missing_and_unknown_tokens(sim, http):
    missing = http.get(f"{sim.api_url}/me/player")
    assert missing.status_code == 401
    assert missing.json() == {"error": {"status": 401, "message": "No token provided"}}
    unknown = me(sim, http, "not-a-token")
    assert unknown.status_code == 401
    assert unknown.json() == {"error": {"status": 401, "message": "Invalid access token"}}
    basic = http.get(f"{sim.api_url}/me", headers={"Authorization": "Basic abc"})
    assert basic.status_code == 400


def test_insufficient_scope(sim, http):
    tokens = login(sim, http, scope="user-read-currently-playing")
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert http.get(f"{sim.api_url}/me/player/currently-playing", headers=headers).ok
    denied = http.get(f"{sim.api_url}/me/player", headers=headers)
    assert denied.status_code == 403
    assert denied.json()["error"]["message"] == "Insufficient client scope"
    sim.enforce_scopes = False
    assert http.get(f"{sim.api_url}/me/player", headers=headers).ok
