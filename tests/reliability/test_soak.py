"""Soak: a day of listening, accelerated, against the simulator, with random faults.

Design
------
Qt timers run on the real clock, so the day is compressed rather than faked: every
duration of the schedule (``PollConfig``, the playing interval) and of the world (track
lengths, the listening script, fault spacing) is divided by ``SPEED``. The app itself
runs unchanged: the real ``TrayApp``, its worker thread, spotipy over loopback HTTP to
the in-process simulator. With the defaults (24 h at 900x) the day takes about 96 s.

Knobs: ``NOWPLAYING_SOAK_HOURS`` (default 24), ``NOWPLAYING_SOAK_SPEED`` (default 900),
``NOWPLAYING_SOAK_SEED``.

The day: night idle, 1.5 h playing with skips from another device and natural ends,
half an hour paused, idle, another 1.5 h playing, half an hour paused, idle again (3 h
playing, 1 h paused, 20 h idle). On top: the access token runs out every hour (a 401,
then a refresh, as in real life) and a random fault comes about every 15 minutes:
500/502/503, malformed JSON, a dropped connection, a slow answer, an empty 200, 429
with ``Retry-After: 0`` and, in long idle stretches only, ``Retry-After: 1``. (HTTP has
whole seconds only: one real second is 15 virtual minutes here, a whole track or four.)

What is checked
---------------
- Nothing escapes: the crash watch of ``conftest.py`` (excepthooks, tracebacks in the
  log, ``UnexpectedError`` at the poller); the poller never stops; every injected error
  surfaces exactly once, as an error of its kind, and no other error appears.
- Memory stays bounded: RSS grows less than 10 MB over the second half of the day
  (tracemalloc's own bookkeeping deducted), and no app module is among the places
  tracemalloc sees growing by more than 64 KiB.
- The request count matches the schedule. The executed script (when the actions really
  ran) is replayed through the pure policy ``next_poll`` against the simulator's own
  ``Player`` on a virtual clock: a discrete-event model of the poller. At this speed the
  cost of one poll cycle is not small next to the 5.6 ms playing interval, and the
  poller waits *after* each answer; so the model adds the cycle cost measured in this
  run, through public signals: the worker's busy time (``TaskRunner.busy_changed``) and
  the GUI work between an answer and the next timer start. These say how long a poll
  takes, not how often the app polls, so a schedule bug (too often, too rarely, stuck)
  still shows. Counts are compared per state (playing, paused, idle) within
  ``TOLERANCE`` (25 %): what is left is timer lateness on a shared 2-core box and the
  random jitter of backoffs; measured runs land within about 10 %.
- Every item is seen: each item the simulator played (natural ends and skips) shows up
  in a playback, and the tray tooltip names it. Skips wait until the app has shown the
  current item (a person skips what they have seen), so a miss is the app's. The one
  exception is the start of a listening block after hours of idle: the app then looks
  only every 10 minutes (the budget's "away" interval), so the first items may end
  before it does; those are allowed, and must fit in that one interval.
- The login survives: after 24 refreshes the keyring holds a token the simulator takes.
"""

from __future__ import annotations

import bisect
import os
import random
import statistics
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from pytestqt.qtbot import QtBot

import nowplaying_tray
from nowplaying_tray.app import AppOptions, TrayApp
from nowplaying_tray.core.budget import DAY_S
from nowplaying_tray.core.errors import ApiUnavailable, NowPlayingError, Offline, RateLimited
from nowplaying_tray.core.model import Playback, PlaybackState
from nowplaying_tray.core.paths import AppPaths
from nowplaying_tray.core.policy import PollConfig, PollInput, next_poll
from nowplaying_tray.core.settings import Settings
from nowplaying_tray.simulator import Player, SpotifySimulator, make_track
from tests.app.conftest import dispose
from tests.reliability.support import CrashWatch, LockableKeyring, token_works
from tests.support.login import approve_login, follow_redirects

HOURS = float(os.environ.get("NOWPLAYING_SOAK_HOURS", "24"))
SPEED = float(os.environ.get("NOWPLAYING_SOAK_SPEED", "900"))
SEED = int(os.environ.get("NOWPLAYING_SOAK_SEED", "20260714"))

PLAYER = "/v1/me/player"
HOUR, MINUTE = 3600.0, 60.0
ALBUMS = 16
TOLERANCE = 0.25
RSS_GROWTH_LIMIT_KIB = 10 * 1024
APP_GROWTH_LIMIT_B = 64 * 1024  # per app file, over the second half
APP_DIR = str(Path(nowplaying_tray.__file__).parent)
SIMULATOR_DIR = str(Path(APP_DIR) / "simulator")

# The day's shape in hours (for 24 h; scaled to HOURS): what happens at each time.
DAY = [(0.0, "idle"), (7.0, "resume"), (8.5, "pause"), (9.0, "idle"),
       (18.0, "resume"), (19.5, "pause"), (20.0, "idle")]  # fmt: skip
STATE_AFTER = {"idle": "idle", "resume": "playing", "pause": "paused"}
ERROR_FAULTS: dict[str, type[NowPlayingError]] = {
    "server_error": ApiUnavailable,
    "malformed": ApiUnavailable,
    "drop": Offline,
    "rate_limit": RateLimited,
}


def scaled(config: PollConfig, speed: float) -> PollConfig:
    """The same schedule with every duration divided by ``speed``."""
    return PollConfig(
        **{
            f.name: getattr(config, f.name) / speed
            if f.name.endswith("_s")
            else getattr(config, f.name)
            for f in fields(PollConfig)
        }
    )


# -- the script ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fault:
    kind: str
    status: int = 500
    retry_after: int = 0
    delay: float = 0.0  # real seconds: a slow answer is slow in real time


@dataclass(frozen=True)
class Event:
    at: float  # virtual seconds since the start of the day
    action: str  # resume | pause | idle | skip | fault | expire | probe
    fault: Fault | None = None


def day_script(rng: random.Random, hours: float, speed: float) -> list[Event]:
    end = hours * HOUR
    phases = [(at * HOUR * hours / 24, action) for at, action in DAY]
    bounds = [*(at for at, _ in phases[1:]), end]
    events = [Event(at, action) for at, action in phases]
    for (start, action), stop in zip(phases, bounds, strict=True):
        if action == "resume":  # skips from another device, about one every 6 minutes
            t = start + rng.expovariate(1 / (6 * MINUTE))
            while t < stop - MINUTE:
                events.append(Event(t, "skip"))
                t += rng.expovariate(1 / (6 * MINUTE))
    for hour in range(int(hours)):  # the access token runs out every hour
        events.append(Event(hour * HOUR + 17 * MINUTE, "expire"))
    t = 10 * MINUTE + rng.expovariate(1 / (15 * MINUTE))
    while t < end - 30 * MINUTE:
        index = bisect.bisect_right([at for at, _ in phases], t) - 1
        state, left = STATE_AFTER[phases[index][1]], bounds[index] - t
        events.append(Event(t, "fault", random_fault(rng, state, left, speed)))
        t += rng.expovariate(1 / (15 * MINUTE))
    for fraction in (0.25, 0.5, 0.75, 1.0):
        events.append(Event(end * fraction, "probe"))
    return sorted(events, key=lambda event: event.at)


def random_fault(rng: random.Random, state: str, left_in_phase: float, speed: float) -> Fault:
    roll = rng.random()
    if roll < 0.30:
        return Fault("server_error", status=rng.choice((500, 502, 503)))
    if roll < 0.45:
        return Fault("malformed")
    if roll < 0.60:
        return Fault("drop")
    if roll < 0.75:
        return Fault("slow", delay=rng.uniform(0.005, 0.05))
    if roll < 0.80:
        return Fault("empty_200")
    if roll < 0.95 or state != "idle" or left_in_phase < 3 * speed:
        return Fault("rate_limit", retry_after=0)
    return Fault("rate_limit", retry_after=1)


def make_queue(rng: random.Random, speed: float, count: int = 400) -> list[dict[str, object]]:
    """3-4 minute tracks from a handful of albums: more albums than the app keeps
    decoded in memory, so covers keep coming back from its disk cache; few enough that
    the simulator draws each cover once, early (drawing one takes tens of real ms,
    which at this speed is a whole track)."""
    return [
        make_track(
            f"Track {n:03d}",
            [f"Artist {n % 7:02d}"],
            f"Album {n % ALBUMS:02d}",
            int(rng.uniform(180, 240) * 1000 / speed),
            art_id=f"cover-{n % ALBUMS:02d}",
        )
        for n in range(count)
    ]


def uri_of(entry: dict[str, object] | None) -> str | None:
    item = entry.get("item") if entry else None
    return str(item["uri"]) if isinstance(item, dict) else None


def title_of(entry: dict[str, object]) -> str:
    item = entry["item"]
    assert isinstance(item, dict)
    return str(item["name"])


class States:
    """The listening state (playing, paused, idle) in effect at a time of the run."""

    def __init__(self, executed: list[tuple[float, Event]]) -> None:
        changes = [(at, STATE_AFTER[e.action]) for at, e in executed if e.action in STATE_AFTER]
        self._times = [at for at, _ in changes]
        self._states = [state for _, state in changes]

    def at(self, t: float) -> str:
        index = bisect.bisect_right(self._times, t) - 1
        return self._states[index] if index >= 0 else "idle"


# -- running the script against the app ------------------------------------------------------


@dataclass
class Record:
    """What happened. Times are real seconds since the start, on ``time.time()`` like
    the simulator's request log."""

    executed: list[tuple[float, Event]] = field(default_factory=list)
    busy: list[tuple[float, float]] = field(default_factory=list)  # (start, seconds)
    after_answer: list[tuple[float, float]] = field(default_factory=list)  # (at, seconds)
    first_tooltip: dict[str, str] = field(default_factory=dict)  # uri: tooltip
    # Queue indexes played out after a resume before the app's first look, per resume.
    before_first_look: list[list[int]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # kinds, not objects (they hold frames)
    stops: int = 0
    rss_kib: list[int] = field(default_factory=list)
    tracing_kib: int = 0  # tracemalloc's own memory at the end, part of the RSS
    snapshots: list[tracemalloc.Snapshot] = field(default_factory=list)

    def events(self, action: str) -> list[Event]:
        return [event for _, event in self.executed if event.action == action]


class Driver(QObject):
    """Plays the script on the GUI thread, on time, with one precise timer, and records
    what the app does through its public signals."""

    finished = Signal()

    def __init__(
        self, app: TrayApp, sim: SpotifySimulator, events: list[Event], record: Record
    ) -> None:
        super().__init__()
        self._app, self._sim, self._record = app, sim, record
        self._events = list(events)
        self._next = 0
        self._pending_skip = False
        self._busy_since: float | None = None
        self._busy_end: float | None = None
        self.t0 = 0.0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._due)
        # Connected after the app's own slots, so these run last.
        app.hub.playback_changed.connect(self._on_playback)
        app.hub.error_changed.connect(self._on_error)
        app.poller.stopped.connect(self._on_stopped)
        app.runner.busy_changed.connect(self._on_busy)

    def now(self) -> float:
        return time.time() - self.t0

    def start(self) -> None:
        self.t0 = time.time()
        self._arm()

    def _arm(self) -> None:
        if self._next >= len(self._events):
            self.finished.emit()
            return
        due = self._events[self._next].at / SPEED
        self._timer.start(max(0, int((due - self.now()) * 1000)))

    def _due(self) -> None:
        while self._next < len(self._events) and self._events[self._next].at / SPEED <= self.now():
            self._run(self._events[self._next], last=self._next == len(self._events) - 1)
            self._next += 1
        self._arm()

    def _run(self, event: Event, last: bool) -> None:
        player = self._sim.player
        if event.action == "skip":
            self._pending_skip = True
            self._skip_if_seen()
            return
        if event.action == "resume":
            player.resume()
            self._resumed_at: int | None = player.index
        elif event.action == "pause":
            self._pending_skip = False
            player.pause()
        elif event.action == "idle":
            self._pending_skip = False
            player.set_idle()
        elif event.action == "expire":
            self._sim.expire_access_tokens()
        elif event.action == "fault" and event.fault is not None:
            fault = event.fault
            self._sim.fail_next(
                fault.kind,
                path=PLAYER,
                status=fault.status,
                retry_after=fault.retry_after,
                delay=fault.delay,
            )
        elif event.action == "probe":
            self._probe(last)
        self._record.executed.append((self.now(), event))

    def _skip_if_seen(self) -> None:
        """Skip from "another device", once the app has shown the current item."""
        shown = self._app.hub.playback
        current = uri_of(self._sim.player.current())
        if self._pending_skip and shown is not None and current and shown.uri == current:
            self._pending_skip = False
            self._sim.player.skip_next()
            self._record.executed.append((self.now(), Event(self.now() * SPEED, "skip")))

    def _probe(self, last: bool) -> None:
        """RSS at each quarter. tracemalloc over the second half only: tracing makes every
        allocation dearer, and in the first half the simulator draws the covers."""
        self._record.rss_kib.append(rss_kib())
        if last and tracemalloc.is_tracing():
            self._record.tracing_kib = tracemalloc.get_tracemalloc_memory() // 1024
            self._record.snapshots.append(tracemalloc.take_snapshot())
        elif len(self._record.rss_kib) == 2:
            tracemalloc.start(1)
            self._record.snapshots.append(tracemalloc.take_snapshot())

    def _on_playback(self, playback: Playback) -> None:
        if self._busy_end is not None:
            self._record.after_answer.append((self.now(), self.now() - self._busy_end))
            self._busy_end = None
        if playback.uri and playback.uri not in self._record.first_tooltip:
            self._record.first_tooltip[playback.uri] = self._app.tray.tooltip()
        resumed_at = getattr(self, "_resumed_at", None)
        if resumed_at is not None and playback.state is PlaybackState.PLAYING:
            uris = [uri_of(entry) for entry in self._sim.player.queue]
            seen_at = uris.index(playback.uri) if playback.uri in uris else resumed_at
            self._record.before_first_look.append(list(range(resumed_at, seen_at)))
            self._resumed_at = None
        self._skip_if_seen()

    def _on_error(self, error: NowPlayingError | None) -> None:
        if error is not None:
            self._record.errors.append(type(error).__name__)

    def _on_stopped(self) -> None:
        self._record.stops += 1

    def _on_busy(self, busy: bool) -> None:
        if busy:
            self._busy_since = self.now()
        elif self._busy_since is not None:
            self._busy_end = self.now()
            self._record.busy.append((self._busy_since, self._busy_end - self._busy_since))
            self._busy_since = None


def _short(path: str) -> str:
    return "/".join(Path(path).parts[-2:])


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS in /proc/self/status")


# -- the model: the same script through the pure policy ---------------------------------------


class VirtualClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def modelled_requests(
    executed: list[tuple[float, Event]],
    queue: list[dict[str, object]],
    config: PollConfig,
    cycle_cost_s: Callable[[float], float],
    end_s: float,
    rng: random.Random,
) -> Counter[str]:
    """GET /v1/me/player requests the poller should make before ``end_s``, by the state
    in effect when each goes out. The world is the simulator's ``Player`` on a virtual
    clock, driven by the executed script; the poller is ``next_poll``, fed as ``Poller``
    feeds it; each poll costs ``cycle_cost_s`` on top of the delay the policy asks for."""
    clock = VirtualClock()
    player = Player(queue, clock=clock, repeat=False)
    player.set_queue(queue, playing=False)
    player.set_idle()
    states = States(executed)
    script = iter(executed)
    upcoming = next(script, None)
    armed: list[Event] = []  # faults and expiries waiting for the next poll
    counts: Counter[str] = Counter()
    playback: Playback | None = None
    error: NowPlayingError | None = None
    failures, quiet_since, blocked_until = 0, None, 0.0
    t = 0.0
    while t < end_s:
        while upcoming is not None and upcoming[0] <= t:
            at, event = upcoming
            clock.now = at
            if event.action in ("fault", "expire"):
                armed.append(event)
            elif event.action in ("resume", "pause", "idle", "skip"):
                getattr(player, {"idle": "set_idle", "skip": "skip_next"}.get(
                    event.action, event.action))()  # fmt: skip
            upcoming = next(script, None)
        clock.now = t
        counts[states.at(t)] += 1
        event = armed.pop(0) if armed else None
        fault = event.fault if event is not None else None
        if event is not None and event.action == "expire":
            counts[states.at(t)] += 1  # the request the 401 refused, then its retry
        if fault is not None and fault.kind == "slow":
            clock.now = t + fault.delay  # the simulator answers late
        answered = clock.now + cycle_cost_s(t)
        if fault is not None and fault.kind in ERROR_FAULTS:
            failures += 1
            if fault.kind == "rate_limit":
                error = RateLimited(fault.retry_after)
                blocked_until = answered + fault.retry_after
            else:
                error = ERROR_FAULTS[fault.kind]()
        else:
            failures, error = 0, None
            empty = fault is not None and fault.kind == "empty_200"
            playback = Playback.idle(clock.now) if empty else read(player, clock.now)
            if playback.state is PlaybackState.PLAYING:
                quiet_since = None
            elif quiet_since is None:
                quiet_since = answered
        decision = next_poll(
            PollInput(playback, error, answered, failures, quiet_since, popup_visible=False),
            config,
            rng,
        )
        assert decision.delay_s is not None, "the model stopped polling"
        delay = max(decision.delay_s, blocked_until - answered, 0.0)
        t = answered + int(delay * 1000) / 1000  # the poller's timer counts whole ms
    return counts


def read(player: Player, now: float) -> Playback:
    state = player.state()
    if state.idle or state.entry is None:
        return Playback.idle(now)
    return Playback(
        state=PlaybackState.PLAYING if state.is_playing else PlaybackState.PAUSED,
        read_at=now,
        duration_ms=int(state.entry["duration_ms"]),
        progress_ms=state.progress_ms,
    )


def measured_requests(
    sim: SpotifySimulator, states: States, t0: float, end_s: float
) -> Counter[str]:
    counts: Counter[str] = Counter()
    for request in sim.requests:
        t = request.time - t0
        if request.path == PLAYER and request.method == "GET" and 0 <= t < end_s:
            counts[states.at(t)] += 1
    return counts


def cycle_cost(record: Record, mid_s: float) -> Callable[[float], float]:
    """The measured cost of a poll cycle beyond its delay, per half of the run (the
    second half runs under tracemalloc): mean worker busy time plus the mean GUI time
    from an answer to the end of the playback signal (``_plan_next`` comes right after)."""

    def mean(samples: list[tuple[float, float]], second: bool) -> float:
        return statistics.mean(d for t, d in samples if (t >= mid_s) == second)

    first = mean(record.busy, False) + mean(record.after_answer, False)
    second = mean(record.busy, True) + mean(record.after_answer, True)
    return lambda t: first if t < mid_s else second


# -- the test ---------------------------------------------------------------------------------


@pytest.fixture
def soak_app(
    sim: SpotifySimulator,
    settings: Settings,
    app_paths: AppPaths,
    lockable_keyring: LockableKeyring,
) -> Iterator[Callable[[list[dict[str, object]]], TrayApp]]:
    apps: list[TrayApp] = []

    def build(queue: list[dict[str, object]]) -> TrayApp:
        sim.player.set_queue(queue, playing=False)
        sim.player.set_idle()
        # A budget far beyond the day: the schedule is the plain one the model replays
        # (the budgeted day is tests/reliability/test_budget_day.py).
        tuned = settings.with_changes(
            poll_interval_s=PollConfig().playing_interval_s / SPEED, daily_request_budget=10**9
        )
        approve_login(tuned, lockable_keyring)
        app = TrayApp(
            tuned,
            app_paths,
            AppOptions(
                keyring_backend=lockable_keyring,
                open_url=follow_redirects,
                use_dbus_notifications=False,
                tray_wait_attempts=10_000,  # offscreen has no tray; keep waiting quietly
                poll_config=scaled(PollConfig(), SPEED),
                budget_window_s=DAY_S / SPEED,  # the request count's 24 h, compressed too
            ),
        )
        apps.append(app)
        return app

    yield build
    for app in apps:
        dispose(app)


@pytest.mark.slow
def test_a_day_of_listening(
    qtbot: QtBot,
    sim: SpotifySimulator,
    lockable_keyring: LockableKeyring,
    crash_watch: CrashWatch,
    soak_app: Callable[[list[dict[str, object]]], TrayApp],
) -> None:
    rng = random.Random(SEED)
    queue = make_queue(rng, SPEED)
    events = day_script(rng, HOURS, SPEED)
    end_s = HOURS * HOUR / SPEED
    app = soak_app(queue)
    crash_watch.watch(app.poller)
    record = Record()
    driver = Driver(app, sim, events, record)
    try:
        with qtbot.waitSignal(driver.finished, timeout=int((end_s + 60) * 1000)):
            driver.start()
            app.start()
        # The last fault is half an hour (virtual) before the end: all clear by now.
        qtbot.waitUntil(lambda: app.hub.error is None, timeout=5000)
    finally:
        tracemalloc.stop()
    wall_s = time.time() - driver.t0

    # Nothing escaped, polling never stopped, and every error was one we injected.
    crash_watch.assert_clean()
    assert record.stops == 0 and app.poller.running
    injected = Counter(
        ERROR_FAULTS[event.fault.kind].__name__
        for event in record.events("fault")
        if event.fault is not None and event.fault.kind in ERROR_FAULTS
    )
    assert Counter(record.errors) == injected

    # The login survived every refresh.
    assert sim.count("/api/token", "POST") >= len(record.events("expire"))
    assert token_works(sim, lockable_keyring.stored_token())

    # Every item the simulator played was shown, and the tooltip named it.
    played = queue[: sim.player.index + 1]
    late = {index for indexes in record.before_first_look for index in indexes}
    for indexes in record.before_first_look:  # at most one "away" interval went unseen
        played_ms = sum(int(queue[i]["duration_ms"]) for i in indexes)  # type: ignore[call-overload]
        assert played_ms / 1000 <= scaled(PollConfig(), SPEED).deep_quiet_interval_s * 1.2
    missing = [
        title_of(e)
        for n, e in enumerate(played)
        if uri_of(e) not in record.first_tooltip and n not in late
    ]
    assert not missing, f"never shown: {missing}"
    for entry in played:
        if str(uri_of(entry)) not in record.first_tooltip:
            continue  # played out before the first look after a long idle
        tooltip = record.first_tooltip[str(uri_of(entry))]
        assert tooltip.removeprefix("Paused: ").startswith(title_of(entry) + " — "), tooltip
    skips = len(record.events("skip"))
    assert len(played) > skips > 0

    # Memory stays bounded over the second half of the day.
    rss = record.rss_kib
    assert len(rss) == 4 and len(record.snapshots) == 2
    growth_kib = rss[3] - rss[1] - record.tracing_kib
    assert growth_kib < RSS_GROWTH_LIMIT_KIB, f"RSS grew {growth_kib} KiB: {rss}"
    grown = [
        stat
        for stat in record.snapshots[1].compare_to(record.snapshots[0], "filename")
        if stat.size_diff > APP_GROWTH_LIMIT_B
    ]
    in_app = [
        stat
        for stat in grown
        if stat.traceback[0].filename.startswith(APP_DIR)
        and not stat.traceback[0].filename.startswith(SIMULATOR_DIR)
    ]
    assert not in_app, f"app code keeps growing: {in_app}"

    # The request count follows the schedule.
    states = States(record.executed)
    cost = cycle_cost(record, end_s / 2)
    expected = modelled_requests(
        record.executed, queue, scaled(PollConfig(), SPEED), cost, end_s, random.Random(SEED)
    )
    measured = measured_requests(sim, states, driver.t0, end_s)
    ratios = {state: measured[state] / expected[state] for state in ("playing", "paused", "idle")}
    summary = (
        f"{HOURS:g} h at {SPEED:g}x in {wall_s:.1f} s; cycle cost {cost(0) * 1000:.2f}/"
        f"{cost(end_s) * 1000:.2f} ms; GET /me/player measured {dict(measured)}, "
        f"model {dict(expected)}, ratios { {k: round(v, 3) for k, v in ratios.items()} }; "
        f"{len(played)} items ({skips} skips); {sum(injected.values())} error faults; "
        f"RSS {rss} KiB (tracemalloc {record.tracing_kib} KiB); top growth "
        f"{[(_short(s.traceback[0].filename), s.size_diff) for s in grown[:3]]}"
    )
    print(summary)
    for state, ratio in ratios.items():
        assert abs(ratio - 1) <= TOLERANCE, f"{state}: {ratio:.2f}x the schedule; {summary}"
