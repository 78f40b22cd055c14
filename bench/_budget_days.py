"""Three listening days against the daily request budget (part of ``polling.py``).

- office day on a phone: 8 h of music from 9:00, skips on the phone about every
  6 min, a lunch pause, idle the rest of the day and night;
- evening on a speaker: 4 h from 19:00, a skip every 15 min or so, a short pause;
- a day with the local client: 6 h in the desktop Spotify app, which answers
  over MPRIS, so polling is off (here: no poll while it plays), then an hour on
  the phone in the evening.

Each day runs through the same discrete-event simulation as the rest of the
benchmark, with the adaptive schedule fed a ``RequestBudget`` on the virtual
clock (every poll counted), against the plain adaptive schedule without one.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from _support import fmt, markdown_table, median, percentile

from nowplaying_tray.core.budget import RequestBudget
from nowplaying_tray.core.model import Playback

HOUR, MINUTE = 3600.0, 60.0
BUDGET = 1000


def _block(rng: random.Random, start_h: float, end_h: float, skip_every_min: float) -> list:
    actions = [(start_h * HOUR, "resume")]
    t = start_h * HOUR + rng.expovariate(1 / (skip_every_min * MINUTE))
    while t < end_h * HOUR - MINUTE:
        actions.append((round(t, 3), "skip"))
        t += rng.expovariate(1 / (skip_every_min * MINUTE))
    return actions


def days(
    rng: random.Random,
) -> list[tuple[str, list[tuple[float, str]], list[tuple[float, float]]]]:
    """(name, actions, local-player spans in seconds)."""
    office = [(0.0, "idle"), *_block(rng, 9, 12.5, 6), (12.5 * HOUR, "pause"),
              *_block(rng, 13.25, 17, 6), (17 * HOUR, "idle")]  # fmt: skip
    evening = [(0.0, "idle"), *_block(rng, 19, 21, 15), (21 * HOUR, "pause"),
               *_block(rng, 21.3, 23, 15), (23 * HOUR, "idle")]  # fmt: skip
    local = [(0.0, "idle"), *_block(rng, 10, 16, 8), (16 * HOUR, "idle"),
             *_block(rng, 20, 21, 6), (21 * HOUR, "idle")]  # fmt: skip
    return [
        ("office day on a phone (8 h playing)", sorted(office), []),
        ("evening on a speaker (3.7 h playing)", sorted(evening), []),
        ("a day with the local client (6 h local, 1 h phone)", sorted(local),
         [(10 * HOUR, 16 * HOUR)]),
    ]  # fmt: skip


def budgeted_schedule(base: type, t0: float, clock: Callable[[], float], local: list) -> Any:
    """The adaptive schedule with the budget, and off while the local player answers."""

    class Budgeted(base):  # type: ignore[misc, valid-type]
        name = "adaptive + budget"

        def __init__(self) -> None:
            super().__init__()
            self.budget = RequestBudget(BUDGET, clock=clock)
            self.last_uri: str | None = None
            self.refreshed_at = t0

        def first(self, now: float) -> float:
            return self._outside_local(now)

        def after_answer(self, playback: Playback, sent_at: float, now: float) -> float:
            self.budget.record()
            if playback.uri and playback.uri != self.last_uri:
                self.budget.record()  # the app asks once per item whether it is saved
            self.last_uri = playback.uri or self.last_uri
            if now - self.refreshed_at >= HOUR:
                self.budget.record()  # the access token lasts an hour
                self.refreshed_at = now
            self.schedule.read(playback, now)
            return self._outside_local(self.next_send(now, self.budget.view()))

        def _outside_local(self, at: float) -> float:
            for start, end in local:
                if t0 + start <= at < t0 + end:
                    return t0 + end  # suspended; a poll when the local player lets go
            return at

    return Budgeted()


def latencies(events: list, polls: Any, kinds: tuple[str, ...], local: list, t0: float) -> dict:
    """Detection latency per kind for events the polls are responsible for (not those
    inside a local-player span: MPRIS reports those at once)."""
    out: dict[str, list[float]] = {kind: [] for kind in kinds}
    served = polls.served
    index = 0
    for number, event in enumerate(events):
        if event.kind not in kinds or any(t0 + s <= event.time < t0 + e for s, e in local):
            continue
        following = events[number + 1].time if number + 1 < len(events) else float("inf")
        while index < len(served) and served[index] < event.time:
            index += 1
        if index < len(served) and served[index] < following:
            out[event.kind].append(polls.answered[index] - event.time)
    return out


def cell(values: list[float]) -> str:
    return f"{fmt(median(values), 1)} / {fmt(percentile(values, 95), 1)}" if values else "—"


def other_requests(seen: list[tuple[str, str | None]]) -> int:
    """Besides the polls: one library check per new item, one token refresh an hour."""
    items, last = 0, None
    for _, uri in seen:
        if uri and uri != last:
            items += 1
            last = uri
    return items + 24


def report(
    simulate: Callable[..., tuple[list, dict]], adaptive: type, clock_type: type, t0: float,
    seed: int,
) -> str:  # fmt: skip
    rows = []
    for name, actions, local in days(random.Random(seed + 14)):
        clock = clock_type(t0)
        schedules = [adaptive(seed=seed), budgeted_schedule(adaptive, t0, clock, local)]
        events, polls = simulate(actions, 24.0, schedules, "inproc", 0.0, seed, clock)
        for schedule in schedules:
            count = len(polls[schedule.name].served)
            count += other_requests(polls[schedule.name].seen)
            lat = latencies(
                events, polls[schedule.name], ("natural_end", "skip", "resume"), local, t0
            )
            rows.append([
                name if schedule is schedules[0] else "",
                schedule.name,
                f"{count:,}",
                f"{100 * count / BUDGET:.0f} %",
                "yes" if count <= BUDGET else "**no**",
                cell(lat["natural_end"]),
                cell(lat["skip"]),
                cell(lat["resume"]),
            ])  # fmt: skip
    table = markdown_table(
        ["day", "schedule", "requests / day", f"of {BUDGET:,}", "within",
         "natural ends median / p95 s", "skips elsewhere median / p95 s",
         "start playing median / p95 s"],
        rows,
    )  # fmt: skip
    return (
        f"Three listening days against the default daily budget of {BUDGET:,} requests "
        "(in-process dispatch; requests = polls + one library check per new item + a token "
        "refresh an hour, all of which the app counts). Latency = answer time − event "
        "time; events while the local client plays are reported by it over MPRIS, not "
        "polled, and are left out.\n\n" + table
    )
