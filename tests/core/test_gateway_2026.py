"""The gateway against what development-mode Spotify really sends in 2026, over HTTP."""

from __future__ import annotations

import pytest

from nowplaying_tray.core.error_mapping import DEFAULT_RETRY_AFTER_S
from nowplaying_tray.core.errors import (
    NotAllowListed,
    OwnerPremiumRequired,
    RateLimited,
    RestrictionViolated,
)
from nowplaying_tray.core.gateway import SpotifyGateway
from nowplaying_tray.core.model import ItemKind, PlaybackState
from nowplaying_tray.simulator import (
    SpotifySimulator,
    make_ad,
    make_episode,
    make_track,
    without_image_sizes,
)

TRACK = make_track("Song A", ["Artist A"], "Album A", 200_000)
TRACK_2 = make_track("Song B", ["Artist B"], "Album B", 200_000)


def test_an_episode_without_publisher_names_its_show(
    gateway: SpotifyGateway, sim: SpotifySimulator
) -> None:
    sim.player.set_queue([make_episode("Episode 7", "The Loop Station", 600_000)])
    playback = gateway.current_playback()
    assert playback.kind is ItemKind.EPISODE
    assert playback.artists == ("The Loop Station",)
    assert playback.album == "The Loop Station"


def test_images_without_widths_give_the_largest(
    gateway: SpotifyGateway, sim: SpotifySimulator
) -> None:
    sim.player.set_queue([without_image_sizes(TRACK)])
    playback = gateway.current_playback()
    assert {image.width for image in playback.images} == {None}
    for size in (64, 300, 640):
        url = playback.art_url(size)
        assert url is not None and url.endswith("/640.png")  # listed first: the widest


def test_a_json_null_body_is_nothing_playing(
    gateway: SpotifyGateway, sim: SpotifySimulator
) -> None:
    sim.fail_next("null_200", path="/v1/me/player")
    assert gateway.current_playback().state is PlaybackState.IDLE


def test_no_item_while_playing_is_between_items(
    gateway: SpotifyGateway, sim: SpotifySimulator
) -> None:
    sim.player.set_queue([TRACK, TRACK_2])
    sim.set_transition_reads(1)
    gateway.next()
    between = gateway.current_playback()
    assert between.between_items and between.state is PlaybackState.PLAYING
    assert between.title is None
    settled = gateway.current_playback()
    assert not settled.between_items and settled.title == "Song B"


def test_owner_without_premium_in_the_real_plain_text(
    gateway: SpotifyGateway, sim: SpotifySimulator
) -> None:
    sim.set_owner_premium(False)
    with pytest.raises(OwnerPremiumRequired):
        gateway.current_playback()


@pytest.mark.parametrize("wording", ["check_settings", "dashboard"])
def test_both_wordings_of_not_allow_listed(
    gateway: SpotifyGateway, sim: SpotifySimulator, wording: str
) -> None:
    sim.set_allow_listed(False, wording=wording)
    with pytest.raises(NotAllowListed) as caught:
        gateway.current_playback()
    assert not isinstance(caught.value, OwnerPremiumRequired)


@pytest.mark.parametrize(
    ("queue", "playing", "control"),
    [
        ([TRACK], False, "pause"),
        ([TRACK], True, "play"),
        ([make_ad(30_000), TRACK], True, "next"),
        ([make_ad(30_000), TRACK], True, "previous"),
    ],
)
def test_restriction_violated_is_its_own_error(
    gateway: SpotifyGateway, sim: SpotifySimulator, queue: list, playing: bool, control: str
) -> None:
    sim.player.set_queue(queue, playing=playing)
    with pytest.raises(RestrictionViolated):
        getattr(gateway, control)()


def test_retry_after_zero_is_kept_but_never_read_as_now(
    gateway: SpotifyGateway, sim: SpotifySimulator
) -> None:
    sim.fail_next("rate_limit", retry_after=0, path="/v1/me/player")
    with pytest.raises(RateLimited) as caught:
        gateway.current_playback()
    assert caught.value.retry_after == 0 and not caught.value.quota_exceeded
    assert caught.value.message == "Rate-limited by Spotify — retry in a few seconds."


def test_a_bare_429_is_not_taken_for_quota(gateway: SpotifyGateway, sim: SpotifySimulator) -> None:
    sim.fail_next("rate_limit", retry_after=None, body=False, path="/v1/me/player")
    with pytest.raises(RateLimited) as caught:
        gateway.current_playback()
    assert caught.value.retry_after == DEFAULT_RETRY_AFTER_S
    assert caught.value.quota_exceeded is False
    with pytest.raises(RateLimited):  # held back: no request inside the default wait
        gateway.current_playback()
    assert sim.count("/v1/me/player") == 1
