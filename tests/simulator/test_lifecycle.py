"""Starting, stopping and addressing the simulator."""

from __future__ import annotations

import logging
import re
import socket

import pytest
import requests

from nowplaying_tray.simulator import DEMO_CLIENT_ID, SpotifySimulator
from tests.desktop_support import wait_until
from tests.support.sockets import reset_midway


def test_demo_client_id_format():
    assert re.fullmatch(r"[0-9a-f]{32}", DEMO_CLIENT_ID)


def test_urls(clock):
    sim = SpotifySimulator(clock=clock)
    with pytest.raises(RuntimeError):
        _ = sim.base_url
    with sim:
        assert sim.port > 0
        assert sim.base_url == f"http://127.0.0.1:{sim.port}"
        assert sim.accounts_url == sim.base_url
        assert sim.api_url == sim.base_url + "/v1"


def test_start_returns_self_and_stop_is_idempotent(clock):
    sim = SpotifySimulator(clock=clock)
    assert sim.start() is sim
    with pytest.raises(RuntimeError):
        sim.start()
    sim.stop()
    sim.stop()


def test_stop_closes_listener_and_open_connections(clock):
    session = requests.Session()
    with SpotifySimulator(clock=clock) as sim:
        assert session.get(f"{sim.base_url}/_sim/state", timeout=5).ok  # keep-alive
        port = sim.port
    with pytest.raises(requests.ConnectionError):
        session.get(f"http://127.0.0.1:{port}/_sim/state", timeout=5)
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    session.close()


def test_restart_after_stop(clock):
    sim = SpotifySimulator(clock=clock)
    with sim:
        pass
    with sim:
        assert requests.get(f"{sim.base_url}/_sim/state", timeout=5).ok


def test_fixed_port(clock):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free_port = probe.getsockname()[1]
    with SpotifySimulator(clock=clock, port=free_port) as sim:
        assert sim.port == free_port
        assert sim.base_url == f"http://127.0.0.1:{free_port}"


def test_many_parallel_clients(sim):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(8) as pool:
        statuses = list(
            pool.map(lambda _: requests.get(f"{sim.api_url}/me").status_code, range(40))
        )
    assert statuses == [401] * 40
    assert sim.count("/v1/me") == 40


def test_a_client_resetting_mid_request_is_no_traceback(
    clock, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="nowplaying_tray.simulator.server")
    with SpotifySimulator(clock=clock) as sim:
        reset_midway(sim.port)
        wait_until(lambda: "client went away" in caplog.text, what="the reset to be handled")
        assert requests.get(f"{sim.base_url}/_sim/state", timeout=5).ok
    captured = capfd.readouterr()
    assert "Traceback" not in captured.err
    assert "Traceback" not in caplog.text
