"""First-run setup: walks the person through registering a Spotify app, then logs in.

The window only shows states (``show_*``) and reports what the person asked for
as signals; saving the client ID, opening the browser and the login itself are
the app's job. Copying the redirect URI is done here: the clipboard is not I/O.
"""

from __future__ import annotations

import enum
import logging

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QGuiApplication,
    QKeySequence,
    QShortcut,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from nowplaying_tray.core.errors import NotAllowListed, NowPlayingError
from nowplaying_tray.ui import dialog_style, icons
from nowplaying_tray.ui.client_id import client_id_problem
from nowplaying_tray.ui.setup.parts import Banner, Spinner, Step, button_row, same_width

logger = logging.getLogger(__name__)

DASHBOARD_URL = "https://developer.spotify.com/dashboard"
# Qt adds " — Now Playing" (the application display name) on most desktops.
WINDOW_TITLE = "Set up"
WINDOW_WIDTH = 580
LOGGING_IN_TEXT = "Finish logging in in your browser…"
COPY_TEXT = "Copy"
COPIED_TEXT = "Copied"
COPIED_RESET_MS = 2000
DEVELOPMENT_MODE_TITLE = "About development mode"
DEVELOPMENT_MODE_TEXT = (
    "Spotify apps start in development mode: the app's owner needs Spotify Premium, "
    "and at most 5 accounts can use it. If you listen with another account than the "
    "one that created the app, add it under User Management."
)


class _Phase(enum.Enum):
    EDITING = "editing"
    LOGGING_IN = "logging-in"
    LOGGED_IN = "logged-in"


class SetupWindow(QWidget):
    """Onboarding: register a Spotify app, paste its client ID, log in."""

    login_requested = Signal(str)
    """A valid client ID, stripped: save it and log in."""
    cancel_requested = Signal()
    """The person gave up on the login in progress."""
    link_requested = Signal(str)
    """A web address to open in the browser."""
    copy_requested = Signal(str)
    """The text just put on the clipboard (already copied here)."""

    def __init__(
        self, redirect_uri: str, client_id: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._phase = _Phase.EDITING
        self.setObjectName("setupWindow")
        self.setWindowTitle(WINDOW_TITLE)
        dialog_style.apply_window_style(self)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)  # as Settings does

        self._copy_reset = QTimer(self)
        self._copy_reset.setSingleShot(True)
        self._copy_reset.setInterval(COPIED_RESET_MS)
        self._copy_reset.timeout.connect(self._reset_copy_button)

        body = self._build_body()
        self._scroll = dialog_style.scroll_page(body, self)
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.addWidget(self._scroll)

        self.set_redirect_uri(redirect_uri)
        self._client_id.setText(client_id.strip())
        self._render()
        dialog_style.fit_to_screen(self, WINDOW_WIDTH, body, 0)

    # -- construction -------------------------------------------------------------

    def _build_body(self) -> QWidget:
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(32, 28, 32, 28)
        layout.setSpacing(0)
        layout.addLayout(self._build_header(body))
        layout.addSpacing(26)
        for index, step in enumerate(self._build_steps(body)):
            if index:
                layout.addSpacing(22)
            layout.addWidget(step)
        layout.addSpacing(26)
        layout.addWidget(self._build_development_note(body))
        layout.addStretch(1)
        return body

    def _build_header(self, parent: QWidget) -> QHBoxLayout:
        logo = QLabel(parent)
        logo.setPixmap(icons.app_icon().pixmap(QSize(52, 52), self.devicePixelRatioF()))
        logo.setFixedSize(52, 52)
        title = dialog_style.text_label("Connect to Spotify", "pageTitle", parent)
        subtitle = dialog_style.text_label(
            "Spotify playing on this computer is shown already, with no account. A login "
            "adds your other devices (phone, speakers, web player) and Save to Your "
            "Library, through a Spotify app of your own. Setting one up is free and takes "
            "about two minutes.",
            "pageSubtitle",
            parent,
        )
        column = QVBoxLayout()
        column.setSpacing(4)
        column.addWidget(title)
        column.addWidget(subtitle)
        header = QHBoxLayout()
        header.setSpacing(16)
        header.addWidget(logo, 0, Qt.AlignmentFlag.AlignTop)
        header.addLayout(column, 1)
        return header

    def _build_steps(self, parent: QWidget) -> list[Step]:
        create = Step(
            1,
            "Create an app on Spotify for Developers",
            "Log in with your Spotify account and click “Create app”. "
            "Any name and description will do.",
            parent,
        )
        self._dashboard_link = dialog_style.link_button("Open developer.spotify.com", parent)
        self._dashboard_link.setObjectName("dashboardLink")
        self._dashboard_link.setToolTip(DASHBOARD_URL)
        self._dashboard_link.clicked.connect(lambda: self.link_requested.emit(DASHBOARD_URL))
        create.add_widget(self._dashboard_link, align_left=True)

        redirect = Step(
            2,
            "Add this redirect URI",
            "Paste it under “Redirect URIs” and click Add. It has to match exactly.",
            parent,
        )
        self._redirect = QLineEdit(parent)
        self._redirect.setObjectName("redirectUri")
        self._redirect.setReadOnly(True)
        self._redirect.setFont(dialog_style.mono_font())
        self._redirect.setAccessibleName("Redirect URI")
        self._copy = dialog_style.button(COPY_TEXT, "small", parent)
        self._copy.setObjectName("copyButton")
        self._copy.setToolTip("Copy the redirect URI")
        self._copy.clicked.connect(self._copy_redirect_uri)
        same_width(self._copy, (COPY_TEXT, COPIED_TEXT))
        redirect.add_row(self._redirect, self._copy)

        api = Step(
            3,
            "Pick “Web API”",
            "Under “Which API/SDKs are you planning to use?”, tick Web API, "
            "accept the terms and click Save.",
            parent,
        )

        paste = Step(
            4,
            "Paste the client ID",
            "Open your app's Settings: the Client ID is at the top of Basic Information.",
            parent,
        )
        self._client_id = QLineEdit(parent)
        self._client_id.setObjectName("clientId")
        self._client_id.setFont(dialog_style.mono_font())
        self._client_id.setPlaceholderText("32 characters, like 1f0e2d3c…")
        self._client_id.setAccessibleName("Client ID")
        self._client_id.setClearButtonEnabled(True)
        self._client_id.textChanged.connect(self._validate)
        self._client_id.returnPressed.connect(self._submit)
        self._hint = dialog_style.text_label("", "hint", parent)
        paste.add_widget(self._client_id)
        paste.add_widget(self._hint)

        login = Step(5, "Log in", "Click Log in, then allow access in your browser.", parent)
        self._build_login_controls(login, parent)
        return [create, redirect, api, paste, login]

    def _build_login_controls(self, step: Step, parent: QWidget) -> None:
        self._login = dialog_style.button("Log in", "primary", parent)
        self._login.setObjectName("loginButton")
        self._login.clicked.connect(self._submit)
        step.add_row(self._login, stretch_first=False)

        self._spinner = Spinner(18, parent)
        self._progress = dialog_style.text_label(LOGGING_IN_TEXT, "rowTitle", parent)
        self._cancel = dialog_style.button("Cancel", "small", parent)
        self._cancel.setObjectName("cancelButton")
        self._cancel.clicked.connect(self.cancel_requested)
        self._progress_row = button_row(parent, self._spinner, self._progress, self._cancel)
        self._progress_row.setObjectName("loginProgress")
        step.add_widget(self._progress_row)

        self._success = Banner("loggedInBanner", parent=parent)
        self._success.set_tone("ok")
        self._done = dialog_style.button("Done", "primary", parent)
        self._done.setObjectName("doneButton")
        self._done.clicked.connect(self.close)
        self._success.add_widget(self._done)
        step.add_widget(self._success)

        self._error = Banner("errorBanner", parent=parent)
        self._error.set_tone("error")
        self._error.hide()
        step.add_widget(self._error)

    def _build_development_note(self, parent: QWidget) -> Banner:
        self._development = Banner(
            "developmentNote", DEVELOPMENT_MODE_TITLE, DEVELOPMENT_MODE_TEXT, parent
        )
        link = dialog_style.link_button("Manage users on the dashboard", parent)
        link.clicked.connect(lambda: self.link_requested.emit(DASHBOARD_URL))
        self._development.add_widget(link)
        return self._development

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._phase is _Phase.EDITING and self.focusWidget() is None:
            # Ready for a paste; the steps above are read, not typed into.
            self._client_id.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- public API ---------------------------------------------------------------

    def set_redirect_uri(self, uri: str) -> None:
        self._redirect.setText(uri)
        self._redirect.setCursorPosition(0)
        self._reset_copy_button()

    def show_logging_in(self) -> None:
        self._phase = _Phase.LOGGING_IN
        self._clear_error()
        self._render()
        self._reveal(self._progress_row)

    def show_logged_in(self, name: str) -> None:
        self._phase = _Phase.LOGGED_IN
        self._clear_error()
        shown = " ".join(name.split()) or "your Spotify account"
        self._success.set_content(
            f"Logged in as {shown}",
            "You're all set. Now Playing lives in your system tray: click its icon "
            "to see what is playing.",
        )
        self._render()
        self._reveal(self._success)
        self._done.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_error(self, error: NowPlayingError) -> None:
        self._phase = _Phase.EDITING
        self._error.set_content(error.title, error.message)
        self._error.show()
        # Development-mode refusals are what the note explains: point at it.
        development = isinstance(error, NotAllowListed)
        self._development.set_tone("warning" if development else "info")
        logger.info("Setup shows an error: %s", error.title)
        self._render()
        self._reveal(self._development if development else self._error)

    # -- behaviour ----------------------------------------------------------------

    def _valid_client_id(self) -> str | None:
        value = self._client_id.text().strip()
        ok = bool(value) and client_id_problem(value) is None
        return value if ok else None

    def _validate(self) -> None:
        text = self._client_id.text()
        if text != text.strip() and client_id_problem(text) is None:
            # A pasted ID often brings spaces or a line break along: drop them.
            self._client_id.setText(text.strip())
            return  # setText runs this again
        problem = client_id_problem(self._client_id.text())
        if problem is not None:
            self._hint.setText(problem)
            dialog_style.set_tone(self._hint, "error")
        elif self._client_id.text().strip():
            self._hint.setText("✓ That looks like a client ID.")
            dialog_style.set_tone(self._hint, "ok")
        else:
            self._hint.setText("")
        self._hint.setVisible(bool(self._hint.text()))
        dialog_style.set_tone(self._client_id, "error" if problem else "")
        valid = self._valid_client_id() is not None
        self._login.setEnabled(self._phase is _Phase.EDITING and valid)

    def _submit(self) -> None:
        client_id = self._valid_client_id()
        if self._phase is not _Phase.EDITING or client_id is None:
            return
        self._clear_error()
        logger.info("Login requested from the setup window")
        self.login_requested.emit(client_id)

    def _copy_redirect_uri(self) -> None:
        text = self._redirect.text()
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(text)
        self._copy.setText(COPIED_TEXT)
        self._copy_reset.start()
        self.copy_requested.emit(text)

    def _reset_copy_button(self) -> None:
        self._copy_reset.stop()
        self._copy.setText(COPY_TEXT)

    def _clear_error(self) -> None:
        self._error.hide()
        self._development.set_tone("info")

    def _render(self) -> None:
        editing = self._phase is _Phase.EDITING
        self._client_id.setEnabled(editing)
        self._login.setVisible(editing)
        self._progress_row.setVisible(self._phase is _Phase.LOGGING_IN)
        self._success.setVisible(self._phase is _Phase.LOGGED_IN)
        self._validate()
        if editing and self.isVisible():
            self._client_id.setFocus(Qt.FocusReason.OtherFocusReason)

    def _reveal(self, widget: QWidget) -> None:
        # Layouts settle on the next event-loop turn; scroll once they have.
        QTimer.singleShot(0, self, lambda: self._scroll.ensureWidgetVisible(widget, 0, 24))


__all__ = ["DASHBOARD_URL", "DEVELOPMENT_MODE_TEXT", "LOGGING_IN_TEXT", "SetupWindow"]
