"""The import profile of the start (``python -X importtime``), for bench/startup.py."""

from __future__ import annotations

import re
import subprocess
from collections import defaultdict

from _support import PYTHON, fmt

PHASES = ("nowplaying_tray.launch", "nowplaying_tray.app")


def import_profile(env: dict[str, str], top: int = 12) -> tuple[list, list, list]:
    """-X importtime of ``import nowplaying_tray.launch`` then ``import nowplaying_tray.app``,
    the two phases of the start (before the icon, and on the first event-loop turn after
    it): total per phase, self time per top-level package and phase, and the most
    expensive single imports of other packages made by the app's modules (cumulative),
    in ms."""
    code = "; ".join(f"import {module}" for module in PHASES)
    result = subprocess.run(
        [PYTHON, "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    pattern = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)")
    per_package: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    totals = [0.0, 0.0]
    # Post-order with indentation: an entry's children are the pending deeper entries.
    # A name can appear twice (a submodule imported inside its own package's import and
    # again by us), so entries are told apart by position. Everything up to the
    # ``nowplaying_tray.launch`` entry belongs to the first phase.
    entries: list[tuple[str, float, int]] = []  # (name, cumulative ms, phase)
    parent: dict[int, int] = {}
    pending: list[tuple[int, int]] = []  # (entry index, indent)
    phase = 0
    for line in result.stderr.splitlines():
        match = pattern.match(line)
        if not match:
            continue
        self_us, cumulative_us, indent, name = match.groups()
        level = len(indent)
        per_package[name.split(".")[0]][phase] += int(self_us) / 1000
        totals[phase] += int(self_us) / 1000
        index = len(entries)
        entries.append((name, int(cumulative_us) / 1000, phase))
        while pending and pending[-1][1] > level:
            parent[pending.pop()[0]] = index
        pending.append((index, level))
        if name == PHASES[0]:
            phase = 1
    labels = ("before the icon", "after the icon")
    total_rows = [
        (f"`import {module}` ({label})", fmt(ms, 0))
        for module, label, ms in zip(PHASES, labels, totals, strict=True)
    ]
    total_rows.append(("both", fmt(sum(totals), 0)))
    packages = sorted(per_package.items(), key=lambda item: -sum(item[1]))[:top]
    package_rows = [
        (name, fmt(before, 0), fmt(after, 0), fmt(100 * (before + after) / sum(totals), 0))
        for name, (before, after) in packages
    ]
    package_rows.append(("total", fmt(totals[0], 0), fmt(totals[1], 0), "100"))
    # Imports of other packages made directly by our modules: what deferring would save.
    # A package imported with importlib.import_module has no entry of its own (only its
    # submodules do), so such submodules are summed under their package's name.
    ours = "nowplaying_tray"
    logged = {name for name, _, _ in entries}
    direct: dict[tuple[str, str], list] = {}
    for child, up in parent.items():
        name, cumulative, child_phase = entries[child]
        importer = entries[up][0]
        if not importer.startswith(ours) or name.startswith(ours):
            continue
        package = name.split(".")[0]
        if package not in logged:
            name = f"{package} (imported with importlib)"
        row = direct.setdefault((name, importer), [name, importer, labels[child_phase], 0.0])
        row[3] += cumulative
    ranked = sorted(direct.values(), key=lambda row: -row[3])
    import_rows = [
        (name, importer, phase_label, fmt(ms, 0))
        for name, importer, phase_label, ms in ranked[:top]
    ]
    return total_rows, package_rows, import_rows
