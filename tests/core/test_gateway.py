"""The gateway against the simulator over HTTP: reads, controls, refreshes, and every error."""

from __future__ import annotations

import json
import time

import pytest

from nowplaying_tray.core.errors import (
    ApiUnavailable,
    AuthRequired,
    LoginExpired,
    NoActiveDevice,
    NotAllowListed,
    Offline,
    OwnerPremiumRequired,
    PremiumRequired,
    RateLimited,
)
from nowplaying_tray.core.gateway import SpotifyGateway
from nowplaying_tray.core.memory_keyring import MemoryKeyring
from nowplaying_tray.core.model import ItemKind, PlaybackState
from nowplaying_tray.core.settings import Settings
from nowplaying_tray.core.spotify_access import build_access
from nowplaying_tray.simulator import SpotifySimulator, make_episode, make_track


def test_reads_what_the_simulator_plays(gateway: SpotifyGateway, sim: SpotifySimulator) -> None:
    playback = gateway.current_playback()
    current = sim.player.current()
    assert current is not None
    assert playback.state is PlaybackState.PLAYING
    assert playback.device
    assert sim.count("/v1/me/player") == 1


def test_one_request_per_read_asking_for_episodes(
    gateway: SpotifyGateway, sim: SpotifySimulator
) -> None:
    sim.player.set_queue([make_episode("Ep 1", "The Show", 60_000)])
    sim.clear_log()
    playback = gateway.current_playback()
    assert playback.kind is ItemKind.EPISODE and playback.album == "The Show"
    assert [r.path for r in sim.requests] == ["/v1/me/player"]


def test_idle_is_not_an_error(gateway: SpotifyGateway, sim: SpotifySimulator) -> None:
    sim.player.set_idle()
    assert gateway.current_playback().state is PlaybackState.IDLE


def test_private_session_reads_as_idle(gateway: SpotifyGateway, sim: SpotifySimulator) -> None:
    sim.player.set_private_session(True)
    assert gateway.current_playback().state is PlaybackState.IDLE


def test_no_token_means_auth_required_without_any_request(
    settings: Settings, sim: SpotifySimulator
) -> None:
    gateway = build_access(settings).gateway
    with pytest.raises(AuthRequired):
        gateway.current_playback()
    assert sim.count() == 0


def test_refresh_after_expiry_keeps_the_old_refresh_token(
    gateway: SpotifyGateway, sim: SpotifySimulator, memory_keyring: MemoryKeyring
) -> None:
    store = gateway.store
    first = store.get_cached_token()
    assert first is not None
    # An hour has passed, as far as the stored token knows.
    store.save_token_to_cache(first | {"expires_at": int(time.time()) - 10})
    sim.clear_log()
    assert gateway.current_playback().state is PlaybackState.PLAYING
    assert [r.path for r in sim.requests] == ["/api/token", "/v1/me/player"]
    stored = json.loads(memory_keyring.get_password("nowplaying-tray", store.client_id) or "")
    assert stored["refresh_token"] == first["refresh_token"]  # Spotify sent none: keep ours
    assert stored["access_token"] != first["access_token"]
    assert stored["expires_at"] > time.time()


def test_401_mid_session_refreshes_and_retries(
    gateway: SpotifyGateway, sim: SpotifySimulator
) -> None:
    sim.expire_access_tokens()
    sim.clear_log()
    assert gateway.current_playback().state is PlaybackState.PLAYING
    assert [(r.path, r.status) for r in sim.requests] == [
        ("/v1/me/player", 401),
        ("/api/token", 200),
        ("/v1/me/player", 200),
    ]


def test_revoked_refresh_token_removes_the_login(
    gateway: SpotifyGateway, sim: SpotifySimulator, memory_keyring: MemoryKeyring
) -> None:
    sim.revoke_refresh_tokens()
    sim.expire_access_tokens()
    with pytest.raises(LoginExpired, match="Log in again"):
        gateway.current_playback()
    assert memory_keyring.get_password("nowplaying-tray", gateway.store.client_id) is None
    gateway.store.forget_memory_copy()
    assert not gateway.has_login()


def test_transient_refresh_failure_keeps_the_token(
    gateway: SpotifyGateway, sim: SpotifySimulator
) -> None:
    sim.expire_access_tokens()
    sim.fail_next("server_error", path="/api/token", status=503)
    with pytest.raises(ApiUnavailable):
        gateway.current_playback()
    gateway.store.forget_memory_copy()
    assert gateway.has_login()
    assert gateway.current_playback().state is PlaybackState.PLAYING


def test_429_returns_at_once_even_with_a_huge_retry_after(
    gateway: SpotifyGateway, sim: SpotifySimulator
) -> None:
    sim.fail_next("rate_limit", retry_after=3600)
    started = time.monotonic()
    with pytest.raises(RateLimited) as caught:
        gateway.current_playback()
    assert time.monotonic() - started < 2
    assert caught.value.retry_after == 3600 and not caught.value.quota_exceeded
    assert "should work again at " in caught.value.message and "(in 1 h)" in caught.value.message
    assert sim.count("/v1/me/player") == 1  # no hidden retries


def test_429_quota_exceeded(gateway: SpotifyGateway, sim: SpotifySimulator) -> None:
    sim.fail_next("rate_limit", retry_after=60, quota_exceeded=True)
    with pytest.raises(RateLimited) as caught:
        gateway.current_playback()
    assert caught.value.quota_exceeded


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors(gateway: SpotifyGateway, sim: SpotifySimulator, status: int) -> None:
    sim.fail_next("server_error", status=status)
    with pytest.raises(ApiUnavailable, match=str(status)):
        gateway.current_playback()
    assert gateway.current_playback().state is PlaybackState.PLAYING


def test_malformed_json(gateway: SpotifyGateway, sim: SpotifySimulator) -> None:
    sim.fail_next("malformed")
    with pytest.raises(ApiUnavailable):
        gateway.current_playback()


def test_empty_200_is_idle_not_a_crash(gateway: SpotifyGateway, sim: SpotifySimulator) -> None:
    sim.fail_next("empty_200")
    assert gateway.current_playback().state is PlaybackState.IDLE


def test_dropped_connection(gateway: SpotifyGateway, sim: SpotifySimulator) -> None:
    sim.fail_next("drop")
    with pytest.raises(Offline):
        gateway.current_playback()


def test_slow_answer_times_out(logged_in: Settings, sim: SpotifySimulator) -> None:
    gateway = build_access(logged_in.with_changes(request_timeout_s=0.3)).gateway
    sim.fail_next("slow", delay=2.0)
    with pytest.raises(ApiUnavailable, match="in time"):
        gateway.current_playback()


def test_connection_refused(logged_in: Settings) -> None:
    with socket_closed_port() as port:
        gateway = build_access(
            logged_in.with_changes(api_url=f"http://127.0.0.1:{port}/v1")
        ).gateway
        with pytest.raises(Offline):
            gateway.current_playback()


def test_dns_failure(logged_in: Settings) -> None:
    gateway = build_access(logged_in.with_changes(api_url="http://no-such-host.invalid/v1")).gateway
    with pytest.raises(Offline):
        gateway.current_playback()


def test_owner_without_premium(gateway: SpotifyGateway, sim: SpotifySimulator) -> None:
    sim.set_owner_premium(False)
    with pytest.raises(OwnerPremiumRequired, match="owner"):
        gateway.current_playback()


def test_user_not_on_allow_list(gateway: SpotifyGateway, sim: SpotifySimulator) -> None:
    sim.set_allow_listed(False)
    with pytest.raises(NotAllowListed, match="User Management"):
        gateway.current_playback()


def test_controls(gateway: SpotifyGateway, sim: SpotifySimulator) -> None:
    first = sim.player.current()
    gateway.next()
    assert sim.player.current() != first
    gateway.previous()
    gateway.pause()
    assert not sim.player.is_playing
    gateway.play()
    assert sim.player.is_playing


def test_free_account_gets_premium_required(gateway: SpotifyGateway, sim: SpotifySimulator) -> None:
    sim.set_premium(False)
    with pytest.raises(PremiumRequired):
        gateway.next()


def test_no_active_device(gateway: SpotifyGateway, sim: SpotifySimulator) -> None:
    sim.player.set_idle()
    with pytest.raises(NoActiveDevice):
        gateway.play()


def test_save_and_unsave(gateway: SpotifyGateway, sim: SpotifySimulator) -> None:
    sim.player.set_queue([make_track("Song", ["Artist"], "Album", 100_000)])
    uri = gateway.current_playback().uri
    assert uri
    assert not gateway.is_saved(uri)
    gateway.save(uri)
    assert gateway.is_saved(uri)
    gateway.unsave(uri)
    assert not gateway.is_saved(uri)


class socket_closed_port:  # noqa: N801 - used as a context manager
    """A port on which nothing listens."""

    def __enter__(self) -> int:
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            return probe.getsockname()[1]

    def __exit__(self, *_: object) -> None:
        return None


def test_a_429_holds_back_every_call_until_retry_after(
    gateway: SpotifyGateway, sim: SpotifySimulator
) -> None:
    sim.fail_next("rate_limit", retry_after=3600)
    with pytest.raises(RateLimited):
        gateway.current_playback()
    sim.clear_log()
    for call in (
        gateway.current_playback,
        gateway.next,
        lambda: gateway.is_saved("spotify:track:x"),
    ):
        with pytest.raises(RateLimited) as caught:
            call()
        assert 3590 < caught.value.retry_after <= 3600
    assert sim.count() == 0  # nothing reached Spotify during the wait


def test_library_calls_map_errors_like_every_other_call(
    gateway: SpotifyGateway, sim: SpotifySimulator
) -> None:
    sim.player.set_queue([make_track("Song", ["Artist"], "Album", 100_000)])
    uri = gateway.current_playback().uri
    assert uri
    sim.expire_access_tokens()
    sim.clear_log()
    assert gateway.is_saved(uri) is False
    assert [(r.path, r.status) for r in sim.requests] == [
        ("/v1/me/library/contains", 401),
        ("/api/token", 200),
        ("/v1/me/library/contains", 200),
    ]
    sim.fail_next("server_error", path="/v1/me/library", status=503)
    with pytest.raises(ApiUnavailable, match="503"):
        gateway.save(uri)
    for shape in ("error_string", "list"):
        sim.fail_next("bad_body", path="/v1/me/library", status=400, shape=shape)
        with pytest.raises(ApiUnavailable, match="could not be read"):
            gateway.unsave(uri)
    sim.fail_next("redirect", path="/v1/me/library")
    with pytest.raises(ApiUnavailable):
        gateway.is_saved(uri)
    sim.fail_next("rate_limit", path="/v1/me/library", retry_after=60)
    with pytest.raises(RateLimited) as caught:
        gateway.save(uri)
    assert caught.value.retry_after == 60
    assert sim.count("/v1/me/library", method="PUT") == 2  # no hidden retries
