"""bench/memory.py's run on a desktop's session bus: its report beside the run without one."""

from __future__ import annotations

from dataclasses import dataclass

from _support import Mark, markdown_table

GROWTH_LIMIT_MIB = 5.0
PEAK_RATIO = 1.3


def mib(kib: object) -> float:
    return int(kib) / 1024  # type: ignore[call-overload]


LABELS = {
    "tray-shown": "tray icon shown",
    "app-started": "app started",
    "first-playback": "first playback displayed",
    "0 polls": "settled (2 s)",
}


@dataclass
class DesktopRun:
    marks: list[Mark]
    connections: list[str]


def desktop_report(
    desktop: DesktopRun, plain: list[Mark], limit: float, baseline: float
) -> list[str]:
    """The desktop run's memory beside the run without a bus, and its verdicts."""

    def by_key(marks: list[Mark]) -> dict[str, Mark]:
        return {
            (f"{m.data['polls']:,} polls" if m.name == "rss" else m.name): m
            for m in marks
            if m.name in ("tray-shown", "app-started", "first-playback", "rss")
        }

    mine, theirs = by_key(desktop.marks), by_key(plain)
    rows = []
    for key, mark in mine.items():
        rss = mib(mark.data["rss_kib"])
        other = theirs.get(key)
        beside = f"{rss - mib(other.data['rss_kib']):+.1f}" if other else "—"
        label = LABELS.get(key, f"after {key}")
        rows.append([label, f"{rss:.1f}", beside])
    summary = desktop.marks[-1]
    peak = mib(summary.data["hwm_kib"])
    rows.append(["peak (VmHWM)", f"{peak:.1f}", f"{peak - mib(plain[-1].data['hwm_kib']):+.1f}"])
    rss_marks = [m for m in desktop.marks if m.name == "rss"]
    growth = mib(rss_marks[-1].data["rss_kib"]) - mib(rss_marks[0].data["rss_kib"])
    names = ", ".join(desktop.connections) or "none"
    return [
        "On a desktop's session bus (a private dbus-daemon with dunst, bench/_desktop.py): "
        "the same run, so the app also connects to the bus, scans for local players, "
        "publishes its MPRIS player and sends its notifications to dunst.",
        "",
        markdown_table(["app on the desktop bus", "VmRSS MiB", "vs no bus, same mark"], rows),
        "",
        f"- Growth over {rss_marks[-1].data['polls']:,} polls: {growth:+.1f} MiB (limit "
        f"{GROWTH_LIMIT_MIB:g} MB) — "
        + ("**met**." if growth < GROWTH_LIMIT_MIB else "**missed**."),
        f"- Peak {peak:.1f} MiB vs limit {limit:.1f} MiB ({PEAK_RATIO}× the baseline) — "
        + (
            f"**met** ({peak / baseline:.2f}×)."
            if peak <= limit
            else f"**missed** by {peak - limit:.1f} MiB ({peak / baseline:.2f}×)."
        ),
        f"- Session-bus connections held by the app once settled: "
        f"{len(desktop.connections)} ({names}); target at most 2 (the app's own, which "
        "carries the tray icon too where a StatusNotifierItem host runs, and the one any Qt "
        "application opens on a desktop, which offscreen Qt does not).",
        f"- {summary.data['polls']:,} polls ({summary.data['errors']} errors).",
    ]
