"""The card's contents: cover, text, progress line, volume, buttons and notes.

``PopupWindow`` builds one the first time it is shown or measured, so sessions that
never open the card never pay for its widgets and fonts. It renders the ``CardState``
the window keeps up to date; what it says comes from ``popup.content``.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Mapping
from dataclasses import replace

from PySide6.QtCore import QSize, Qt, Signal, SignalInstance
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QToolButton, QVBoxLayout, QWidget

from nowplaying_tray.core.model import PlaybackState
from nowplaying_tray.core.text import REMOVE_FROM_LIBRARY, SAVE_TO_LIBRARY, format_duration
from nowplaying_tray.ui import icons, style
from nowplaying_tray.ui.popup.content import card_text, control_state, shows_cover
from nowplaying_tray.ui.popup.labels import ElidedLabel, TwoLineLabel, set_text_direction
from nowplaying_tray.ui.popup.lyrics_panel import LyricsPanel
from nowplaying_tray.ui.popup.state import NO_TIME, CardState
from nowplaying_tray.ui.popup.widgets import CardFooter, CoverView, ProgressLine, VolumeSlider

logger = logging.getLogger(__name__)

VOLUME_HOLD_S = 3.0  # the person's volume wins over polls this long
CARD_NAME = "popupCard"


class PopupCard(QWidget):
    """The widgets inside the popup window, drawn from a shared ``CardState``."""

    seek_requested = Signal(int)
    """A position in ms, once per drag or click on the progress line."""
    volume_requested = Signal(int)
    """A volume of 0-100, once per drag of the volume slider."""
    resized = Signal()
    """The content needs a different height (a title went to two lines)."""

    def __init__(
        self,
        state: CardState,
        clock: Callable[[], float],
        clicks: Mapping[str, SignalInstance],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(CARD_NAME)
        self._state = state
        self._clock = clock
        self._build(clicks)
        self.render_all()

    # -- construction ---------------------------------------------------------------

    def _build(self, clicks: Mapping[str, SignalInstance]) -> None:
        self._footer = CardFooter(self)
        root = QVBoxLayout(self)
        root.setContentsMargins(16, 16, 16, 12)
        root.setSpacing(0)
        root.addLayout(self._build_header())
        self._lyrics = LyricsPanel(self)
        self._lyrics.resized.connect(self.resized)
        root.addWidget(self._lyrics)
        root.addSpacing(12)
        root.addLayout(self._build_progress_row())
        root.addSpacing(6)
        root.addLayout(self._build_controls(clicks))
        root.addWidget(self._footer)
        # Tab goes as the eye does: top to bottom, then left to right along the buttons.
        keys = ("save", "previous", "play_pause", "next", "open")
        buttons = [self._buttons[key] for key in keys]
        chain = [self._volume, self._progress, *buttons, self._menu_button]
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)

    def _build_header(self) -> QHBoxLayout:
        self._cover_view = CoverView(self)
        self._title = TwoLineLabel("title", self)
        self._title.lines_changed.connect(self.resized)
        self._artist = ElidedLabel("artist", self)
        self._album = ElidedLabel("album", self)
        self._device = ElidedLabel("device", self)
        self._device_row = self._build_device_row()

        text_column = QVBoxLayout()
        text_column.setSpacing(3)
        text_column.addStretch(1)
        for widget in (self._title, self._artist, self._album):
            text_column.addWidget(widget)
        text_column.addSpacing(5)
        text_column.addWidget(self._device_row)
        text_column.addStretch(1)

        header = QHBoxLayout()
        header.setSpacing(14)
        header.addWidget(self._cover_view, 0, Qt.AlignmentFlag.AlignTop)
        header.addLayout(text_column, 1)
        return header

    def _build_progress_row(self) -> QHBoxLayout:
        self._elapsed = self._time_label("elapsed", Qt.AlignmentFlag.AlignRight)
        self._total = self._time_label("total", Qt.AlignmentFlag.AlignLeft)
        self._progress = ProgressLine(self)
        self._progress.dragged.connect(self._on_seek_dragged)
        self._progress.seek_requested.connect(self._on_seek)
        row = QHBoxLayout()
        row.setSpacing(8)
        row.addWidget(self._elapsed)
        row.addWidget(self._progress, 1)
        row.addWidget(self._total)
        return row

    def _build_controls(self, clicks: Mapping[str, SignalInstance]) -> QHBoxLayout:
        tips = {
            "previous": "Previous",
            "play_pause": "Play",
            "next": "Next",
            "save": SAVE_TO_LIBRARY,
            "open": "Open in Spotify",
        }
        self._buttons = {key: self._button(key, tip, clicks[key]) for key, tip in tips.items()}
        # The window's own menu (Settings, Log in/out, Quit) when there is no tray.
        self._menu_button = self._button("menu", "Menu", None)
        self._menu_button.setIcon(self._glyph("menu"))
        self._menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self._menu_button.setStyleSheet("QToolButton::menu-indicator { image: none; }")
        self._menu_button.hide()
        play = self._buttons["play_pause"]
        play.setFixedSize(style.PLAY_BUTTON_SIZE, style.PLAY_BUTTON_SIZE)
        play.setIconSize(QSize(style.PLAY_ICON_SIZE, style.PLAY_ICON_SIZE))
        for key, glyph in (("open", "open-external"), ("previous", "previous"), ("next", "next")):
            self._buttons[key].setIcon(self._glyph(glyph))
        # Heart left and "open" right balance each other, so the transport
        # buttons sit in the true centre of the card.
        row = QHBoxLayout()
        row.setSpacing(10)
        row.addWidget(self._buttons["save"])
        row.addStretch(1)
        row.addWidget(self._buttons["previous"])
        row.addWidget(play)
        row.addWidget(self._buttons["next"])
        row.addStretch(1)
        row.addWidget(self._buttons["open"])
        row.addWidget(self._menu_button)
        return row

    def _build_device_row(self) -> QWidget:
        row = QWidget(self)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(5)
        speaker = QLabel(row)
        speaker.setObjectName("deviceIcon")
        speaker.setPixmap(self._glyph_pixmap("speaker", style.TEXT_MUTED, 13))
        speaker.setFixedSize(13, 13)
        layout.addWidget(speaker)
        layout.addWidget(self._device, 1)
        self._volume = VolumeSlider(row)
        self._volume.valueChanged.connect(self._on_volume)
        self._volume.hide()
        layout.addWidget(self._volume)
        return row

    def _time_label(self, name: str, align: Qt.AlignmentFlag) -> QLabel:
        label = QLabel(NO_TIME, self)
        label.setObjectName(name)
        label.setAlignment(align | Qt.AlignmentFlag.AlignVCenter)
        label.setTextFormat(Qt.TextFormat.PlainText)
        return label

    def _button(self, key: str, tip: str, signal: SignalInstance | None) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName(key)
        button.setAutoRaise(True)
        button.setFixedSize(style.BUTTON_SIZE, style.BUTTON_SIZE)
        button.setIconSize(QSize(style.ICON_SIZE, style.ICON_SIZE))
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # clicks don't steal focus
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        if signal is not None:
            button.clicked.connect(signal)
        return button

    def _glyph(self, name: str, color: QColor = style.ICON, size: int = style.ICON_SIZE) -> QIcon:
        hover = style.ACCENT_BRIGHT if color == style.ACCENT else style.ICON_HOVER
        return icons.stateful_glyph(
            name, color, active=hover, disabled=style.ICON_DISABLED, size=size
        )

    def _glyph_pixmap(self, name: str, color: QColor, size: int) -> QPixmap:
        return icons.glyph(name, color, size).pixmap(QSize(size, size), self.devicePixelRatioF())

    # -- what the window asks for ---------------------------------------------------

    def set_menu(self, menu: QMenu | None, visible: bool) -> None:
        self._menu_button.setMenu(menu)  # type: ignore[arg-type]  # None removes it
        self._menu_button.setVisible(visible and menu is not None)

    def click_play_pause(self) -> None:
        play = self._buttons["play_pause"]
        if play.isEnabled():
            play.click()

    def refit(self) -> None:
        """Measure heights now: Qt refreshes them lazily, on posted events."""
        self._footer.refit()
        if (layout := self.layout()) is not None:
            layout.invalidate()
        self.updateGeometry()

    # -- rendering ------------------------------------------------------------------

    def render_all(self) -> None:
        self.render_playback()
        self.render_lyrics()
        self.render_notes()

    def render_lyrics(self) -> None:
        self._lyrics.show_lyrics(self._state.lyrics)

    def render_playback(self) -> None:
        self._render_text()
        self.render_cover()
        self.render_controls()
        self.render_progress()

    def render_notes(self) -> None:
        self._footer.set_notes(self._state.message, self._state.status)
        self.refit()

    def render_cover(self) -> None:
        playback = self._state.playback
        self._cover_view.set_pixmap(self._state.cover if shows_cover(playback) else None)

    def _render_text(self) -> None:
        text = card_text(self._state.playback)
        for label, value in (
            (self._title, text.title),
            (self._artist, text.artist),
            (self._album, text.album),
            (self._device, text.device),
        ):
            label.set_full_text(value)
            set_text_direction(label, value)
        self._artist.setVisible(bool(text.artist))
        self._album.setVisible(bool(text.album))
        self._device_row.setVisible(bool(text.device))
        self._render_volume()

    def _render_volume(self) -> None:
        playback = self._state.playback
        volume = playback.volume_percent if playback is not None else None
        idle = playback is None or playback.state is PlaybackState.IDLE
        self._volume.setVisible(volume is not None and not idle)
        set_at = self._state.volume_set_at
        recently_moved = set_at is not None and self._clock() - set_at < VOLUME_HOLD_S
        if volume is not None and not recently_moved:
            # A poll already on its way may still carry the old volume: hold the
            # person's choice for a moment instead of jumping back.
            self._volume.show_value(volume)

    def render_controls(self) -> None:
        state = control_state(self._state.playback, self._state.saved)
        for key in ("previous", "next", "open", "save"):
            self._buttons[key].setEnabled(getattr(state, key))
        for key in ("open", "save"):  # offered only for what Spotify has
            self._buttons[key].setVisible(state.spotify_actions)

        play = self._buttons["play_pause"]
        play.setEnabled(state.play_pause)
        tip = "Pause" if state.playing else "Play"
        play.setIcon(
            icons.stateful_glyph(
                "pause" if state.playing else "play",
                style.PLAY_ICON,
                disabled=style.PLAY_ICON_DISABLED,
                size=style.PLAY_ICON_SIZE,
            )
        )
        play.setToolTip(tip)
        play.setAccessibleName(tip)

        save = self._buttons["save"]
        saved = self._state.saved is True and state.save
        save.setIcon(self._glyph("heart-filled", style.ACCENT) if saved else self._glyph("heart"))
        tip = REMOVE_FROM_LIBRARY if saved else SAVE_TO_LIBRARY
        save.setToolTip(tip)
        save.setAccessibleName(tip)

    def render_progress(self) -> None:
        playback = self._state.playback
        if playback is None or playback.state is PlaybackState.IDLE:
            progress, duration = None, None
        else:
            progress, duration = playback.progress_at(self._clock()), playback.duration_ms
        self._progress.set_progress(progress or 0, duration or 0)
        self._progress.set_seekable(
            playback is not None
            and playback.state is not PlaybackState.IDLE
            and bool(duration)
            and playback.allows("seeking")
        )
        if self._progress.dragging():
            progress = self._progress.value()  # the time under the pointer
        self._elapsed.setText(format_duration(progress) or NO_TIME)
        self._total.setText(format_duration(duration) or NO_TIME)
        self._fit_time_labels(duration)

    def _fit_time_labels(self, duration: int | None) -> None:
        # Same width on both sides keeps the line centred, and reserving the
        # widest digits stops it from twitching as the seconds change.
        sample = format_duration(duration) or "0:00"
        sample = "".join("0" if ch.isdigit() else ch for ch in sample)
        self._elapsed.ensurePolished()
        metrics = self._elapsed.fontMetrics()
        width = max(metrics.horizontalAdvance(sample), metrics.horizontalAdvance(NO_TIME)) + 2
        for label in (self._elapsed, self._total):
            label.setFixedWidth(width)

    # -- seek and volume ------------------------------------------------------------

    def _on_seek_dragged(self, position_ms: int) -> None:
        self._elapsed.setText(format_duration(position_ms) or NO_TIME)

    def _on_seek(self, position_ms: int) -> None:
        playback = self._state.playback
        if playback is None:
            return
        # Show the new position at once; the next poll confirms it.
        self._state.playback = replace(playback, progress_ms=position_ms, read_at=self._clock())
        self.render_progress()
        self.seek_requested.emit(position_ms)

    def _on_volume(self, percent: int) -> None:
        playback = self._state.playback
        if playback is None or playback.volume_percent is None:
            return
        self._state.volume_set_at = self._clock()
        self._state.playback = replace(playback, volume_percent=percent)
        self._volume.setToolTip(f"Volume {percent} %")
        self.volume_requested.emit(percent)


__all__ = ["NO_TIME", "CardState", "PopupCard"]
