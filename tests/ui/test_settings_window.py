"""The settings window: every editor applies live, invalid input is held back, and
the account, log-folder and file-picking controls report what was asked."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QFileDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
)

from nowplaying_tray.core.settings import Settings, redirect_uri_for
from nowplaying_tray.ui.settings.editors import SegmentedChoice, ToggleSwitch
from nowplaying_tray.ui.settings.text_fields import template_problem
from nowplaying_tray.ui.settings.window import SettingsWindow
from tests.support import widgets

CLIENT_A = "0123456789abcdef0123456789abcdef"
CLIENT_B = "fedcba9876543210fedcba9876543210"
EDITED_FIELDS = (
    "lyrics",
    "lyrics_offset_ms",
    "client_id",
    "redirect_port",
    "poll_interval_s",
    "notifications",
    "notify_at_startup",
    "notify_episodes",
    "notify_ads",
    "tooltip_template",
    "autostart",
    "nowplaying_file",
    "nowplaying_template",
    "nowplaying_art_file",
    "nowplaying_clear_when_idle",
    "overlay_port",
)


@pytest.fixture
def current() -> Settings:
    return Settings(client_id=CLIENT_A, poll_interval_s=5.0)


@pytest.fixture
def window(qtbot, current) -> SettingsWindow:
    widget = SettingsWindow(current)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def emitted(window) -> list[Settings]:
    seen: list[Settings] = []
    window.settings_changed.connect(seen.append)
    return seen


def differences(a: Settings, b: Settings) -> dict[str, Any]:
    names = (f.name for f in fields(a))
    return {name: getattr(b, name) for name in names if getattr(a, name) != getattr(b, name)}


def set_text(editor: Any, text: str) -> None:
    if isinstance(editor, QPlainTextEdit):
        editor.setPlainText(text)
    else:
        editor.setText(text)


def change(editor: Any, value: Any) -> None:
    """Change ``editor`` the way a person would, to show ``value``."""
    if isinstance(editor, ToggleSwitch):
        assert editor.isChecked() != value
        editor.click()
    elif isinstance(editor, QSpinBox):
        editor.setValue(int(value))
    elif isinstance(editor, SegmentedChoice):
        editor.button_for(value).click()
    else:
        set_text(editor, value)


CHANGES: dict[str, Any] = {
    "lyrics": False,
    "lyrics_offset_ms": -300,
    "client_id": CLIENT_B,
    "redirect_port": 9123,
    "poll_interval_s": 12.0,
    "notifications": False,
    "notify_at_startup": True,
    "notify_episodes": False,
    "notify_ads": True,
    "tooltip_template": "{artist}\n{title} ({progress}/{duration})",
    "autostart": True,
    "nowplaying_file": "/srv/obs/nowplaying.txt",
    "nowplaying_template": "♪ {title} — {artist} ♪",
    "nowplaying_art_file": "/srv/obs/cover.jpg",
    "nowplaying_clear_when_idle": False,
    "overlay_port": 8975,
}


def test_every_setting_editor_is_offered(window):
    assert set(widgets.setting_editors(window)) == set(EDITED_FIELDS)
    assert set(CHANGES) == set(EDITED_FIELDS)


@pytest.mark.parametrize("name", EDITED_FIELDS)
def test_each_editor_applies_live_with_exactly_that_change(qtbot, window, emitted, current, name):
    editor = widgets.setting_editors(window)[name]

    # Text fields apply after a short pause in typing; the rest at once.
    with qtbot.waitSignal(window.settings_changed, timeout=5000) as blocker:
        change(editor, CHANGES[name])

    new = blocker.args[0]
    assert differences(current, new) == {name: CHANGES[name]}
    assert new == current.with_changes(**{name: CHANGES[name]})
    assert type(getattr(new, name)) is type(getattr(current, name))
    assert window.settings() == new
    assert emitted == [new]


@pytest.mark.parametrize("name", ["client_id", "nowplaying_file", "nowplaying_art_file"])
def test_a_line_edit_applies_when_editing_finishes(qtbot, window, current, name):
    editor = widgets.setting_editors(window)[name]
    editor.setText(f"  {CHANGES[name]} ")

    with qtbot.waitSignal(window.settings_changed, timeout=100) as blocker:
        editor.editingFinished.emit()

    assert differences(current, blocker.args[0]) == {name: CHANGES[name]}


def test_a_template_applies_when_the_box_loses_focus(qtbot, window, current):
    editor = widgets.setting_editors(window)["tooltip_template"]
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    editor.setPlainText("{title}")

    with qtbot.waitSignal(window.settings_changed, timeout=100) as blocker:
        widgets.setting_editors(window)["client_id"].setFocus()

    assert differences(current, blocker.args[0]) == {"tooltip_template": "{title}"}


def test_changes_build_on_the_latest_settings(qtbot, window, current):
    with qtbot.waitSignal(window.settings_changed):
        widgets.setting_editors(window)["autostart"].click()
    with qtbot.waitSignal(window.settings_changed) as blocker:
        widgets.setting_editors(window)["poll_interval_s"].setValue(20)

    assert differences(current, blocker.args[0]) == {"autostart": True, "poll_interval_s": 20.0}


def test_an_unchanged_value_is_not_emitted(qtbot, window):
    editor = widgets.setting_editors(window)["client_id"]
    with qtbot.assertNotEmitted(window.settings_changed):
        editor.setText(f" {CLIENT_A} ")
        editor.editingFinished.emit()


# -- invalid input --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "why"),
    [("1234", "this one has 4"), (CLIENT_A[:-1] + "x", "“x”"), ("", "needed to log in")],
)
def test_an_invalid_client_id_is_not_applied(qtbot, window, emitted, text, why):
    editor = widgets.setting_editors(window)["client_id"]

    with qtbot.assertNotEmitted(window.settings_changed):
        editor.setText(text)
        editor.editingFinished.emit()

    assert why in widgets.field_hint(window, "client_id")
    assert window.settings().client_id == CLIENT_A
    # Fixing it applies the fix and clears the hint.
    with qtbot.waitSignal(window.settings_changed):
        editor.setText(CLIENT_B)
        editor.editingFinished.emit()
    assert widgets.field_hint(window, "client_id") == ""
    assert [s.client_id for s in emitted] == [CLIENT_B]


def test_an_invalid_client_id_is_not_applied_after_the_pause_either(qtbot, window):
    with qtbot.assertNotEmitted(window.settings_changed, wait=1500):
        widgets.setting_editors(window)["client_id"].setText("not a client id")


@pytest.mark.parametrize("name", ["tooltip_template", "nowplaying_template"])
@pytest.mark.parametrize(
    ("template", "why"),
    [
        ("{title} by {artst}", "{artst}"),
        ("{title", "has no partner"),
        ("{title.upper}", "{title.upper} is not allowed"),
        ("{title[a]}", "{title[a]} is not allowed"),
        ("{title:>999999999}", "width above 200"),
    ],
)
def test_an_invalid_template_is_not_applied(qtbot, window, name, template, why):
    editor = widgets.setting_editors(window)[name]

    with qtbot.assertNotEmitted(window.settings_changed):
        editor.setPlainText(template)
        editor.editingFinished.emit()

    assert why in widgets.field_hint(window, name)
    assert getattr(window.settings(), name) == getattr(Settings(), name)


def test_template_problems_in_words():
    assert template_problem("{title} — {artist}") is None
    assert template_problem("{{literal}} {url}") is None
    assert template_problem("{nope}") == "There is no {nope} key. Use one of the keys above."
    assert "{{" in (template_problem("}") or "")


def test_template_keys_are_offered_and_inserted(qtbot, window, current):
    editor = widgets.setting_editors(window)["tooltip_template"]
    chip = next(b for b in window.findChildren(QAbstractButton) if b.text() == "{device}")
    editor.setPlainText("")

    with qtbot.waitSignal(window.settings_changed, timeout=5000) as blocker:
        chip.click()

    assert blocker.args[0].tooltip_template == "{device}"


# -- dependent controls ---------------------------------------------------------------


def test_notification_options_follow_the_main_switch(qtbot, window):
    editors = widgets.setting_editors(window)
    options = [editors[n] for n in ("notify_at_startup", "notify_episodes", "notify_ads")]
    assert all(option.isEnabled() for option in options)

    widgets.setting_editors(window)["notifications"].click()
    assert not any(option.isEnabled() for option in options)

    widgets.setting_editors(window)["notifications"].click()
    assert all(option.isEnabled() for option in options)


def test_the_redirect_uri_follows_the_port(window):
    assert widgets.find(window, QLabel, "redirectUri").text() == redirect_uri_for(8974)

    widgets.setting_editors(window)["redirect_port"].setValue(9000)

    assert widgets.find(window, QLabel, "redirectUri").text() == redirect_uri_for(9000)


def test_the_ranges_of_the_number_boxes(window):
    port = widgets.setting_editors(window)["redirect_port"]
    interval = widgets.setting_editors(window)["poll_interval_s"]

    assert (port.minimum(), port.maximum()) == (1024, 65535)
    assert (interval.minimum(), interval.maximum()) == (2, 60)
    offset = widgets.setting_editors(window)["lyrics_offset_ms"]
    assert (offset.minimum(), offset.maximum()) == (-10_000, 10_000)


def test_typing_a_number_applies_it_once_not_per_digit(qtbot, window, emitted):
    box = widgets.setting_editors(window)["poll_interval_s"]
    box.setFocus()
    box.selectAll()

    qtbot.keyClicks(box, "30")
    assert emitted == []
    qtbot.keyClick(box, Qt.Key.Key_Return)

    assert [s.poll_interval_s for s in emitted] == [30.0]


# -- set_settings -----------------------------------------------------------------------


def test_set_settings_shows_the_values_without_emitting(qtbot, window, current):
    new = current.with_changes(
        client_id=CLIENT_B,
        redirect_port=9999,
        poll_interval_s=30.0,
        notifications=False,
        autostart=True,
        tooltip_template="{title}",
        nowplaying_file="/x/now.txt",
        nowplaying_clear_when_idle=False,
    )

    with qtbot.assertNotEmitted(window.settings_changed, wait=1200):
        window.set_settings(new)

    editors = widgets.setting_editors(window)
    assert editors["client_id"].text() == CLIENT_B
    assert editors["redirect_port"].value() == 9999
    assert editors["poll_interval_s"].value() == 30
    assert not editors["notifications"].isChecked()
    assert not editors["notify_episodes"].isEnabled()
    assert editors["autostart"].isChecked()
    assert editors["tooltip_template"].toPlainText() == "{title}"
    assert editors["nowplaying_file"].text() == "/x/now.txt"
    assert editors["nowplaying_clear_when_idle"].value() is False
    assert widgets.find(window, QLabel, "redirectUri").text() == redirect_uri_for(9999)
    assert window.settings() == new


def test_set_settings_keeps_typing_in_progress_elsewhere(qtbot, window, current):
    file_edit = widgets.setting_editors(window)["nowplaying_file"]
    file_edit.setText("/half/typed")

    window.set_settings(current.with_changes(autostart=True))

    assert file_edit.text() == "/half/typed"


def test_later_changes_build_on_settings_from_set_settings(qtbot, window, current):
    window.set_settings(current.with_changes(poll_interval_s=7.0))

    with qtbot.waitSignal(window.settings_changed) as blocker:
        widgets.setting_editors(window)["notify_ads"].click()

    assert differences(current, blocker.args[0]) == {"poll_interval_s": 7.0, "notify_ads": True}


def test_closing_applies_text_typed_during_the_pause(qtbot, window):
    widgets.setting_editors(window)["nowplaying_file"].setText("/srv/last.txt")

    with qtbot.waitSignal(window.settings_changed, timeout=100) as blocker:
        window.close()

    assert blocker.args[0].nowplaying_file == "/srv/last.txt"


# -- browse buttons ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["nowplaying_file", "nowplaying_art_file"])
def test_browse_applies_the_chosen_path(qtbot, window, monkeypatch, current, name):
    asked: list[tuple[Any, ...]] = []

    def fake_dialog(*args: Any, **kwargs: Any) -> tuple[str, str]:
        asked.append(args)
        return "/chosen/place", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake_dialog)

    with qtbot.waitSignal(window.settings_changed, timeout=100) as blocker:
        widgets.browse_button(window, name).click()

    assert differences(current, blocker.args[0]) == {name: "/chosen/place"}
    assert widgets.setting_editors(window)[name].text() == "/chosen/place"
    assert asked and asked[0][0] is window


def test_cancelling_browse_changes_nothing(qtbot, window, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))

    with qtbot.assertNotEmitted(window.settings_changed):
        widgets.browse_button(window, "nowplaying_file").click()


# -- account and footer -------------------------------------------------------------------


def test_set_account_toggles_log_in_and_log_out(qtbot, window):
    window.set_account("Ada Lovelace")
    assert widgets.account_text(window) == "Logged in as Ada Lovelace"
    assert widgets.button(window, "accountButton").text() == "Log out"
    with qtbot.waitSignal(window.logout_requested), qtbot.assertNotEmitted(window.login_requested):
        widgets.button(window, "accountButton").click()

    window.set_account(None)
    assert widgets.account_text(window) == "Not logged in"
    assert widgets.button(window, "accountButton").text() == "Log in"
    with qtbot.waitSignal(window.login_requested), qtbot.assertNotEmitted(window.logout_requested):
        widgets.button(window, "accountButton").click()


def test_the_account_name_is_plain_text(window):
    window.set_account("<b>Eve</b>")

    assert widgets.account_text(window) == "Logged in as <b>Eve</b>"
    for label in window.findChildren(QLabel):
        if label.text():
            assert label.textFormat() == Qt.TextFormat.PlainText, label.text()


def test_open_log_folder(qtbot, window):
    with qtbot.waitSignal(window.open_logs_requested):
        widgets.button(window, "openLogsButton").click()


def test_the_window_is_a_normal_titled_window(window):
    assert window.windowTitle() == "Settings"  # shown as "Settings — Now Playing"
    assert not window.windowIcon().isNull()
    assert not window.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert 480 <= window.width() <= 600


def test_editors_are_the_expected_kinds(window):
    kinds: dict[str, Callable[[Any], bool]] = {
        "client_id": lambda e: isinstance(e, QLineEdit),
        "redirect_port": lambda e: isinstance(e, QSpinBox),
        "poll_interval_s": lambda e: isinstance(e, QSpinBox),
        "tooltip_template": lambda e: isinstance(e, QPlainTextEdit),
        "nowplaying_template": lambda e: isinstance(e, QPlainTextEdit),
        "nowplaying_file": lambda e: isinstance(e, QLineEdit),
        "nowplaying_art_file": lambda e: isinstance(e, QLineEdit),
        "autostart": lambda e: isinstance(e, ToggleSwitch),
    }
    editors = widgets.setting_editors(window)
    for name, check in kinds.items():
        assert check(editors[name]), name


def test_values_from_the_environment_are_shown_locked(qtbot):
    from_env = Settings(client_id=CLIENT_B, env_overrides=frozenset({"client_id"}))
    window = SettingsWindow(from_env)
    qtbot.addWidget(window)

    editor = widgets.setting_editors(window)["client_id"]
    assert editor.text() == CLIENT_B
    assert not editor.isEnabled()
    assert "environment" in editor.toolTip()
    assert widgets.setting_editors(window)["redirect_port"].isEnabled()


def test_scrolling_the_page_over_an_unfocused_number_box_leaves_it_alone(qtbot, window):
    box = widgets.setting_editors(window)["redirect_port"]
    widgets.setting_editors(window)["client_id"].setFocus()
    qtbot.waitUntil(lambda: not box.hasFocus())
    centre = QPointF(box.rect().center())
    wheel = QWheelEvent(
        centre,
        QPointF(box.mapToGlobal(box.rect().center())),
        QPoint(0, 0),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )

    with qtbot.assertNotEmitted(window.settings_changed):
        QApplication.sendEvent(box, wheel)

    assert box.value() == 8974


def test_escape_closes_the_window(qtbot, window):
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    QTest.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.isVisible())
