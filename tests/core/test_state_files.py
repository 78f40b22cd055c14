"""Every state file is read with the bounded JSON reader and checked value by value; a
file that fails either is set aside and that memory starts afresh."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nowplaying_tray.core.budget import RequestBudget
from nowplaying_tray.core.listening_day import ListeningDay
from nowplaying_tray.core.login_expiry import FILE_NAME as REMINDER_FILE
from nowplaying_tray.core.login_expiry import LoginReminder
from nowplaying_tray.core.memory_keyring import MemoryKeyring
from nowplaying_tray.core.rate_limit import RateLimitWindow
from nowplaying_tray.core.recent_list import load_recent
from nowplaying_tray.core.token_store import KeyringTokenStore
from nowplaying_tray.core.window_position import load_position

DEEP = "[" * 100_000 + "]" * 100_000
HUGE = "9" * 400


def _budget(path: Path) -> object:
    budget = RequestBudget(path=path, clock=lambda: 1_000_000.0)
    budget.load()
    return budget.view().spent


def _rate_limit(path: Path) -> object:
    window = RateLimitWindow(lambda: 0.0, path=path, wall_clock=lambda: 1_000_000.0)
    window.load()
    return window.remaining_s()


def _listening_days(path: Path) -> object:
    days = ListeningDay(path, clock=lambda: 1_000_000.0)
    days.load()
    return days.expected_s(default_s=-1.0)


def _reminder(path: Path) -> object:
    store = KeyringTokenStore("c" * 32, backend=MemoryKeyring())
    return LoginReminder(store, path.parent)._last_reminded()


READERS: dict[str, tuple[str, Callable[[Path], object], object]] = {
    "request_budget.json": ("request_budget.json", _budget, 0),
    "recent.json": ("recent.json", load_recent, ()),
    "window.json": ("window.json", load_position, None),
    REMINDER_FILE: (REMINDER_FILE, _reminder, None),
    "rate_limit.json": ("rate_limit.json", _rate_limit, 0.0),
    "listening_days.json": ("listening_days.json", _listening_days, -1.0),
}
HOSTILE: dict[str, list[str]] = {
    "request_budget.json": [
        f'{{"requests": [{HUGE}]}}',
        '{"requests": [1e999]}',
        '{"requests": [NaN]}',
        '{"requests": [999999.0, true]}',
    ],
    "recent.json": ['{"items": 5}'],
    "window.json": [f'{{"x": {HUGE}, "y": 0}}', '{"x": 1.5, "y": 0}', '{"x": 1}'],
    REMINDER_FILE: ['{"last_reminded": "not a day"}', '{"last_reminded": 5}'],
    "rate_limit.json": [f'{{"until": {HUGE}}}', '{"until": 1e999}', '{"until": NaN}'],
    "listening_days.json": [f'{{"days": [[0, {HUGE}]]}}', '{"days": [[1e999, 1e999]]}'],
}
CASES = [(name, content) for name in READERS for content in [DEEP, "{", *HOSTILE[name]]]


@pytest.mark.parametrize(("name", "content"), CASES)
def test_a_hostile_state_file_is_set_aside(tmp_path: Path, name: str, content: str) -> None:
    file_name, read, fresh = READERS[name]
    path = tmp_path / file_name
    path.write_text(content)
    assert read(path) == fresh
    assert not path.exists()
    (kept,) = tmp_path.glob(f"{file_name}.*.bak")
    assert kept.read_text() == content


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("request_budget.json", '{"requests": [999990.5, 999999]}', 2),
        ("window.json", '{"x": -20, "y": 300}', (-20, 300)),
        (REMINDER_FILE, '{"last_reminded": "2026-12-07"}', "2026-12-07"),
        ("rate_limit.json", '{"until": 1000060}', 60.0),
    ],
)
def test_a_good_state_file_is_read_and_kept(
    tmp_path: Path, name: str, content: str, expected: Any
) -> None:
    file_name, read, _ = READERS[name]
    path = tmp_path / file_name
    path.write_text(content)
    assert read(path) == expected
    assert path.exists() and list(tmp_path.glob("*.bak")) == []


def test_a_recent_list_keeps_its_good_entries(tmp_path: Path) -> None:
    path = tmp_path / "recent.json"
    good = {"title": "T", "artist": "A", "url": "https://open.spotify.com/track/1"}
    path.write_text(json.dumps({"items": [good, {"title": "x", "url": "file:///etc"}]}))
    assert [item.title for item in load_recent(path)] == ["T"]
    assert path.exists()
