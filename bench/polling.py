"""Polling schedules compared: the adaptive policy against fixed 1 s and fixed 5 s polling.

    python bench/polling.py [--seed 1] [--hours 4] [--transport http|inproc]
                            [--one-way-delay-ms 0] [--markdown-out FILE]

A discrete-event simulation on a virtual clock. One ``SpotifySimulator`` runs with
``clock=`` that virtual clock, so its timeline (natural track ends, skips, pauses,
idle) moves only when the simulation says so. Three schedules poll it side by side
during the same scripted session:

- adaptive: the app's own poll bookkeeping (``core.poll_schedule.PollSchedule``, the
  code ``services.poller.Poller`` runs) with the default ``PollConfig``, popup
  closed, its delays cut to whole milliseconds like the poller's ``QTimer``;
- fixed 1 s and fixed 5 s: a poll every N seconds whatever happens.

Then three listening days against the daily request budget (``_budget_days.py``):
requests per day with and without the budget, and the detection latency it leaves.

With ``--transport http`` (default for the session) every poll is a real
``SpotifyGateway.current_playback()`` call (spotipy, requests) over loopback to the
simulator, logged in through the real PKCE flow. ``inproc`` hands the same request
to the simulator's dispatcher without a socket (used for the 24 h day, which
would otherwise take minutes of wall time at 1 s polling).

Ground truth comes from the script and the simulator's timeline: every change of
what the app should show (natural end, skip, pause, resume, idle) is an event. An
event is detected by the first poll served at or after it; latency = that poll's
answer time minus the event time. If the next event comes first, the event counts
as "superseded" (never shown). Each poll's answer is checked against the ground
truth, so the bookkeeping cannot drift from what the simulator really said.
"""

from __future__ import annotations

import argparse
import heapq
import itertools
import random
import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import _budget_days
from _support import (
    code_under_test,
    command_line,
    emit_report,
    fmt,
    load_line,
    machine_line,
    markdown_table,
    median,
    percentile,
)

from nowplaying_tray.core.budget import BudgetView
from nowplaying_tray.core.memory_keyring import MemoryKeyring
from nowplaying_tray.core.model import Playback, PlaybackState, parse_playback
from nowplaying_tray.core.policy import PollConfig
from nowplaying_tray.core.poll_schedule import PollSchedule
from nowplaying_tray.simulator import SpotifySimulator, make_track

T0 = 1_000_000.0  # virtual clock start: a round number keeps millisecond times exact
HOUR = 3600.0
MINUTE = 60.0

# priorities at equal times: the world changes first, then polls see it
P_ACTION, P_END, P_SERVE, P_ANSWER = 0, 1, 2, 3


class VirtualClock:
    def __init__(self, start: float) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


# -- the scripted listening --------------------------------------------------------------


def _ms(seconds: float) -> float:
    return round(seconds, 3)


def listening_session(rng: random.Random, hours: float) -> list[tuple[float, str]]:
    """Play stretches of 20-60 min with skips from another device (about one every 6
    min, at random times), separated by pauses (mostly short, some long) or idle
    stretches (the device goes away). Returns (offset s, action)."""
    actions: list[tuple[float, str]] = []
    t, end = 0.0, hours * HOUR
    while t < end:
        play_end = min(end, t + rng.uniform(20, 60) * MINUTE)
        skip_at = t + rng.expovariate(1 / (6 * MINUTE))
        while skip_at < play_end:
            actions.append((_ms(skip_at), "skip"))
            skip_at += rng.expovariate(1 / (6 * MINUTE))
        t = play_end
        if t >= end:
            break
        if rng.random() < 0.6:
            length = rng.uniform(0.5, 8) if rng.random() < 0.7 else rng.uniform(10, 30)
            actions.append((_ms(t), "pause"))
        else:
            length = rng.uniform(10, 60)
            actions.append((_ms(t), "idle"))
        t = min(end, t + length * MINUTE)
        if t < end:
            actions.append((_ms(t), "resume"))
    return actions


def economy_day() -> list[tuple[float, str]]:
    """24 h: 3 h playing, 1 h paused, 20 h idle, as two listening blocks in a day."""
    return [
        (0.0, "idle"),  # night: nothing plays
        (8 * HOUR, "resume"),
        (9.5 * HOUR, "pause"),
        (10 * HOUR, "idle"),
        (18 * HOUR, "resume"),
        (19.5 * HOUR, "pause"),
        (20 * HOUR, "idle"),
    ]


def playlist(rng: random.Random, count: int = 400) -> list[dict]:
    return [
        make_track(
            f"Track {n:03d}",
            [f"Artist {n % 31:02d}"],
            f"Album {n % 47:02d}",
            rng.randint(150_000, 330_000),
        )
        for n in range(count)
    ]


# -- transports: how a schedule asks the simulator ----------------------------------------


def http_reader(sim: SpotifySimulator, clock: VirtualClock) -> Callable[[float], Playback]:
    """A real gateway (spotipy over requests, over loopback), logged in through PKCE."""
    import requests

    from nowplaying_tray.core.gateway import SpotifyGateway
    from nowplaying_tray.core.settings import Settings
    from nowplaying_tray.core.spotify_access import build_access
    from nowplaying_tray.simulator import DEMO_CLIENT_ID

    settings = Settings(
        client_id=DEMO_CLIENT_ID,
        accounts_url=sim.accounts_url,
        api_url=sim.api_url,
        redirect_port=0,
        request_timeout_s=10.0,
    )
    keyring = MemoryKeyring()
    core = build_access(settings, keyring_backend=keyring)
    core.login_flow(open_url=lambda url: bool(requests.get(url, timeout=10))).run()
    answer_at = [0.0]
    gateway = SpotifyGateway(
        settings, core.store, session=requests.Session(), monotonic=lambda: answer_at[0]
    )

    def read(answered_at: float) -> Playback:
        answer_at[0] = answered_at
        return gateway.current_playback()

    return read


def inproc_reader(sim: SpotifySimulator, clock: VirtualClock) -> Callable[[float], Playback]:
    """The same GET /v1/me/player, handed to the simulator's dispatcher without a socket."""
    from nowplaying_tray.simulator.http_types import Request

    token = _token(sim)
    request = Request(
        "GET",
        "/v1/me/player",
        {"additional_types": ["track,episode"]},
        {"authorization": f"Bearer {token}"},
    )

    def read(answered_at: float) -> Playback:
        response = sim.dispatch(request)
        if response.status == 204 or not response.body:
            return Playback.idle(answered_at)
        if response.status != 200:
            raise RuntimeError(f"simulator answered {response.status}")
        return parse_playback(response.body, answered_at)

    return read


def _token(sim: SpotifySimulator) -> str:
    import requests

    from nowplaying_tray.core.settings import Settings
    from nowplaying_tray.core.spotify_access import build_access
    from nowplaying_tray.simulator import DEMO_CLIENT_ID

    settings = Settings(
        client_id=DEMO_CLIENT_ID,
        accounts_url=sim.accounts_url,
        api_url=sim.api_url,
        redirect_port=0,
    )
    keyring = MemoryKeyring()
    core = build_access(settings, keyring_backend=keyring)
    core.login_flow(open_url=lambda url: bool(requests.get(url, timeout=10))).run()
    token = core.store.get_cached_token()
    assert token is not None
    return str(token["access_token"])


# -- schedules ----------------------------------------------------------------------------


class Schedule:
    name = ""

    def first(self, now: float) -> float:
        return now

    def after_answer(self, playback: Playback, sent_at: float, now: float) -> float:
        raise NotImplementedError


class Fixed(Schedule):
    def __init__(self, interval_s: float) -> None:
        self.interval = interval_s
        self.name = f"fixed {interval_s:g} s"

    def after_answer(self, playback: Playback, sent_at: float, now: float) -> float:
        return sent_at + self.interval  # a repeating timer: fixed rate


class Adaptive(Schedule):
    """The Poller's own bookkeeping (``core.poll_schedule``) around the policy, without Qt."""

    name = "adaptive"

    def __init__(self, config: PollConfig | None = None, seed: int = 0) -> None:
        self.schedule = PollSchedule(config, random.Random(seed))
        self.reasons: Counter[str] = Counter()

    def after_answer(self, playback: Playback, sent_at: float, now: float) -> float:
        self.schedule.read(playback, now)
        return self.next_send(now)

    def next_send(
        self, now: float, budget: BudgetView | None = None, day_left_s: float | None = None
    ) -> float:
        decision = self.schedule.next(now, budget, day_left_s)
        self.reasons[decision.reason.split(",")[0]] += 1
        assert decision.delay_s is not None
        return now + int(decision.delay_s * 1000) / 1000  # QTimer.start(int ms)


# -- the simulation -----------------------------------------------------------------------


@dataclass
class Event:
    time: float
    kind: str  # start, natural_end, skip, pause, resume, idle
    shown: tuple[str, str | None]  # (state, uri) the app should show from then on


@dataclass
class Polls:
    served: list[float] = field(default_factory=list)
    answered: list[float] = field(default_factory=list)
    seen: list[tuple[str, str | None]] = field(default_factory=list)


def observed(playback: Playback) -> tuple[str, str | None]:
    idle = playback.state is PlaybackState.IDLE
    return (playback.state.value, None if idle else playback.uri)


def simulate(
    actions: list[tuple[float, str]],
    hours: float,
    schedules: list[Schedule],
    transport: str,
    one_way_delay_s: float,
    seed: int,
    clock: VirtualClock | None = None,
    tracks: list[dict] | None = None,
) -> tuple[list[Event], dict[str, Polls]]:
    clock = clock or VirtualClock(T0)
    sim = SpotifySimulator(
        auto_approve=True,
        playlist=tracks or playlist(random.Random(seed + 1000)),
        clock=clock,
        access_token_lifetime=10**9,  # the run is hours of virtual time
    )
    sim.start()
    try:
        make_reader = http_reader if transport == "http" else inproc_reader
        readers = {schedule.name: make_reader(sim, clock) for schedule in schedules}
        return _run(sim, clock, actions, hours, schedules, readers, one_way_delay_s)
    finally:
        sim.stop()


def _run(
    sim: SpotifySimulator,
    clock: VirtualClock,
    actions: list[tuple[float, str]],
    hours: float,
    schedules: list[Schedule],
    readers: dict[str, Callable[[float], Playback]],
    delay: float,
) -> tuple[list[Event], dict[str, Polls]]:
    player = sim.player
    end = T0 + hours * HOUR
    seq = itertools.count()
    heap: list[tuple[float, int, int, str, object]] = []

    def push(at: float, priority: int, kind: str, payload: object = None) -> None:
        heapq.heappush(heap, (at, priority, next(seq), kind, payload))

    events: list[Event] = []
    generation = [0]

    def truth() -> tuple[str, str | None]:
        state = player.state()
        if state.idle or state.entry is None:
            return ("idle", None)
        return ("playing" if state.is_playing else "paused", state.entry["item"]["uri"])

    def plan_natural_end() -> None:
        generation[0] += 1
        state = player.state()
        if state.is_playing and state.entry is not None:
            remaining_ms = state.entry["duration_ms"] - state.progress_ms
            push(clock.now + remaining_ms / 1000, P_END, "end", generation[0])

    events.append(Event(T0, "start", truth()))
    plan_natural_end()
    for offset, action in actions:
        push(T0 + offset, P_ACTION, "action", action)
    for schedule in schedules:
        push(schedule.first(T0) + delay, P_SERVE, "serve", (schedule, T0))
    polls = {schedule.name: Polls() for schedule in schedules}
    apply = {
        "skip": player.skip_next,
        "pause": player.pause,
        "resume": player.resume,
        "idle": player.set_idle,
    }

    while heap:
        at, _priority, _, kind, payload = heapq.heappop(heap)
        if at >= end:
            break
        clock.now = at
        if kind == "action":
            before = truth()
            apply[str(payload)]()
            after = truth()
            if after != before:
                label = "resume" if payload == "resume" else str(payload)
                events.append(Event(at, label, after))
            plan_natural_end()
        elif kind == "end":
            if payload != generation[0]:
                continue  # the timeline changed since this end was planned
            shown = truth()
            if shown != events[-1].shown:
                events.append(Event(at, "natural_end", shown))
            plan_natural_end()
        elif kind == "serve":
            schedule, sent_at = payload  # type: ignore[misc]
            playback = readers[schedule.name](at + delay)
            record = polls[schedule.name]
            record.served.append(at)
            record.answered.append(at + delay)
            record.seen.append(observed(playback))
            push(at + delay, P_ANSWER, "answer", (schedule, sent_at, playback))
        elif kind == "answer":
            schedule, sent_at, playback = payload  # type: ignore[misc]
            next_send = max(schedule.after_answer(playback, sent_at, at), at)
            push(next_send + delay, P_SERVE, "serve", (schedule, next_send))
    return events, polls


# -- analysis -----------------------------------------------------------------------------


@dataclass
class Detection:
    latencies: dict[str, list[float]]
    superseded: Counter[str]
    mismatches: int
    by_state: Counter[str]


def analyse(events: list[Event], polls: Polls) -> Detection:
    latencies: dict[str, list[float]] = defaultdict(list)
    superseded: Counter[str] = Counter()
    by_state: Counter[str] = Counter()
    mismatches = 0
    index = 0  # the first poll served at or after the current event
    served = polls.served
    for number, event in enumerate(events):
        following = events[number + 1].time if number + 1 < len(events) else float("inf")
        while index < len(served) and served[index] < event.time:
            index += 1
        # Check every poll served during this event's reign against the truth.
        probe = index
        while probe < len(served) and served[probe] < following:
            if polls.seen[probe] != event.shown:
                mismatches += 1
            by_state[event.shown[0]] += 1
            probe += 1
        if event.kind == "start":
            continue
        if index < len(served) and served[index] < following:
            latencies[event.kind].append(polls.answered[index] - event.time)
        else:
            superseded[event.kind] += 1
    return Detection(latencies, superseded, mismatches, by_state)


def state_hours(events: list[Event], end: float) -> dict[str, float]:
    hours: dict[str, float] = defaultdict(float)
    for number, event in enumerate(events):
        until = events[number + 1].time if number + 1 < len(events) else end
        hours[event.shown[0]] += (until - event.time) / HOUR
    return hours


def latency_cell(values: list[float], missed: int) -> str:
    if not values:
        return "—"
    text = f"{fmt(median(values))} / {fmt(percentile(values, 95))}"
    return text + (f" ({missed} never shown)" if missed else "")


def report_session(
    events: list[Event],
    polls: dict[str, Polls],
    hours: float,
    schedules: list[Schedule],
) -> tuple[str, dict[str, Detection]]:
    results = {s.name: analyse(events, polls[s.name]) for s in schedules}
    counts = Counter(event.kind for event in events if event.kind != "start")
    rows = []
    for schedule in schedules:
        name = schedule.name
        result = results[name]
        rows.append(
            [
                name,
                str(len(polls[name].served)),
                fmt(len(polls[name].served) / hours, 0),
                latency_cell(result.latencies["natural_end"], result.superseded["natural_end"]),
                latency_cell(result.latencies["skip"], result.superseded["skip"]),
                latency_cell(result.latencies["pause"], result.superseded["pause"]),
                latency_cell(result.latencies["resume"], result.superseded["resume"]),
                latency_cell(result.latencies["idle"], result.superseded["idle"]),
            ]
        )
    table = markdown_table(
        [
            "schedule",
            "requests",
            "requests / h",
            f"natural ends ({counts['natural_end']}) median / p95 s",
            f"skips ({counts['skip']}) median / p95 s",
            f"pauses ({counts['pause']})",
            f"resumes ({counts['resume']})",
            f"went idle ({counts['idle']})",
        ],
        rows,
    )
    return table, results


def per_state_table(
    events: list[Event], results: dict[str, Detection], hours: float, schedules: list[Schedule]
) -> str:
    in_state = state_hours(events, events[0].time + hours * HOUR)
    states = ("playing", "paused", "idle")
    rows = []
    for schedule in schedules:
        by_state = results[schedule.name].by_state
        row = [schedule.name]
        for state in states:
            row.append(
                f"{fmt(by_state[state] / in_state[state], 0)}" if in_state.get(state) else "—"
            )
        rows.append(row)
    headers = ["requests / h while"]
    headers += [f"{state} ({fmt(in_state[state], 2)} h)" for state in states]
    return markdown_table(headers, rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--hours", type=float, default=4.0, help="length of the session")
    parser.add_argument("--transport", choices=("http", "inproc"), default="http")
    parser.add_argument("--day-transport", choices=("http", "inproc"), default="inproc")
    parser.add_argument(
        "--one-way-delay-ms",
        type=float,
        default=0.0,
        help="network delay each way (0: answers arrive at the instant the poll is made)",
    )
    parser.add_argument("--heading", default="Polling schedules")
    parser.add_argument("--markdown-out")
    args = parser.parse_args()
    delay = args.one_way_delay_ms / 1000

    def schedules() -> list[Schedule]:
        return [Adaptive(seed=args.seed), Fixed(1.0), Fixed(5.0)]

    rng = random.Random(args.seed)
    actions = listening_session(rng, args.hours)
    session_schedules = schedules()
    events, polls = simulate(
        actions, args.hours, session_schedules, args.transport, delay, args.seed
    )
    session_table, session_results = report_session(events, polls, args.hours, session_schedules)
    session_states = per_state_table(events, session_results, args.hours, session_schedules)
    adaptive_reasons = dict(session_schedules[0].reasons)  # type: ignore[attr-defined]

    day_schedules = schedules()
    day_events, day_polls = simulate(
        economy_day(), 24.0, day_schedules, args.day_transport, delay, args.seed
    )
    day_results = {s.name: analyse(day_events, day_polls[s.name]) for s in day_schedules}
    day_rows = []
    fixed5 = len(day_polls["fixed 5 s"].served)
    for schedule in day_schedules:
        count = len(day_polls[schedule.name].served)
        day_rows.append(
            [
                schedule.name,
                f"{count:,}",
                fmt(count / 24, 0),
                f"{100 * count / fixed5:.0f} %",
                latency_cell(
                    day_results[schedule.name].latencies["natural_end"],
                    day_results[schedule.name].superseded["natural_end"],
                ),
            ]
        )
    day_table = markdown_table(
        [
            "schedule",
            "requests / day",
            "requests / h (average)",
            "vs fixed 5 s",
            "natural ends median / p95 s",
        ],
        day_rows,
    )
    day_states = per_state_table(day_events, day_results, 24.0, day_schedules)
    budget_days = _budget_days.report(simulate, Adaptive, VirtualClock, T0, args.seed)

    mismatches = sum(r.mismatches for r in session_results.values()) + sum(
        r.mismatches for r in day_results.values()
    )
    adaptive = session_results["adaptive"]
    ends = adaptive.latencies["natural_end"]
    adaptive_rate = len(polls["adaptive"].served) / args.hours
    fixed5_rate = len(polls["fixed 5 s"].served) / args.hours
    verdicts = [
        f"- Target 1, natural track ends detected within 1 s at the median: adaptive "
        f"{fmt(median(ends))} s — {'**met**' if median(ends) <= 1.0 else '**missed**'}.",
        f"- Target 2, fewer requests per hour than fixed 5 s: adaptive {adaptive_rate:.0f}/h "
        f"vs {fixed5_rate:.0f}/h ({100 * adaptive_rate / fixed5_rate:.0f} %) — "
        f"{'**met**' if adaptive_rate < fixed5_rate else '**missed**'} over the session.",
        f"- Ground-truth check: {mismatches} poll answers disagreed with the script (must be 0).",
        f"- Adaptive decisions in the session: {adaptive_reasons}.",
    ]
    lines = [
        f"### {args.heading}",
        "",
        f"Command: `{command_line('polling.py', sys.argv[1:])}`  ",
        f"{machine_line()}  ",
        f"Code: {code_under_test()}  ",
        load_line(),
        "",
        f"Scripted session: {args.hours:g} h (seed {args.seed}), tracks of 2.5–5.5 min, "
        "skips from another device at random times (about one every 6 min of play), "
        "pauses and idle stretches; polls over "
        + (
            "real HTTP (spotipy) to the simulator"
            if args.transport == "http"
            else "the simulator's in-process dispatcher"
        )
        + f", one-way network delay {args.one_way_delay_ms:g} ms. "
        "Latency = answer time − event time, in seconds.",
        "",
        session_table,
        "",
        session_states,
        "",
        *verdicts,
        "",
        "API economy, a typical day: 8 h idle, 1.5 h playing, 0.5 h paused, 8 h idle, "
        "1.5 h playing, 0.5 h paused, 4 h idle (3 h playing, 1 h paused, 20 h idle); "
        + (
            "real HTTP."
            if args.day_transport == "http"
            else "in-process dispatch (same request, same simulator, no socket)."
        ),
        "",
        day_table,
        "",
        day_states,
        "",
        budget_days,
    ]
    emit_report("\n".join(lines), args.markdown_out)
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
