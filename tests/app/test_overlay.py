"""The stream overlay inside the app: off until its port is set in Settings, then fed by
the same playback as every view, with the cover the app downloads; off again at once."""

from __future__ import annotations

import json
import threading
import time

import pytest
import requests
from pytestqt.qtbot import QtBot

from nowplaying_tray.app import TrayApp
from nowplaying_tray.core.now_json import now_json
from nowplaying_tray.simulator import SpotifySimulator
from tests.support.overlay_http import EventStream, free_port, get


def overlay_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name == "overlay-http"]


def sim_title(sim: SpotifySimulator) -> str:
    return str(requests.get(f"{sim.base_url}/_sim/state", timeout=5).json()["title"])


def test_overlay_follows_settings_and_playback(
    qtbot: QtBot, started_app: TrayApp, sim: SpotifySimulator
) -> None:
    app = started_app
    assert app.settings.overlay_port == 0 and app.overlay.url is None
    assert overlay_threads() == []

    port = free_port()
    app.preferences.apply(app.settings.with_changes(overlay_port=port))  # as Settings does
    qtbot.waitUntil(lambda: app.overlay.port == port, timeout=2000)
    assert overlay_threads() == ["overlay-http"]

    status, _, body = get(port, "/now.json")
    data = json.loads(body)
    assert status == 200 and data["title"] == sim_title(sim)
    assert set(data) == set(now_json(app.hub.playback, "web_api", time.monotonic()))
    assert data["source"] == "web_api"
    # The cover: downloaded by the app's art loader, then served from its file.
    qtbot.waitUntil(lambda: get(port, "/art")[0] == 200, timeout=5000)
    assert get(port, "/art")[1]["content-type"] == "image/png"

    with EventStream(port) as stream:
        assert stream.next_event()["title"] == data["title"]
        requests.post(f"{sim.base_url}/_sim/control", json={"action": "skip_next"}, timeout=5)
        with qtbot.waitSignal(app.hub.playback_changed, timeout=5000):
            app.poller.poll_now("test")
        event = stream.next_event()
        assert (event["change"], event["title"]) == ("item", sim_title(sim))
        app.overlay.show_lyric("a line of the song")  # the lyrics' slot
        while (event := stream.next_event())["change"] == "art":
            pass  # the new item's cover may arrive first
        assert (event["change"], event["lyric"]) == ("lyric", "a line of the song")

    app.preferences.apply(app.settings.with_changes(overlay_port=0))
    qtbot.waitUntil(lambda: app.overlay.port == 0, timeout=2000)
    assert overlay_threads() == []
    with pytest.raises(ConnectionRefusedError):
        get(port, "/now.json")
