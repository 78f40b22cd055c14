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
from nowplaying_tray.ui.setup.window import (
    DASHBOARD_URL,
    LOGGING_IN_TEXT,
    SetupWindow,
)
from tests.support import widgets

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
    widgets.line_edit(window, "clientId").setText(text)


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

    assert not widgets.button(window, "loginButton").isEnabled()
    assert "A client ID is 32 characters of 0–9 and a–f" in widgets.text(window, "hint")
    assert why in widgets.text(window, "hint")
    with qtbot.assertNotEmitted(window.login_requested):
        qtbot.keyClick(widgets.line_edit(window, "clientId"), Qt.Key.Key_Return)
        widgets.button(window, "loginButton").click()


def test_an_empty_client_id_disables_login_without_scolding(window):
    type_client_id(window, "")

    assert not widgets.button(window, "loginButton").isEnabled()
    assert widgets.text(window, "hint") == ""


@pytest.mark.parametrize("pasted", [f"  {CLIENT_ID}  ", f"\n{CLIENT_ID}\n", f"\t{CLIENT_ID}"])
def test_a_pasted_client_id_with_whitespace_is_accepted_stripped(qtbot, window, pasted):
    type_client_id(window, pasted)

    assert widgets.button(window, "loginButton").isEnabled()
    assert widgets.line_edit(window, "clientId").text().strip() == CLIENT_ID
    assert widgets.line_edit(window, "clientId").text() == CLIENT_ID
    assert "looks like a client ID" in widgets.text(window, "hint")
    with qtbot.waitSignal(window.login_requested) as blocker:
        widgets.button(window, "loginButton").click()
    assert blocker.args == [CLIENT_ID]


def test_upper_case_hex_is_a_valid_client_id(qtbot, window):
    type_client_id(window, CLIENT_ID.upper())

    assert widgets.button(window, "loginButton").isEnabled()


def test_enter_in_the_field_logs_in_when_valid(qtbot, window):
    type_client_id(window, CLIENT_ID)

    with qtbot.waitSignal(window.login_requested) as blocker:
        qtbot.keyClick(widgets.line_edit(window, "clientId"), Qt.Key.Key_Return)
    assert blocker.args == [CLIENT_ID]


def test_a_client_id_given_at_start_is_shown_and_ready(qtbot):
    window = SetupWindow(URI, client_id=f" {CLIENT_ID} ")
    qtbot.addWidget(window)

    assert widgets.line_edit(window, "clientId").text().strip() == CLIENT_ID
    assert widgets.button(window, "loginButton").isEnabled()


# -- the redirect URI and the link ----------------------------------------------------


def test_copy_puts_the_exact_redirect_uri_on_the_clipboard(qtbot, window):
    QGuiApplication.clipboard().setText("something else")

    with qtbot.waitSignal(window.copy_requested) as blocker:
        widgets.button(window, "copyButton").click()

    assert QGuiApplication.clipboard().text() == URI
    assert blocker.args == [URI]
    assert widgets.button(window, "copyButton").text() == "Copied"
    qtbot.waitUntil(lambda: widgets.button(window, "copyButton").text() == "Copy", timeout=5000)


def test_a_new_redirect_uri_is_shown_and_copied(qtbot, window):
    widgets.button(window, "copyButton").click()
    new_uri = redirect_uri_for(9100)

    window.set_redirect_uri(new_uri)
    assert widgets.button(window, "copyButton").text() == "Copy"
    widgets.button(window, "copyButton").click()

    assert QGuiApplication.clipboard().text() == new_uri


def test_the_redirect_uri_field_is_read_only_and_selectable(window):
    field = widgets.line_edit(window, "redirectUri")
    assert field.isReadOnly()

    assert field.text() == URI
    field.selectAll()
    assert field.selectedText() == URI


def test_the_dashboard_link_asks_to_open_the_dashboard(qtbot, window):
    with qtbot.waitSignal(window.link_requested) as blocker:
        widgets.button(window, "dashboardLink").click()

    assert blocker.args == [DASHBOARD_URL]
    assert DASHBOARD_URL == "https://developer.spotify.com/dashboard"


# -- login states ---------------------------------------------------------------------


def test_logging_in_disables_input_and_offers_cancel(qtbot, window):
    type_client_id(window, CLIENT_ID)

    window.show_logging_in()

    assert widgets.setup_status(window) == LOGGING_IN_TEXT
    assert not widgets.line_edit(window, "clientId").isEnabled()
    assert not widgets.button(window, "loginButton").isVisible()
    assert widgets.button(window, "cancelButton").isVisible()
    assert widgets.spinning(window)
    with qtbot.assertNotEmitted(window.login_requested):
        qtbot.keyClick(widgets.line_edit(window, "clientId"), Qt.Key.Key_Return)
    with qtbot.waitSignal(window.cancel_requested):
        widgets.button(window, "cancelButton").click()


def test_logged_in_shows_the_name_and_done_closes(qtbot, window):
    window.show_logging_in()

    window.show_logged_in("Ada Lovelace")

    assert widgets.setup_status(window) == "Logged in as Ada Lovelace"
    assert not widgets.spinning(window)
    assert not widgets.button(window, "cancelButton").isVisible()
    widgets.button(window, "doneButton").click()
    assert not window.isVisible()


def test_names_and_messages_are_plain_text(window):
    window.show_logged_in("<b>Eve</b> & <i>co</i>")

    assert widgets.setup_status(window) == "Logged in as <b>Eve</b> & <i>co</i>"
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

    assert widgets.banner_text(window, "errorBanner") == error.message
    assert widgets.setup_status(window) == ""
    assert widgets.line_edit(window, "clientId").isEnabled()
    assert widgets.button(window, "loginButton").isVisible()
    assert widgets.button(window, "loginButton").isEnabled()
    assert not widgets.highlighted(window, "developmentNote")


@pytest.mark.parametrize("error", [NotAllowListed(), OwnerPremiumRequired()])
def test_development_mode_refusals_point_at_the_explanation(window, error):
    window.show_logging_in()

    window.show_error(error)

    assert widgets.highlighted(window, "developmentNote")
    assert widgets.banner_text(window, "errorBanner") == error.message
    note = widgets.banner_text(window, "developmentNote")
    assert "development mode" in note
    assert "Premium" in note
    assert "at most 5 accounts" in note
    assert "User Management" in note


def test_a_new_attempt_clears_the_previous_error(qtbot, window):
    type_client_id(window, CLIENT_ID)
    window.show_error(NotAllowListed())

    with qtbot.waitSignal(window.login_requested):
        widgets.button(window, "loginButton").click()

    assert widgets.banner_text(window, "errorBanner") == ""
    assert not widgets.highlighted(window, "developmentNote")


def test_the_development_mode_note_is_always_there(window):
    note = widgets.banner_text(window, "developmentNote")
    assert note.startswith("Spotify apps start in development mode")
    assert not widgets.highlighted(window, "developmentNote")


def test_the_window_is_a_normal_titled_window(window):
    assert window.windowTitle() == "Set up"  # shown as "Set up — Now Playing"
    assert not window.windowIcon().isNull()
    assert not window.windowFlags() & Qt.WindowType.FramelessWindowHint
