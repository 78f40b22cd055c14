"""Listening days against the daily request budget (part of ``polling.py``).

- office day on a phone: 8 h of music from 9:00, skips on the phone about every
  6 min, a lunch pause, idle the rest of the day and night;
- evening on a speaker: 4 h from 19:00, a skip every 15 min or so, a short pause;
- a day with the local client: 6 h in the desktop Spotify app, which answers
  over MPRIS, so polling is off (here: no poll while it plays), then an hour on
  the phone in the evening.

Each day runs through the same discrete-event simulation as the rest of the
benchmark, with the adaptive schedule fed a ``RequestBudget`` on the virtual
clock (every poll and an hourly token refresh counted; the library is read only when
the card or the menu opens, which no one does here) and a ``ListeningDay`` on the same
clock, against the plain adaptive schedule without either.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from _support import fmt, markdown_table, median, percentile

from nowplaying_tray.core.budget import RequestBudget
from nowplaying_tray.core.listening_day import ListeningDay
from nowplaying_tray.core.model import Playback
from nowplaying_tray.simulator import make_track

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
    long_day = [(0.0, "idle"), *_block(rng, 7, 23, 6), (23 * HOUR, "idle")]
    return [
        ("office day on a phone (8 h playing)", sorted(office), []),
        ("evening on a speaker (3.7 h playing)", sorted(evening), []),
        ("a day with the local client (6 h local, 1 h phone)", sorted(local),
         [(10 * HOUR, 16 * HOUR)]),
        (LONG_DAY, sorted(long_day), []),
        (STATUS_BAR_DAY, sorted(long_day), []),
    ]  # fmt: skip


LONG_DAY = "16-hour day on a phone (3-4 min items)"
STATUS_BAR_DAY = "the same, with a status bar calling `now` every second"


def short_items(rng: random.Random, count: int = 400) -> list[dict]:
    return [
        make_track(f"Track {n:03d}", [f"Artist {n % 31:02d}"], f"Album {n % 47:02d}",
                   rng.randint(180_000, 240_000))
        for n in range(count)
    ]  # fmt: skip


def budgeted_schedule(base: type, t0: float, clock: Callable[[], float], local: list) -> Any:
    """The adaptive schedule with the budget, and off while the local player answers."""

    class Budgeted(base):  # type: ignore[misc, valid-type]
        name = "adaptive + budget"

        def __init__(self) -> None:
            super().__init__()
            self.budget = RequestBudget(BUDGET, clock=clock)
            self.day = ListeningDay(clock=clock)
            self.refreshed_at = t0
            self.last: Playback | None = None

        def first(self, now: float) -> float:
            return self._outside_local(now)

        def after_answer(self, playback: Playback, sent_at: float, now: float) -> float:
            self.budget.record()
            if now - self.refreshed_at >= HOUR:
                self.budget.record()  # the access token lasts an hour
                self.refreshed_at = now
            self.last = self.schedule.read(playback, now)
            if self.last.is_playing:
                self.day.note_playing()
            at = self.next_send(now, self.budget.view(), self.day.left_s())
            return self._outside_local(at)

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


def longest_unpolled_playing(events: list, polls: Any, local: list, t0: float) -> float:
    """The longest spell, in seconds, while something played without a poll served."""
    served = polls.served
    longest, index = 0.0, 0
    for number, event in enumerate(events):
        if event.shown[0] != "playing":
            continue
        start = event.time
        end = events[number + 1].time if number + 1 < len(events) else t0 + 24 * HOUR
        if any(t0 + s <= start < t0 + e for s, e in local):
            continue
        last = start
        while index < len(served) and served[index] < start:
            index += 1
        probe = index
        while probe < len(served) and served[probe] < end:
            longest = max(longest, served[probe] - last)
            last = served[probe]
            probe += 1
        longest = max(longest, end - last) if number + 1 < len(events) else longest
    return longest


def status_bar(polls: Any, schedule: Any, t0: float, start_h: float, end_h: float) -> tuple:
    """``now`` every second from ``start_h`` to ``end_h`` beside the tray: each call over a
    real Unix socket to a stand-in of the tray's listener, which answers with
    ``core.tray_answer`` from what the tray's polls last saw. Returns (calls, requests
    the tray counted meanwhile, median round trip in ms, calls answered with an item)."""
    import bisect
    import os
    import socket
    import tempfile
    import threading
    import time

    from nowplaying_tray.core.instance_address import ask_state
    from nowplaying_tray.core.model import PlaybackState
    from nowplaying_tray.core.tray_answer import decode_state, encode_state

    answered, seen = polls.answered, polls.seen
    moment = [t0]

    def shown() -> Playback | None:
        index = bisect.bisect_right(answered, moment[0]) - 1
        if index < 0:
            return None
        state, uri = seen[index]
        return Playback(PlaybackState(state), read_at=answered[index], title=uri, uri=uri)

    directory = tempfile.mkdtemp()
    path = os.path.join(directory, "tray")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(8)

    def serve() -> None:
        while True:
            peer, _ = server.accept()
            with peer:
                if peer.recv(64) != b"state\n":
                    return
                budget = schedule.budget.view().to_json()
                peer.sendall(encode_state(shown(), "web_api", None, None, budget, moment[0], 0.0))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    before = schedule.budget.view().spent
    trips, items = [], 0
    for second in range(int(start_h * HOUR), int(end_h * HOUR)):
        moment[0] = t0 + second
        began = time.perf_counter()
        raw = ask_state(path, 1.0)
        trips.append(time.perf_counter() - began)
        state = decode_state(raw) if raw is not None else None
        items += state is not None and state.playback is not None
    added = schedule.budget.view().spent - before
    socket.socket(socket.AF_UNIX, socket.SOCK_STREAM).connect(path)  # ends the server
    thread.join(timeout=5)
    server.close()
    os.unlink(path)
    os.rmdir(directory)
    return len(trips), added, 1000 * median(trips), items


def report(
    simulate: Callable[..., tuple[list, dict]], adaptive: type, clock_type: type, t0: float,
    seed: int,
) -> str:  # fmt: skip
    rows, notes = [], []
    for name, actions, local in days(random.Random(seed + 14)):
        clock = clock_type(t0)
        budgeted = budgeted_schedule(adaptive, t0, clock, local)
        schedules = [adaptive(seed=seed), budgeted]
        tracks = (
            short_items(random.Random(seed + 2000)) if name in (LONG_DAY, STATUS_BAR_DAY) else None
        )
        events, polls = simulate(actions, 24.0, schedules, "inproc", 0.0, seed, clock, tracks)
        for schedule in schedules:
            record = polls[schedule.name]
            count = (
                budgeted.budget.view().spent if schedule is budgeted else len(record.served) + 24
            )
            lat = latencies(events, record, ("natural_end", "skip", "resume"), local, t0)
            longest = longest_unpolled_playing(events, record, local, t0)
            rows.append([
                name if schedule is schedules[0] else "",
                schedule.name,
                f"{count:,}",
                f"{100 * count / BUDGET:.0f} %",
                "yes" if count <= BUDGET else "**no**",
                cell(lat["natural_end"]),
                cell(lat["skip"]),
                cell(lat["resume"]),
                f"{longest / 60:.1f}",
            ])  # fmt: skip
        if name == STATUS_BAR_DAY:
            calls, added, trip_ms, items = status_bar(polls[budgeted.name], budgeted, t0, 7, 23)
            notes.append(
                f"- Status bar beside the tray ({name}): {calls:,} calls of `now`, "
                f"{items:,} answered with an item, **{added} requests added** to the tray's "
                f"count; median round trip {trip_ms:.2f} ms over the Unix socket."
            )
        if name == LONG_DAY:
            lat = latencies(events, polls[budgeted.name], ("natural_end", "skip"), local, t0)
            spent = budgeted.budget.view().spent
            longest = longest_unpolled_playing(events, polls[budgeted.name], local, t0)
            ends, skips = lat["natural_end"], lat["skip"]
            met = (
                spent <= BUDGET and median(ends) <= 1.0 and median(skips) <= 45
                and percentile(skips, 95) <= 180 and longest <= 300
            )  # fmt: skip
            notes.append(
                f"- Targets on the {name} (adaptive + budget): {max(0, spent - BUDGET)} requests "
                f"over the budget (0), natural ends {fmt(median(ends), 1)} s median (≤ 1 s), "
                f"skips {fmt(median(skips), 1)} s median (≤ 45 s) and "
                f"{fmt(percentile(skips, 95), 1)} s p95 (≤ 180 s), longest spell without a "
                f"poll while playing {longest:.0f} s (≤ 300 s) — "
                f"{'**met**' if met else '**missed**'}."
            )
    table = markdown_table(
        ["day", "schedule", "requests / day", f"of {BUDGET:,}", "within",
         "natural ends median / p95 s", "skips elsewhere median / p95 s",
         "start playing median / p95 s", "longest without a poll while playing, min"],
        rows,
    )  # fmt: skip
    return (
        f"Listening days against the default daily budget of {BUDGET:,} requests "
        "(in-process dispatch; requests = polls + a token refresh an hour, all of which the "
        "app counts; the library is read only when the card or the menu opens, which no "
        "one does here). The budget is planned over the listening day (16 h until one is "
        "learned). Latency = answer time − event time; events while the local client plays "
        "are reported by it over MPRIS, not polled, and are left out.\n\n"
        + table
        + "\n\n"
        + "\n".join(notes)
    )
