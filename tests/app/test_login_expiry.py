"""The 6-month login, end to end against the simulator: reminders, then a new login.

The simulator and the app share one wall clock that the test moves, so a login
can age by months in a moment; everything else (HTTP, spotipy, the keyring,
the worker) is real.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from nowplaying_tray.app import AppOptions, TrayApp
from nowplaying_tray.core.errors import LoginExpired
from nowplaying_tray.core.limits import MAX_WAIT_S
from nowplaying_tray.core.memory_keyring import MemoryKeyring
from nowplaying_tray.core.paths import AppPaths
from nowplaying_tray.core.settings import Settings
from nowplaying_tray.simulator import SpotifySimulator
from tests.app.conftest import dispose
from tests.support.login import answer_consent

DAY = 86400.0


class WallClock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0  # a Friday, 2027-01-15, 08:00 UTC

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def wall() -> WallClock:
    return WallClock()


@pytest.fixture
def sim(wall: WallClock) -> Iterator[SpotifySimulator]:
    with SpotifySimulator(clock=wall) as simulator:
        yield simulator


class Browser:
    """The person's browser: every login page it was sent to, where they press Agree
    or Cancel on the consent page."""

    def __init__(self) -> None:
        self.opened: list[str] = []
        self.decision = "agree"

    def __call__(self, url: str) -> bool:
        self.opened.append(url)
        answer_consent(url, self.decision)
        return True


@pytest.fixture
def make_app(
    settings: Settings, app_paths: AppPaths, memory_keyring: MemoryKeyring, wall: WallClock
) -> Iterator[Callable[[Browser], TrayApp]]:
    apps: list[TrayApp] = []

    def build(browser: Browser) -> TrayApp:
        app = TrayApp(
            settings,
            app_paths,
            AppOptions(
                keyring_backend=memory_keyring,
                open_url=browser,
                use_dbus_notifications=False,
                tray_wait_attempts=10_000,
                wall_clock=wall,
            ),
        )
        apps.append(app)
        return app

    yield build
    for app in apps:
        dispose(app)


def logged_in_app(
    qtbot: QtBot, make_app: Callable[[Browser], TrayApp], browser: Browser
) -> TrayApp:
    app = make_app(browser)
    with qtbot.waitSignal(app.poller.stopped, timeout=5000):
        app.start()
    with qtbot.waitSignal(app.hub.playback_changed, timeout=10_000):
        app.account.login()
    return app


def menu_entries(app: TrayApp) -> list[str]:
    return [action.text() for action in app.tray.menu.actions() if action.isVisible()]


def poll(qtbot: QtBot, app: TrayApp) -> None:
    with qtbot.waitSignal(app.hub.playback_changed, timeout=10_000):
        app.poller.poll_now("test")


def test_from_reminder_to_a_new_login(
    qtbot: QtBot, make_app: Callable[[Browser], TrayApp], sim: SpotifySimulator, wall: WallClock
) -> None:
    browser = Browser()
    app = logged_in_app(qtbot, make_app, browser)
    reminders: list[int] = []
    app.login_watch.remind.connect(reminders.append)
    shown: list[tuple[str, str]] = []
    app.tray.show_message = lambda title, text: shown.append((title, text))  # type: ignore[method-assign]

    # Five months on: the refresh token still works, nothing to say.
    wall.now += 150 * DAY
    poll(qtbot, app)
    with qtbot.waitSignal(app.login_watch.changed, timeout=5000, raising=False):
        app.login_watch.check()
    assert app.login_watch.days_left is None and "Log in again" not in menu_entries(app)

    # Twelve days before the end: a reminder, once that day, and the menu entry.
    wall.now += 20 * DAY
    poll(qtbot, app)
    with qtbot.waitSignal(app.login_watch.remind, timeout=5000):
        app.login_watch.check()
    assert reminders == [12] and app.login_watch.days_left == 12
    assert shown and shown[-1][0] == "Spotify login ends soon" and "in 12 days" in shown[-1][1]
    assert "Log in again" in menu_entries(app)
    app.login_watch.check()
    qtbot.waitUntil(lambda: app.runner.pending == 0)
    assert reminders == [12]  # not twice on one day
    wall.now += DAY
    with qtbot.waitSignal(app.login_watch.remind, timeout=5000):
        app.login_watch.check()
    assert reminders == [12, 11]

    # Ignored until past the end: Spotify refuses the refresh, and a login opens at once.
    wall.now += 14 * DAY
    sim.expire_access_tokens()
    with qtbot.waitSignal(app.account.logged_in, timeout=10_000):
        app.poller.poll_now("test")
    assert len(browser.opened) == 2  # the first login, then this one
    qtbot.waitUntil(lambda: app.hub.playback is not None and app.poller.running, timeout=5000)
    qtbot.waitUntil(lambda: app.login_watch.days_left is None, timeout=5000)
    assert "Log in again" not in menu_entries(app) and "Log out" in menu_entries(app)


def test_a_refused_new_login_is_not_tried_again(
    qtbot: QtBot, make_app: Callable[[Browser], TrayApp], sim: SpotifySimulator
) -> None:
    browser = Browser()
    app = logged_in_app(qtbot, make_app, browser)
    errors: list[object] = []
    app.hub.error_changed.connect(errors.append)
    browser.decision = "cancel"
    sim.expire_refresh_tokens()
    sim.expire_access_tokens()
    with qtbot.waitSignal(app.account.login_failed, timeout=10_000):
        app.poller.poll_now("test")
    assert isinstance(errors[0], LoginExpired)
    assert len(browser.opened) == 2
    # Nothing loops: the poller stays stopped, and the tray says what to do.
    app.poller.poll_now("network back")
    app.refresh()
    qtbot.waitUntil(lambda: app.runner.pending == 0)
    assert not app.poller.running and not app.account.logging_in
    assert len(browser.opened) == 2
    assert app.tray.tooltip() == "Spotify login ended — click to log in again"
    assert "Log in" in menu_entries(app)
    # One click on the icon is the login.
    browser.decision = "agree"
    with qtbot.waitSignal(app.account.logged_in, timeout=10_000):
        app.tray.activated.emit()
    qtbot.waitUntil(lambda: app.poller.running and app.hub.error is None, timeout=5000)


def next_midnight(now: float) -> float:
    tomorrow = datetime.fromtimestamp(now).date() + timedelta(days=1)
    return datetime.combine(tomorrow, datetime.min.time()).timestamp()


def test_at_rest_the_check_waits_for_when_its_answer_can_change(
    qtbot: QtBot, make_app: Callable[[Browser], TrayApp], wall: WallClock
) -> None:
    login_at = wall.now
    app = logged_in_app(qtbot, make_app, Browser())
    timers = app.login_watch.findChildren(QTimer)
    qtbot.waitUntil(lambda: app.runner.pending == 0 and any(t.isActive() for t in timers))
    assert timers and not any(t.isActive() and not t.isSingleShot() for t in timers)
    (timer,) = [t for t in timers if t.isActive()]

    def waits_s() -> float:
        qtbot.waitUntil(lambda: app.runner.pending == 0)
        assert timer.isActive() and timer.isSingleShot()
        return timer.interval() / 1000

    # A fresh login: nothing can change for months; it looks again after the longest wait.
    assert waits_s() == MAX_WAIT_S
    # Half a day before the warning begins (a clock step tells it): then, not before.
    wall.now = login_at + (182 - 14.5) * DAY
    app.clock_steps.stepped.emit()
    assert abs(waits_s() - DAY / 2) <= 1
    # In the warning: when the day turns (the next reminder) or one day less is left.
    wall.now += DAY
    with qtbot.waitSignal(app.login_watch.remind, timeout=5000):
        app.login_watch.check()
    expected = min(next_midnight(wall.now), wall.now + DAY / 2) - wall.now
    assert abs(waits_s() - expected) <= 1
