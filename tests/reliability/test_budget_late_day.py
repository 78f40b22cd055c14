"""Late in a long day: the rolling count is full and requests leave the window one by
one. The tray never goes dark: it spends each freed request on the next item end, and
says why it checks less often, keeping the last item shown and its login offered as it is.

Accelerated: the 24-hour window is 50 s, one request leaves it every second (a day's
minute or so), items last 4 s. The simulator enforces the same quota over the same window.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from nowplaying_tray.app import AppOptions, TrayApp
from nowplaying_tray.core.budget import budget_file
from nowplaying_tray.core.paths import AppPaths
from nowplaying_tray.core.settings import Settings
from nowplaying_tray.simulator import SpotifySimulator, make_track
from tests.app.conftest import dispose
from tests.reliability.support import CrashWatch, LockableKeyring
from tests.support import widgets
from tests.support.login import approve_login, follow_redirects

LIMIT = 50  # the smallest daily budget the settings take
WINDOW_S = 50.0  # one request leaves the window every second
ITEM_MS = 4000
ITEMS = 8


@pytest.fixture
def late_app(
    sim: SpotifySimulator,
    settings: Settings,
    app_paths: AppPaths,
    lockable_keyring: LockableKeyring,
) -> Iterator[TrayApp]:
    tuned = settings.with_changes(daily_request_budget=LIMIT)
    approve_login(tuned, lockable_keyring)
    sim.player.set_queue(
        [make_track(f"Late {n}", ["Artist"], "Album", ITEM_MS) for n in range(ITEMS + 4)]
    )
    sim.set_daily_quota(LIMIT, window_s=WINDOW_S, lockout_s=3600)
    # The day so far: the count is full, its oldest request leaves in a second.
    now = time.time()
    stamps = [round(now - WINDOW_S + 1 + n * WINDOW_S / LIMIT, 3) for n in range(LIMIT)]
    path = budget_file(app_paths.state_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"version": 1, "window_s": WINDOW_S, "requests": stamps}))
    app = TrayApp(
        tuned,
        app_paths,
        AppOptions(
            keyring_backend=lockable_keyring,
            open_url=follow_redirects,
            use_dbus_notifications=False,
            tray_wait_attempts=10_000,
            budget_window_s=WINDOW_S,
        ),
    )
    yield app
    dispose(app)


def test_late_in_a_long_day_the_tray_keeps_seeing_item_ends(
    qtbot: QtBot, sim: SpotifySimulator, late_app: TrayApp, crash_watch: CrashWatch
) -> None:
    app = late_app
    crash_watch.watch(app.poller)
    seen: list[str] = []

    def on_playback() -> None:
        playback = app.hub.playback
        if playback is not None and playback.title and (not seen or seen[-1] != playback.title):
            seen.append(playback.title)

    app.hub.playback_changed.connect(on_playback)
    app.start()
    qtbot.waitUntil(lambda: len(seen) >= 1, timeout=10_000)
    # Honest words: why, and when the next check is; the login stays as it is.
    qtbot.waitUntil(lambda: "daily limit" in app.tray.tooltip(), timeout=10_000)
    tooltip = app.tray.tooltip()
    assert "connecting" not in tooltip and "may be out of date" in tooltip, tooltip
    assert "daily limit" in widgets.text(app.popup, "status")
    menu = app.tray.menu
    notice = next(a for a in menu.actions() if a.objectName() == "menu-notice")
    login = next(a for a in menu.actions() if a.objectName() == "menu-login")
    assert notice.isVisible() and "daily limit" in notice.text()
    assert not login.isVisible()

    # Each item end is seen as requests free up: no item change goes unseen for long.
    qtbot.waitUntil(lambda: len(seen) >= ITEMS, timeout=int(ITEMS * ITEM_MS * 2.5))
    titles = [f"Late {n}" for n in range(len(seen))]
    assert seen == titles, seen
    assert app.poller.running and app.hub.error is None
    assert 429 not in [r.status for r in sim.requests]
    assert app.budget.view().spent <= LIMIT
    crash_watch.assert_clean()
