"""The first-run setup window: client ID validation, copying, links and login states."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel

from nowplaying_tray.core.errors import (
    InvalidClientId,
    KeyringUnavailable,
    LoginCancelled,
    LoginTimedOut,
    NotAllowListed,
    OwnerPremiumRequired,
)
from nowplaying_tray.core.settings import redirect_uri_for
from nowplaying_tray.ui.setup_window import (
    DASHBOARD_URL,
    LOGGING_IN_TEXT,
    SetupWindow,
)

URI = redirect_uri_for(8974)
CLIENT_ID = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def window(qtbot) -> SetupWindow:
    widget = SetupWindow(URI)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def type_client_id(window: SetupWindow, text: str) -> None:
    window.client_id_edit().setText(text)


# -- the client ID ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("0123456789abcdef", "this one has 16"),
        (CLIENT_ID + "0", "this one has 33"),
        (CLIENT_ID[:-1] + "g", "“g” is not one of them"),
        ("0123456789abcdef 0123456789abcdef", "a space is not one of them"),
        ("https://developer.spotify.com/dashboard", "“h” is not one of them"),
    ],
)
def test_an_invalid_client_id_is_refused_with_a_reason(qtbot, window, text, why):
    type_client_id(window, text)

    assert not window.login_button().isEnabled()
    assert "A client ID is 32 characters of 0–9 and a–f" in window.hint_text()
    assert why in window.hint_text()
    with qtbot.assertNotEmitted(window.login_requested):
        qtbot.keyClick(window.client_id_edit(), Qt.Key.Key_Return)
        window.login_button().click()


def test_an_empty_client_id_disables_login_without_scolding(window):
    type_client_id(window, "")

    assert not window.login_button().isEnabled()
    assert window.hint_text() == ""


@pytest.mark.parametrize("pasted", [f"  {CLIENT_ID}  ", f"\n{CLIENT_ID}\n", f"\t{CLIENT_ID}"])
def test_a_pasted_client_id_with_whitespace_is_accepted_stripped(qtbot, window, pasted):
    type_client_id(window, pasted)

    assert window.login_button().isEnabled()
    assert window.client_id_text() == CLIENT_ID
    assert window.client_id_edit().text() == CLIENT_ID
    assert "looks like a client ID" in window.hint_text()
    with qtbot.waitSignal(window.login_requested) as blocker:
        window.login_button().click()
    assert blocker.args == [CLIENT_ID]


def test_upper_case_hex_is_a_valid_client_id(qtbot, window):
    type_client_id(window, CLIENT_ID.upper())

    assert window.login_button().isEnabled()


def test_enter_in_the_field_logs_in_when_valid(qtbot, window):
    type_client_id(window, CLIENT_ID)

    with qtbot.waitSignal(window.login_requested) as blocker:
        qtbot.keyClick(window.client_id_edit(), Qt.Key.Key_Return)
    assert blocker.args == [CLIENT_ID]


def test_a_client_id_given_at_start_is_shown_and_ready(qtbot):
    window = SetupWindow(URI, client_id=f" {CLIENT_ID} ")
    qtbot.addWidget(window)

    assert window.client_id_text() == CLIENT_ID
    assert window.login_button().isEnabled()


# -- the redirect URI and the link ----------------------------------------------------


def test_copy_puts_the_exact_redirect_uri_on_the_clipboard(qtbot, window):
    QGuiApplication.clipboard().setText("something else")

    with qtbot.waitSignal(window.copy_requested) as blocker:
        window.copy_button().click()

    assert QGuiApplication.clipboard().text() == URI
    assert blocker.args == [URI]
    assert window.copy_button().text() == "Copied"
    qtbot.waitUntil(lambda: window.copy_button().text() == "Copy", timeout=5000)


def test_a_new_redirect_uri_is_shown_and_copied(qtbot, window):
    window.copy_button().click()
    new_uri = redirect_uri_for(9100)

    window.set_redirect_uri(new_uri)
    assert window.copy_button().text() == "Copy"
    window.copy_button().click()

    assert QGuiApplication.clipboard().text() == new_uri


def test_the_redirect_uri_field_is_read_only_and_selectable(window):
    field = next(e for e in window.findChildren(type(window.client_id_edit())) if e.isReadOnly())

    assert field.text() == URI
    field.selectAll()
    assert field.selectedText() == URI


def test_the_dashboard_link_asks_to_open_the_dashboard(qtbot, window):
    with qtbot.waitSignal(window.link_requested) as blocker:
        window.dashboard_link().click()

    assert blocker.args == [DASHBOARD_URL]
    assert DASHBOARD_URL == "https://developer.spotify.com/dashboard"


# -- login states ---------------------------------------------------------------------


def test_logging_in_disables_input_and_offers_cancel(qtbot, window):
    type_client_id(window, CLIENT_ID)

    window.show_logging_in()

    assert window.status_text() == LOGGING_IN_TEXT
    assert not window.client_id_edit().isEnabled()
    assert not window.login_button().isVisible()
    assert window.cancel_button().isVisible()
    assert window.is_spinning()
    with qtbot.assertNotEmitted(window.login_requested):
        qtbot.keyClick(window.client_id_edit(), Qt.Key.Key_Return)
    with qtbot.waitSignal(window.cancel_requested):
        window.cancel_button().click()


def test_logged_in_shows_the_name_and_done_closes(qtbot, window):
    window.show_logging_in()

    window.show_logged_in("Ada Lovelace")

    assert window.status_text() == "Logged in as Ada Lovelace"
    assert not window.is_spinning()
    assert not window.cancel_button().isVisible()
    window.done_button().click()
    assert not window.isVisible()


def test_names_and_messages_are_plain_text(window):
    window.show_logged_in("<b>Eve</b> & <i>co</i>")

    assert window.status_text() == "Logged in as <b>Eve</b> & <i>co</i>"
    for label in window.findChildren(QLabel):
        if label.text():
            assert label.textFormat() == Qt.TextFormat.PlainText, label.text()


@pytest.mark.parametrize(
    "error", [LoginTimedOut(), LoginCancelled(), InvalidClientId(), KeyringUnavailable()]
)
def test_an_error_shows_its_message_and_gives_the_inputs_back(window, error):
    type_client_id(window, CLIENT_ID)
    window.show_logging_in()

    window.show_error(error)

    assert window.error_text() == error.message
    assert window.status_text() == ""
    assert window.client_id_edit().isEnabled()
    assert window.login_button().isVisible()
    assert window.login_button().isEnabled()
    assert not window.development_note_highlighted()


@pytest.mark.parametrize("error", [NotAllowListed(), OwnerPremiumRequired()])
def test_development_mode_refusals_point_at_the_explanation(window, error):
    window.show_logging_in()

    window.show_error(error)

    assert window.development_note_highlighted()
    assert window.error_text() == error.message
    note = window.development_note_text()
    assert "development mode" in note
    assert "Premium" in note
    assert "at most 5 accounts" in note
    assert "User Management" in note


def test_a_new_attempt_clears_the_previous_error(qtbot, window):
    type_client_id(window, CLIENT_ID)
    window.show_error(NotAllowListed())

    with qtbot.waitSignal(window.login_requested):
        window.login_button().click()

    assert window.error_text() == ""
    assert not window.development_note_highlighted()


def test_the_development_mode_note_is_always_there(window):
    assert window.development_note_text().startswith("Spotify apps start in development mode")
    assert not window.development_note_highlighted()


def test_the_window_is_a_normal_titled_window(window):
    assert window.windowTitle() == "Set up"  # shown as "Set up — Now Playing"
    assert not window.windowIcon().isNull()
    assert not window.windowFlags() & Qt.WindowType.FramelessWindowHint
