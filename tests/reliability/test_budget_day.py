"""A day of listening under the daily request budget, accelerated: it stays under.

The real app (worker, spotipy, loopback HTTP) runs against the simulator with the
default budget of 1,000 requests and the popup closed. As in ``test_soak.py``, the
day is compressed: every duration of the schedule, the budget's 24 h window, the
tracks and the script is divided by ``SPEED`` (24 h in about 48 s). The simulator
enforces the same quota over the same window, as Spotify would.

Checked: every request the app sent in the day (polls, library checks, token
refreshes) fits in the budget, the simulator never refused one, and the app
still followed the listening: both blocks of it were shown.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt, QTimer
from pytestqt.qtbot import QtBot

from nowplaying_tray.app import AppOptions, TrayApp
from nowplaying_tray.core.budget import DAY_S
from nowplaying_tray.core.model import Playback, PlaybackState
from nowplaying_tray.core.paths import AppPaths
from nowplaying_tray.core.policy import PollConfig
from nowplaying_tray.core.settings import Settings
from nowplaying_tray.simulator import SpotifySimulator
from tests.app.conftest import dispose
from tests.reliability.support import CrashWatch, LockableKeyring
from tests.reliability.test_soak import make_queue, scaled
from tests.support.login import approve_login, follow_redirects

SPEED = float(os.environ.get("NOWPLAYING_BUDGET_DAY_SPEED", "1800"))
BUDGET = 1000
HOUR = 3600.0
# (hour, action): 3 h playing, 1 h paused, 20 h idle, with skips from another device.
DAY = [(7.0, "resume"), (7.4, "skip"), (7.9, "skip"), (8.5, "pause"), (9.0, "idle"),
       (18.0, "resume"), (18.6, "skip"), (19.5, "pause"), (20.0, "idle")]  # fmt: skip


@pytest.fixture
def budget_app(
    sim: SpotifySimulator,
    settings: Settings,
    app_paths: AppPaths,
    lockable_keyring: LockableKeyring,
) -> Iterator[TrayApp]:
    rng = random.Random(14)
    sim.player.set_queue(make_queue(rng, SPEED), playing=False)
    sim.player.set_idle()
    window = DAY_S / SPEED
    sim.set_daily_quota(BUDGET, window_s=window, lockout_s=13.6 * HOUR / SPEED)
    tuned = settings.with_changes(
        poll_interval_s=PollConfig().playing_interval_s / SPEED, daily_request_budget=BUDGET
    )
    approve_login(tuned, lockable_keyring)
    sim.clear_log()  # the day starts logged in; the login's requests are yesterday's
    app = TrayApp(
        tuned,
        app_paths,
        AppOptions(
            keyring_backend=lockable_keyring,
            open_url=follow_redirects,
            use_dbus_notifications=False,
            tray_wait_attempts=10_000,
            poll_config=scaled(PollConfig(), SPEED),
            budget_window_s=window,
        ),
    )
    yield app
    dispose(app)


@pytest.mark.slow
def test_a_day_of_listening_stays_under_the_budget(
    qtbot: QtBot, sim: SpotifySimulator, budget_app: TrayApp, crash_watch: CrashWatch
) -> None:
    app = budget_app
    crash_watch.watch(app.poller)
    shown: list[tuple[float, PlaybackState]] = []

    def on_playback(playback: Playback) -> None:
        if not shown or shown[-1][1] is not playback.state:
            shown.append((time.time(), playback.state))

    app.hub.playback_changed.connect(on_playback)
    actions: dict[str, Callable[[], None]] = {
        "resume": sim.player.resume,
        "pause": sim.player.pause,
        "idle": sim.player.set_idle,
        "skip": sim.player.skip_next,
    }
    done: list[str] = []
    timers = []
    for hour, action in [*DAY, (24.0, "end")]:
        timer = QTimer(app)
        timer.setSingleShot(True)
        timer.setTimerType(Qt.TimerType.PreciseTimer)  # a coarse one may fire 5 % late
        timer.timeout.connect(
            lambda action=action: (actions.get(action, lambda: None)(), done.append(action))
        )
        timers.append((int(hour * HOUR / SPEED * 1000), timer))
    started = time.time()
    app.start()
    for delay_ms, timer in timers:
        timer.start(delay_ms)
    qtbot.waitUntil(lambda: "end" in done, timeout=int((DAY_S / SPEED + 60) * 1000))

    ours = [r for r in sim.requests if r.path != "/authorize" and r.time >= started]
    # The app's count is a rolling window, as long as the whole day here: by now the
    # first requests may have left it, so it is compared with those still inside.
    spent_by_app, now = app.budget.view().spent, time.time()
    in_window = [r for r in ours if r.time > now - DAY_S / SPEED + 0.5]
    statuses = [r.status for r in ours]
    summary = (
        f"24 h at {SPEED:g}x in {time.time() - started:.0f} s: {len(ours)} requests "
        f"({sum(r.path == '/v1/me/player' for r in ours)} polls), the app counted "
        f"{spent_by_app} ({len(in_window)} sent in its window); "
        f"states shown {[s.value for _, s in shown]}"
    )
    print(summary)
    crash_watch.assert_clean()
    assert len(ours) <= BUDGET, summary
    assert 429 not in statuses, summary
    # Its own count follows what it sent (here it also counts the simulator's cover art,
    # which shares the simulator's address; real covers come from a CDN).
    assert spent_by_app >= len(in_window), summary
    # It still followed the day: both listening blocks were seen, and a pause. (At this
    # speed a poll cycle costs seconds of the virtual day, so a 30-minute pause between
    # two stretched polls can be missed now and then; latencies are bench/polling.py's.)
    states = [state for _, state in shown]
    assert states.count(PlaybackState.PLAYING) >= 2 and PlaybackState.PAUSED in states
    assert app.poller.running and app.hub.error is None
