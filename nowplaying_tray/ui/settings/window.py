"""The settings window: every preference, applied as soon as it is changed.

There is no OK or Apply button. Switches, choices and numbers apply at once;
text fields apply when editing finishes or after a short pause in typing, and
only when valid (an invalid value gets an inline hint instead). Each change is
emitted as a whole new ``Settings``; saving it and putting it into effect is the
app's job, as are logging in and out and opening the log folder.

This module maps ``Settings`` fields to editors and back; the editors themselves
are in ``editors`` and ``text_fields``, the rows and cards in ``form_layout``, and
the account card in ``account_panel``.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QHideEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from nowplaying_tray import __version__
from nowplaying_tray.core.budget import BudgetView
from nowplaying_tray.core.settings import SETTING_RANGES, Settings
from nowplaying_tray.ui import dialog_style
from nowplaying_tray.ui.client_id import client_id_problem
from nowplaying_tray.ui.settings.account_panel import AccountPanel
from nowplaying_tray.ui.settings.budget_bar import BudgetBar, budget_row
from nowplaying_tray.ui.settings.editors import Editor, NumberBox, SegmentedChoice, ToggleSwitch
from nowplaying_tray.ui.settings.form_layout import SettingRow, section
from nowplaying_tray.ui.settings.lyrics_section import lyrics_section
from nowplaying_tray.ui.settings.overlay_section import overlay_section
from nowplaying_tray.ui.settings.port_box import PortBox, redirect_uri_text
from nowplaying_tray.ui.settings.text_fields import (
    PathField,
    TemplateEdit,
    TemplateField,
    TextField,
    template_problem,
)

logger = logging.getLogger(__name__)

# Qt adds " — Now Playing" (the application display name) on most desktops.
WINDOW_TITLE = "Settings"
WINDOW_WIDTH = 540
PORT_RANGE = SETTING_RANGES["redirect_port"]
POLL_RANGE_S = SETTING_RANGES["poll_interval_s"]
ENVIRONMENT_NOTE = "Set by an environment variable for this run"


class SettingsWindow(QWidget):
    """Every setting, applied as soon as it is changed."""

    settings_changed = Signal(Settings)
    """The current settings with one change applied."""
    logout_requested = Signal()
    """The person asked to log out."""
    login_requested = Signal()
    """The person asked to log in."""
    open_logs_requested = Signal()
    """The person asked to see the log folder."""

    def __init__(
        self,
        settings: Settings,
        budget: Callable[[], BudgetView] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._budget_view = budget
        self.budget_bar: BudgetBar | None = None
        self._editors: dict[str, Editor] = {}
        self._text_fields: dict[str, TextField] = {}
        self._notification_options: list[SettingRow] = []
        self.setObjectName("settingsWindow")
        self.setWindowTitle(WINDOW_TITLE)
        self.setMinimumWidth(440)
        # Escape closes it, like a dialog (every change is already applied).
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)
        dialog_style.apply_window_style(self)

        body = self._build_body()
        footer = self._build_footer()
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)
        root.addWidget(dialog_style.scroll_page(body, self), 1)
        root.addWidget(dialog_style.divider(self))
        root.addWidget(footer)

        for name, editor in self._editors.items():
            editor.set_value(getattr(settings, name))
            editor.committed.connect(functools.partial(self._apply, name))
        self._sync_dependents()
        dialog_style.fit_to_screen(self, WINDOW_WIDTH, body, footer.sizeHint().height() + 1)

    # -- public API -----------------------------------------------------------------

    def set_settings(self, settings: Settings) -> None:
        """Show ``settings`` without emitting. Only fields whose value differs from
        the last settings are touched, so an echo of our own change does not undo
        typing that is still in progress in another field."""
        previous, self._settings = self._settings, settings
        for name, editor in self._editors.items():
            if getattr(settings, name) != getattr(previous, name):
                editor.set_value(getattr(settings, name))
        self._sync_dependents()

    def set_account(self, name: str | None) -> None:
        self._account.set_account(name)

    def settings(self) -> Settings:
        return self._settings

    # -- applying -------------------------------------------------------------------

    def _apply(self, name: str, value: object) -> None:
        if isinstance(getattr(self._settings, name), float):
            value = float(value)  # type: ignore[arg-type]
        if getattr(self._settings, name) == value:
            return
        self._settings = self._settings.with_changes(**{name: value})
        self._sync_dependents()
        logger.debug("Setting %s changed", name)
        self.settings_changed.emit(self._settings)

    def _sync_dependents(self) -> None:
        self._redirect_uri.setText(redirect_uri_text(self._settings.redirect_port))
        self._enable_notification_options(self._settings.notifications)
        # A value from an environment variable wins for this run and is never saved,
        # so editing it here would do nothing lasting: show it, locked.
        for name, editor in self._editors.items():
            widget = editor.input_widget()
            locked = name in self._settings.env_overrides
            widget.setEnabled(not locked)
            widget.setToolTip(ENVIRONMENT_NOTE if locked else "")

    def _enable_notification_options(self, on: bool) -> None:
        for row in self._notification_options:
            row.setEnabled(on)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self.focusWidget() is None:
            # Otherwise Qt focuses the first button, which then looks highlighted.
            self._body.setFocus(Qt.FocusReason.OtherFocusReason)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        # Closing the window must not lose what was typed during the pause.
        for field in self._text_fields.values():
            field.flush()
        super().hideEvent(event)

    # -- construction ---------------------------------------------------------------

    def _register(self, name: str, editor: Editor) -> None:
        # Each input is named after its setting, for accessibility tools and tests.
        editor.input_widget().setObjectName(name)
        if isinstance(editor, QWidget) and editor is not editor.input_widget():
            editor.setObjectName(f"{name}Field")
        self._editors[name] = editor
        if isinstance(editor, TextField):
            self._text_fields[name] = editor

    def _build_body(self) -> QWidget:
        body = self._body = QWidget(self)
        body.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # a click on empty space ends editing
        layout = QVBoxLayout(body)
        layout.setContentsMargins(24, 22, 24, 24)
        layout.setSpacing(24)
        self._account = AccountPanel(body)
        self._account.login_requested.connect(self.login_requested)
        self._account.logout_requested.connect(self.logout_requested)
        layout.addWidget(section("Account", [self._account], body))
        for build in (
            self._spotify_section,
            self._polling_section,
            self._notifications_section,
            self._tray_section,
            lambda parent: lyrics_section(parent, self._register),
            self._file_section,
            lambda parent: overlay_section(parent, self._register),
        ):
            layout.addWidget(build(body))
        layout.addStretch(1)
        return body

    def _build_footer(self) -> QWidget:
        footer = QWidget(self)
        self._open_logs = dialog_style.link_button("Open log folder", footer)
        self._open_logs.setObjectName("openLogsButton")
        self._open_logs.clicked.connect(self.open_logs_requested)
        version = dialog_style.text_label(f"Version {__version__}", "rowText", footer)
        version.setWordWrap(False)
        layout = QHBoxLayout(footer)
        layout.setContentsMargins(24, 10, 24, 12)
        layout.addWidget(self._open_logs)
        layout.addStretch(1)
        layout.addWidget(version)
        return footer

    def _spotify_section(self, parent: QWidget) -> QWidget:
        client_id = QLineEdit(parent)
        client_id.setFont(dialog_style.mono_font())
        client_id.setPlaceholderText("32 characters of 0–9 and a–f")
        client_id.setAccessibleName("Client ID")
        client_id_field = TextField(client_id, _client_id_problem, parent=parent)
        self._register("client_id", client_id_field)
        id_row = SettingRow(
            "Client ID", "From your app's page on developer.spotify.com.", parent=parent
        )
        id_row.add_below(client_id_field)

        port = self._port = PortBox("Redirect port", PORT_RANGE, parent=parent)
        self._register("redirect_port", port)
        self._redirect_uri = QLabel(parent)
        self._redirect_uri.setObjectName("redirectUri")
        self._redirect_uri.setProperty("mono", True)  # the style sheet's hook
        self._redirect_uri.setTextFormat(Qt.TextFormat.PlainText)
        self._redirect_uri.setFont(dialog_style.mono_font(12))
        self._redirect_uri.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._redirect_uri.setCursor(Qt.CursorShape.IBeamCursor)
        port.show_uri_in(self._redirect_uri)
        port_row = SettingRow(
            "Redirect port",
            "Register this exact URI in your Spotify app:",
            port,
            parent,
        )
        port_row.add_below(self._redirect_uri)
        return section("Spotify app", [id_row, port_row], parent)

    def _polling_section(self, parent: QWidget) -> QWidget:
        interval = NumberBox("Check every", POLL_RANGE_S, " s", parent)
        self._register("poll_interval_s", interval)
        row = SettingRow(
            "Check every",
            "While something plays. Lower = quicker to notice skips from other devices; "
            "more requests.",
            interval,
            parent,
        )
        rows: list[QWidget] = [row]
        if self._budget_view is not None:
            budget, self.budget_bar = budget_row(self._budget_view, parent)
            rows.append(budget)
        return section("Polling", rows, parent)

    def _notifications_section(self, parent: QWidget) -> QWidget:
        rows = []
        for name, title, text in (
            ("notifications", "Show notifications", "When a new track starts."),
            ("notify_at_startup", "At start-up", "Also for what is playing when the app starts."),
            ("notify_episodes", "For podcast episodes", ""),
            ("notify_ads", "For ads", ""),
        ):
            switch = ToggleSwitch(title, parent)
            self._register(name, switch)
            row = SettingRow(title, text, switch, parent)
            if name != "notifications":
                row.indent(20)
                self._notification_options.append(row)
            rows.append(row)
        # The sub-options follow the main switch at once, before the change is applied.
        main = self._editors["notifications"]
        assert isinstance(main, ToggleSwitch)
        main.toggled.connect(self._enable_notification_options)
        return section("Notifications", rows, parent)

    def _tray_section(self, parent: QWidget) -> QWidget:
        autostart = ToggleSwitch("Start at login", parent)
        self._register("autostart", autostart)
        start_row = SettingRow(
            "Start at login",
            "Open Now Playing when you log in to this computer.",
            autostart,
            parent,
        )
        tooltip_row = SettingRow("Tooltip", "Shown when you point at the tray icon.", parent=parent)
        tooltip_row.add_below(self._template_field("tooltip_template", parent))
        return section("Tray", [start_row, tooltip_row], parent)

    def _file_section(self, parent: QWidget) -> QWidget:
        text_row = SettingRow("Text file", "Leave empty to write no file.", parent=parent)
        text_row.add_below(
            self._path_field(
                "nowplaying_file", "Write the current track to", "Text files (*.txt)", parent
            )
        )
        template_row = SettingRow("Text", "What the text file says.", parent=parent)
        template_row.add_below(self._template_field("nowplaying_template", parent))
        art_row = SettingRow("Cover image", "Leave empty to save no cover.", parent=parent)
        art_row.add_below(
            self._path_field(
                "nowplaying_art_file",
                "Save the current cover to",
                "Images (*.jpg *.jpeg *.png)",
                parent,
            )
        )
        idle = SegmentedChoice(
            "When nothing plays", [(True, "Clear the file"), (False, "Keep the last track")], parent
        )
        self._register("nowplaying_clear_when_idle", idle)
        idle_row = SettingRow("When nothing plays", "", idle, parent)
        return section(
            "Now-playing file",
            [text_row, template_row, art_row, idle_row],
            parent,
            note="For streaming tools such as OBS: the current track as text, and its cover.",
        )

    def _template_field(self, name: str, parent: QWidget) -> TemplateField:
        field = TemplateField(name.replace("_", " ").capitalize(), parent)
        self._register(name, field)
        return field

    def _path_field(self, name: str, caption: str, kinds: str, parent: QWidget) -> PathField:
        field = PathField(caption, kinds, parent)
        self._register(name, field)
        return field


def _client_id_problem(value: str) -> str | None:
    if not value:
        return "A client ID is needed to log in."
    return client_id_problem(value)


# The widgets now live in their own modules; these names stay importable from here
# for code written against the old single module.
__all__ = [
    "AccountPanel",
    "SegmentedChoice",
    "SettingsWindow",
    "TemplateEdit",
    "TextField",
    "ToggleSwitch",
    "template_problem",
]
