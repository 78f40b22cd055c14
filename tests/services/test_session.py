"""The session's lifecycle, through its signals and properties, against the simulator."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from pytestqt.qtbot import QtBot

from nowplaying_tray.account_parts import account_parts
from nowplaying_tray.app import connect_session
from nowplaying_tray.core.budget import RequestBudget
from nowplaying_tray.core.errors import AuthRequired, NowPlayingError, RateLimited
from nowplaying_tray.core.memory_keyring import MemoryKeyring
from nowplaying_tray.core.settings import Settings
from nowplaying_tray.services.session import Session
from nowplaying_tray.services.worker import TaskRunner
from nowplaying_tray.simulator import SpotifySimulator
from tests.support.login import follow_redirects


def make_session(settings: Settings, runner: TaskRunner, keyring: MemoryKeyring) -> Session:
    """Made and connected as the app makes and connects it."""
    session = account_parts(
        settings,
        runner,
        RequestBudget(settings.daily_request_budget),
        keyring_backend=keyring,
        open_url=follow_redirects,
        parent=runner,
    ).session
    connect_session(session)
    return session


@pytest.fixture
def session(
    settings: Settings, runner: TaskRunner, memory_keyring: MemoryKeyring
) -> Iterator[Session]:
    """A session with a client ID and no login yet."""
    session = make_session(settings, runner, memory_keyring)
    yield session
    session.stop()


@pytest.fixture
def playing_session(
    qtbot: QtBot,
    logged_in: Settings,
    runner: TaskRunner,
    memory_keyring: MemoryKeyring,
) -> Iterator[Session]:
    """A logged-in session with its first playback read."""
    session = make_session(logged_in, runner, memory_keyring)
    with qtbot.waitSignal(session.poller.playback_changed, timeout=5000):
        session.start()
    yield session
    session.stop()


def test_without_a_login_it_stops_and_says_so(qtbot: QtBot, session: Session) -> None:
    with qtbot.waitSignal(session.poller.stopped, timeout=5000):
        session.start()
    assert isinstance(session.error, AuthRequired)
    assert not session.is_logged_in
    assert not session.poller.running


def test_a_login_starts_polling(qtbot: QtBot, session: Session, sim: SpotifySimulator) -> None:
    with qtbot.waitSignal(session.poller.stopped, timeout=5000):
        session.start()
    with (
        qtbot.waitSignal(session.logged_in, timeout=10_000) as logged_in,
        qtbot.waitSignal(session.message, timeout=10_000) as message,
    ):
        session.login()
    assert logged_in.args == ["Demo Listener"]
    assert message.args[1] == "Logged in as Demo Listener"
    assert session.is_logged_in
    sim.clear_log()
    with qtbot.waitSignal(session.poller.playback_changed, timeout=5000) as read:
        pass  # the poller started on its own
    assert read.args[0].title
    assert sim.count("/v1/me/player") == 1
    assert session.error is None


def test_logout_resets_polling(qtbot: QtBot, playing_session: Session) -> None:
    with (
        qtbot.waitSignal(playing_session.logged_out, timeout=5000),
        qtbot.waitSignal(
            playing_session.error_changed,
            timeout=5000,
            check_params_cb=lambda error: isinstance(error, AuthRequired),
        ),
    ):
        playing_session.logout()
    assert playing_session.poller.playback is None
    assert not playing_session.is_logged_in
    assert not playing_session.poller.running


def test_an_account_change_starts_a_fresh_session(
    qtbot: QtBot, playing_session: Session, sim: SpotifySimulator
) -> None:
    assert playing_session.poller.playback is not None
    errors: list[NowPlayingError | None] = []
    playing_session.error_changed.connect(errors.append)
    other = replace(playing_session.settings, client_id="b" * 32)  # no login for this one
    sim.clear_log()
    with qtbot.waitSignal(playing_session.poller.stopped, timeout=5000):
        playing_session.apply_settings(other)
    assert errors[0] is None  # the old account's state is gone at once...
    assert isinstance(errors[-1], AuthRequired)  # ...and the new one needs a login
    assert playing_session.poller.playback is None
    assert not playing_session.is_logged_in
    assert playing_session.settings.client_id == "b" * 32
    assert sim.count("/v1/me/player") == 0  # no token: nothing was sent for it


def test_settings_reach_the_poller_and_followers_without_a_reset(
    qtbot: QtBot, playing_session: Session
) -> None:
    before = playing_session.poller.playback
    new = replace(playing_session.settings, poll_interval_s=9, tooltip_template="{title}")
    with qtbot.waitSignal(playing_session.settings_applied) as applied:
        playing_session.apply_settings(new)
    assert applied.args == [new]
    assert playing_session.poller.config.playing_interval_s == 9
    assert playing_session.poller.playback is before  # same account: nothing forgotten
    assert playing_session.poller.running


def test_a_429_on_any_call_holds_the_poller_back(
    qtbot: QtBot, playing_session: Session, runner: TaskRunner, sim: SpotifySimulator
) -> None:
    sim.fail_next("rate_limit", path="/v1/me/library", retry_after=60)
    gateway = playing_session.access.gateway  # the one the controls use
    errors: list[NowPlayingError] = []
    runner.submit(lambda: gateway.is_saved("spotify:track:x"), on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], RateLimited)
    sim.clear_log()
    with qtbot.waitSignal(
        playing_session.error_changed,
        timeout=3000,
        check_params_cb=lambda error: isinstance(error, RateLimited),
    ):
        playing_session.poll_now("test")
    assert sim.count("/v1/me/player") == 0  # the window is the app's, not the call's
    retry = playing_session.retry_in_s()
    assert retry is not None and retry > 50
