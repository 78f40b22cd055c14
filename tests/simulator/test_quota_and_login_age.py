"""The daily quota and refresh tokens with an old login, over HTTP."""

from __future__ import annotations

from .conftest import DEMO_CLIENT_ID


def control(sim, http, action, **kwargs):
    return http.post(f"{sim.base_url}/_sim/control", json={"action": action, **kwargs})


def refresh(sim, http, tokens):
    data = {
        "grant_type": "refresh_token",
        "refresh_token": tokens["refresh_token"],
        "client_id": DEMO_CLIENT_ID,
    }
    return http.post(f"{sim.accounts_url}/api/token", data=data)


def test_a_spent_daily_quota_refuses_for_hours(sim, http, api, clock):
    assert control(sim, http, "set_daily_quota", limit=3, lockout_s=7200).json() == {"ok": True}
    assert [api("GET", "/me/player").status_code for _ in range(3)] == [200, 200, 200]
    refused = api("GET", "/me/player")
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "7200"
    assert refused.json() == {
        "error": {"status": 429, "message": "API rate limit exceeded", "reason": "QUOTA_EXCEEDED"}
    }
    clock.advance(3600)
    assert api("GET", "/me").headers["Retry-After"] == "3600"  # counting down
    state = http.get(f"{sim.base_url}/_sim/state").json()["quota"]
    assert state == {"limit": 3, "used": 3, "window_s": 86400.0, "locked_for_s": 3600.0}
    clock.advance(3600)
    # The lockout is over, but the three requests are still in the 24 h window.
    assert api("GET", "/me/player").status_code == 429
    clock.advance(86400)
    # A day later the quota lets requests through (this one meets an expired access token).
    assert api("GET", "/me/player").status_code == 401


def test_the_quota_is_off_by_default_and_can_be_turned_off(sim, http, api):
    assert all(api("GET", "/me/player").status_code == 200 for _ in range(20))
    control(sim, http, "set_daily_quota", limit=0)
    assert api("GET", "/me/player").status_code == 429
    control(sim, http, "set_daily_quota", limit=None)
    assert api("GET", "/me/player").status_code == 200


def test_the_quota_covers_the_web_api_not_the_token_endpoint(sim, http, api, tokens):
    sim.set_daily_quota(0)
    assert refresh(sim, http, tokens).status_code == 200


def test_a_login_aged_past_six_months_cannot_refresh(sim, http, tokens):
    assert control(sim, http, "age_logins", days=170).json() == {"ok": True}
    assert refresh(sim, http, tokens).status_code == 200  # 13 days left
    control(sim, http, "age_logins", days=14)
    expired = refresh(sim, http, tokens)
    assert expired.status_code == 400
    assert expired.json() == {
        "error": "invalid_grant",
        "error_description": "Refresh token expired",
    }


def test_refresh_tokens_can_be_expired_at_once(sim, http, tokens):
    control(sim, http, "expire_refresh_tokens")
    assert refresh(sim, http, tokens).json()["error"] == "invalid_grant"


def test_bad_quota_arguments(sim, http):
    assert control(sim, http, "set_daily_quota", limit=-1).status_code == 400
    assert control(sim, http, "set_daily_quota", limit="many").status_code == 400
    assert control(sim, http, "age_logins").status_code == 400
