"""Seek, volume, shuffle and repeat through the gateway, against the simulator over HTTP."""

from __future__ import annotations

import pytest

from nowplaying_tray.core.errors import (
    NoActiveDevice,
    PremiumRequired,
    RestrictionViolated,
    VolumeUnsupported,
)
from nowplaying_tray.core.gateway import SpotifyGateway
from nowplaying_tray.simulator import SpotifySimulator, make_ad, make_track


def test_seek_moves_the_position(gateway: SpotifyGateway, sim: SpotifySimulator) -> None:
    sim.player.set_queue([make_track("Long", ["A"], "B", 300_000)])
    sim.player.pause()
    gateway.seek(120_000)
    playback = gateway.current_playback()
    assert playback.progress_ms == 120_000
    assert sim.count("/v1/me/player/seek") == 1


def test_volume_is_read_and_set(gateway: SpotifyGateway, sim: SpotifySimulator) -> None:
    assert gateway.current_playback().volume_percent == 70
    gateway.set_volume(35)
    assert gateway.current_playback().volume_percent == 35
    gateway.set_volume(250)  # clamped, never a 400
    assert sim.player.state().device["volume_percent"] == 100


def test_a_device_without_volume_control(gateway: SpotifyGateway, sim: SpotifySimulator) -> None:
    sim.player.device["supports_volume"] = False
    assert gateway.current_playback().volume_percent is None  # no control to show
    with pytest.raises(VolumeUnsupported) as error:
        gateway.set_volume(50)
    assert error.value.message == "This device does not let Spotify change its volume from here."


def test_seek_errors_are_named(gateway: SpotifyGateway, sim: SpotifySimulator) -> None:
    sim.player.set_queue([make_ad(30_000)])
    with pytest.raises(RestrictionViolated):
        gateway.seek(1000)  # an advertisement cannot be seeked
    sim.player.set_idle()
    with pytest.raises(NoActiveDevice):
        gateway.seek(1000)
    sim.set_premium(False)
    with pytest.raises(PremiumRequired):
        gateway.set_volume(10)


def test_shuffle_and_repeat_are_read_and_set(
    gateway: SpotifyGateway, sim: SpotifySimulator
) -> None:
    playback = gateway.current_playback()  # the demo playlist: a context, repeat on
    assert (playback.shuffle, playback.repeat) == (False, "context")
    gateway.set_shuffle(True)
    gateway.set_repeat("track")
    playback = gateway.current_playback()
    assert (playback.shuffle, playback.repeat) == (True, "track")
    sim.player.set_queue([make_track("Alone", ["A"], "B", 300_000)])  # no context
    with pytest.raises(RestrictionViolated):
        gateway.set_shuffle(False)
    sim.set_premium(False)
    with pytest.raises(PremiumRequired):
        gateway.set_repeat("off")
