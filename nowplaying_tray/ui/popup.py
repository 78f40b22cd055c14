"""The popup card: cover, title, artists, progress and controls, next to the tray icon.

The card only shows what it is given (the ``show_*`` methods) and reports clicks
as signals; polling Spotify and acting on clicks belong elsewhere. Everything
Spotify sends is shown as plain text. What the card says is decided in
``popup_content``, where it opens in ``popup_placement``, and its painted pieces
live in ``popup_widgets``; this module puts them together and runs them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, QSize, Qt, QTimer, Signal, SignalInstance
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QHideEvent,
    QIcon,
    QKeyEvent,
    QMoveEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QHBoxLayout,
    QLabel,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from nowplaying_tray.core.model import Playback, PlaybackState
from nowplaying_tray.core.text import format_duration
from nowplaying_tray.ui import icons, style
from nowplaying_tray.ui.popup_content import card_text, control_state, shows_cover
from nowplaying_tray.ui.popup_placement import popup_position
from nowplaying_tray.ui.popup_widgets import (
    CoverView,
    ElidedLabel,
    MessageStrip,
    ProgressLine,
    TwoLineLabel,
    VolumeSlider,
    set_text_direction,
)

logger = logging.getLogger(__name__)

NO_TIME = "-:--"
TICK_MS = 1000
TICKER_NAME = "popupProgressTimer"
VOLUME_HOLD_S = 3.0  # the person's volume wins over polls this long


class PopupWindow(QWidget):
    """The "now playing" card shown when the tray icon is clicked.

    Call ``show_playback`` first and then ``show_saved`` for that item: a new item
    resets the heart to unknown. The cover stays until ``show_art`` replaces it;
    ads, local files and idle always show the placeholder.
    """

    previous_clicked = Signal()
    play_pause_clicked = Signal()
    next_clicked = Signal()
    save_clicked = Signal()
    open_clicked = Signal()
    seek_requested = Signal(int)  # a position in ms, once per drag or click on the line
    volume_requested = Signal(int)  # 0-100, once per drag of the volume slider
    hidden = Signal()
    moved = Signal(int, int)  # the standalone window's frame was moved to (x, y)

    def __init__(
        self, clock: Callable[[], float] = time.monotonic, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._playback: Playback | None = None
        self._cover: QPixmap | None = None
        self._saved: bool | None = None
        self._anchor: QRect | None = None
        self._pointer: QPoint | None = None
        self._hidden_at: float | None = None
        self._standalone = False
        self._volume_set_at: float | None = None  # when the person last moved the volume

        self.setObjectName("nowPlayingPopup")
        self.setWindowTitle("Now Playing")  # the app's name: Qt adds nothing to it
        self.setAccessibleName("Now playing")
        # Tool: no taskbar entry. Frameless + translucent: the card draws its own
        # rounded corners in paintEvent.
        self.setWindowFlags(
            Qt.WindowType.Tool
            | Qt.WindowType.FramelessWindowHint
            | Qt.WindowType.WindowStaysOnTopHint
        )
        self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)
        self.setWindowIcon(icons.app_icon())
        # The card itself takes focus when shown, so no button shows a focus ring
        # until the keyboard is used.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self._ticker = QTimer(self)
        self._ticker.setObjectName(TICKER_NAME)
        self._ticker.setInterval(TICK_MS)
        self._ticker.timeout.connect(self._tick)

        # The card's widgets, style sheet and the fonts they load cost about 10 MiB,
        # and many sessions never open the card: they are built on first use.
        self._built = False
        self._message_text = ""
        self._status_text = ""

    # -- construction ---------------------------------------------------------------

    def _ensure_built(self) -> None:
        if self._built:
            return
        self._built = True
        logger.debug("Building the popup card")
        style.follow_system()  # light or dark, as the desktop is
        self.setStyleSheet(style.STYLE_SHEET)
        self.setFixedWidth(style.POPUP_WIDTH)
        self._build()
        self._render_playback()
        self._render_notes()

    def _build(self) -> None:
        self._footer = self._build_footer()
        root = QVBoxLayout(self)
        root.setContentsMargins(16, 16, 16, 12)
        root.setSpacing(0)
        root.addLayout(self._build_header())
        root.addSpacing(12)
        root.addLayout(self._build_progress_row())
        root.addSpacing(6)
        root.addLayout(self._build_controls())
        root.addWidget(self._footer)
        # Height follows the content (message lines wrap); width stays fixed.
        root.setSizeConstraint(QVBoxLayout.SizeConstraint.SetNoConstraint)

    def _build_header(self) -> QHBoxLayout:
        self._cover_view = CoverView(self)
        self._title = TwoLineLabel("title", self)
        self._title.lines_changed.connect(self._on_title_lines)
        self._artist = ElidedLabel("artist", self)
        self._album = ElidedLabel("album", self)
        self._device = ElidedLabel("device", self)
        self._device_row = self._build_device_row()

        text_column = QVBoxLayout()
        text_column.setSpacing(3)
        text_column.addStretch(1)
        text_column.addWidget(self._title)
        text_column.addWidget(self._artist)
        text_column.addWidget(self._album)
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

    def _build_controls(self) -> QHBoxLayout:
        self._buttons = {
            "previous": self._button("previous", "Previous", self.previous_clicked),
            "play_pause": self._button("play_pause", "Play", self.play_pause_clicked),
            "next": self._button("next", "Next", self.next_clicked),
            "save": self._button("save", "Save to Your Library", self.save_clicked),
            "open": self._button("open", "Open in Spotify", self.open_clicked),
        }
        # The window's own menu (Settings, Log in/out, Quit) when there is no tray.
        self._menu_button = self._button("menu", "Menu", None)
        self._menu_button.setIcon(self._glyph("menu"))
        self._menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self._menu_button.setStyleSheet("QToolButton::menu-indicator { image: none; }")
        self._menu_button.hide()
        play = self._buttons["play_pause"]
        play.setFixedSize(style.PLAY_BUTTON_SIZE, style.PLAY_BUTTON_SIZE)
        play.setIconSize(QSize(style.PLAY_ICON_SIZE, style.PLAY_ICON_SIZE))
        self._buttons["open"].setIcon(self._glyph("open-external"))
        self._buttons["previous"].setIcon(self._glyph("previous"))
        self._buttons["next"].setIcon(self._glyph("next"))
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

    def _build_footer(self) -> QWidget:
        self._message = MessageStrip(self)
        self._status = QLabel(self)
        self._status.setObjectName("status")
        self._status.setTextFormat(Qt.TextFormat.PlainText)
        self._status.setWordWrap(True)
        footer = QWidget(self)
        layout = QVBoxLayout(footer)
        layout.setContentsMargins(0, 10, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self._message)
        layout.addWidget(self._status)
        self._message.hide()
        self._status.hide()
        footer.hide()
        return footer

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

    # -- public API -----------------------------------------------------------------

    def show_playback(self, playback: Playback | None) -> None:
        old_key = self._playback.item_key if self._playback is not None else None
        new_key = playback.item_key if playback is not None else None
        self._playback = playback
        if new_key != old_key:
            # The heart belonged to the previous item. The cover is kept: the next
            # item often shares it, and the caller sends show_art when it differs.
            self._saved = None
        if self._built:
            self._render_playback()
        self._sync_ticker()

    def show_art(self, pixmap: QPixmap | None) -> None:
        self._cover = pixmap
        if self._built:
            self._render_cover()

    def show_saved(self, saved: bool | None) -> None:
        self._saved = saved
        if self._built:
            self._render_controls()

    def show_message(self, text: str | None) -> None:
        self._message_text = text or ""
        if self._built:
            self._render_notes()

    def show_status(self, text: str | None) -> None:
        self._status_text = text or ""
        if self._built:
            self._render_notes()

    def show_near(self, anchor: QRect | None, pointer: QPoint | None = None) -> None:
        """Open next to ``anchor`` (the tray icon), or next to ``pointer`` (where the
        icon was clicked) when the tray does not say where its icon is."""
        self._ensure_built()
        if self._standalone:  # the window stays where the person left it
            self.show()
            self.raise_()
            self.activateWindow()
            return
        valid = anchor is not None and anchor.isValid() and not anchor.isEmpty()
        self._anchor = QRect(anchor) if anchor is not None and valid else None
        self._pointer = QPoint(pointer) if pointer is not None and self._anchor is None else None
        self._fit_height()
        self._place()
        self.show()
        self.raise_()
        self.setFocus(Qt.FocusReason.PopupFocusReason)
        self.activateWindow()

    def last_hidden_at(self) -> float | None:
        """Clock reading of the last hide: a tray click that arrives just after the
        click-away hid the card should not reopen it at once."""
        return self._hidden_at

    # -- accessors (also used by tests) ---------------------------------------------

    def title_text(self) -> str:
        self._ensure_built()
        return self._title.full_text()

    def artist_text(self) -> str:
        self._ensure_built()
        return self._artist.full_text()

    def album_text(self) -> str:
        self._ensure_built()
        return self._album.full_text()

    def device_text(self) -> str:
        self._ensure_built()
        return self._device.full_text()

    def progress_value(self) -> int:
        self._ensure_built()
        return self._progress.value()

    def progress_line(self) -> ProgressLine:
        self._ensure_built()
        return self._progress

    def volume_slider(self) -> VolumeSlider:
        self._ensure_built()
        return self._volume

    def progress_text(self) -> str:
        self._ensure_built()
        return f"{self._elapsed.text()} / {self._total.text()}"

    def buttons(self) -> dict[str, QAbstractButton]:
        self._ensure_built()
        return dict(self._buttons)

    def message_text(self) -> str:
        self._ensure_built()
        return "" if self._message.isHidden() else self._message.text()

    def status_text(self) -> str:
        self._ensure_built()
        return "" if self._status.isHidden() else self._status.text()

    def has_cover(self) -> bool:
        """True when real cover art (not the placeholder) is shown."""
        self._ensure_built()
        return self._cover_view.has_cover()

    def ticker(self) -> QTimer:
        return self._ticker

    # -- rendering ------------------------------------------------------------------

    def _render_text(self) -> None:
        text = card_text(self._playback)
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
        playback = self._playback
        volume = playback.volume_percent if playback is not None else None
        idle = playback is None or playback.state is PlaybackState.IDLE
        self._volume.setVisible(volume is not None and not idle)
        recently_moved = (
            self._volume_set_at is not None and self._clock() - self._volume_set_at < VOLUME_HOLD_S
        )
        if volume is not None and not recently_moved:
            # A poll already on its way may still carry the old volume: hold the
            # person's choice for a moment instead of jumping back.
            self._volume.show_value(volume)

    def _render_playback(self) -> None:
        self._render_text()
        self._render_cover()
        self._render_controls()
        self._render_progress()

    def _render_notes(self) -> None:
        self._message.set_text(self._message_text)
        self._message.setVisible(bool(self._message_text))
        self._status.setText(self._status_text)
        self._status.setVisible(bool(self._status_text))
        self._refit()

    def _render_cover(self) -> None:
        self._cover_view.set_pixmap(self._cover if shows_cover(self._playback) else None)

    def _render_controls(self) -> None:
        state = control_state(self._playback, self._saved)
        for key in ("previous", "next", "open", "save"):
            self._buttons[key].setEnabled(getattr(state, key))

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
        saved = self._saved is True and state.save
        save.setIcon(self._glyph("heart-filled", style.ACCENT) if saved else self._glyph("heart"))
        tip = "Remove from Your Library" if saved else "Save to Your Library"
        save.setToolTip(tip)
        save.setAccessibleName(tip)

    def _render_progress(self) -> None:
        playback = self._playback
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

    def _on_title_lines(self) -> None:
        if self.isVisible():
            self._refit()  # a title on two lines makes the card taller

    def title_lines(self) -> int:
        self._ensure_built()
        return self._title.line_count()

    # -- seek and volume ------------------------------------------------------------

    def _on_seek_dragged(self, position_ms: int) -> None:
        self._elapsed.setText(format_duration(position_ms) or NO_TIME)

    def _on_seek(self, position_ms: int) -> None:
        playback = self._playback
        if playback is None:
            return
        # Show the new position at once; the next poll confirms it.
        self._playback = replace(playback, progress_ms=position_ms, read_at=self._clock())
        self._render_progress()
        self.seek_requested.emit(position_ms)

    def _on_volume(self, percent: int) -> None:
        playback = self._playback
        if playback is None or playback.volume_percent is None:
            return
        self._volume_set_at = self._clock()
        self._playback = replace(playback, volume_percent=percent)
        self._volume.setToolTip(f"Volume {percent} %")
        self.volume_requested.emit(percent)

    # -- the progress ticker --------------------------------------------------------

    def _tick(self) -> None:
        self._render_progress()
        playback = self._playback
        if playback is not None and playback.duration_ms is not None:
            progress = playback.progress_at(self._clock())
            if progress is not None and progress >= playback.duration_ms:
                # Nothing left to move until the next poll brings the next item.
                self._ticker.stop()

    def _sync_ticker(self) -> None:
        playback = self._playback
        wanted = (
            self.isVisible()
            and playback is not None
            and playback.is_playing
            and playback.progress_ms is not None
        )
        if wanted and not self._ticker.isActive():
            self._ticker.start()
        elif not wanted and self._ticker.isActive():
            self._ticker.stop()

    # -- geometry -------------------------------------------------------------------

    def _refit(self) -> None:
        self._footer.setVisible(not (self._message.isHidden() and self._status.isHidden()))
        # Qt refreshes cached heights lazily (on posted events); measure now instead.
        for widget in (self._message, self._footer):
            if (layout := widget.layout()) is not None:
                layout.invalidate()
            widget.updateGeometry()
        self._fit_height()
        if self.isVisible() and not self._standalone:  # a window stays where it was put
            self._place()

    def _fit_height(self) -> None:
        self.ensurePolished()  # style-sheet fonts decide the line heights
        layout = self.layout()
        if layout is None:  # not built yet: nothing to measure
            return
        layout.invalidate()
        layout.activate()
        width = style.POPUP_WIDTH
        if layout.hasHeightForWidth():
            height = layout.totalHeightForWidth(width)
        else:
            height = layout.totalSizeHint().height()
        self.resize(width, height)

    def _place(self) -> None:
        anchor, pointer = self._anchor, self._pointer
        spot = anchor.center() if anchor is not None else pointer
        screen = QGuiApplication.screenAt(spot) if spot is not None else None
        screen = screen or QGuiApplication.primaryScreen()
        if screen is None:  # no screen at all (e.g. while a display reconnects)
            return
        geometry, available = screen.geometry(), screen.availableGeometry()
        self.move(popup_position(self.size(), anchor, geometry, available, pointer))

    # -- events ---------------------------------------------------------------------

    def set_standalone(self, standalone: bool, menu: QMenu | None = None) -> None:
        """Be an ordinary window (title bar, taskbar entry, stays open) when there is no
        system tray to come back to; the card look stays the same inside it, with a
        button for ``menu`` (the tray's menu)."""
        self._ensure_built()
        self._menu_button.setMenu(menu)  # type: ignore[arg-type]  # None removes it
        self._menu_button.setVisible(standalone and menu is not None)
        if standalone == self._standalone:
            return
        self._standalone = standalone
        visible = self.isVisible()
        if standalone:
            self.setWindowFlags(Qt.WindowType.Window)
            self.setWindowTitle("Now Playing")
        else:
            self.setWindowFlags(
                Qt.WindowType.Tool
                | Qt.WindowType.FramelessWindowHint
                | Qt.WindowType.WindowStaysOnTopHint
            )
        if visible:
            self.show()

    @property
    def standalone(self) -> bool:
        return self._standalone

    def show_window_at(self, position: QPoint | None) -> None:
        """Open as the standalone window: at ``position`` (a frame position kept from
        last time) if the whole window fits on a screen there, else centred."""
        self._ensure_built()
        self._fit_height()
        self.show()
        frame = self.frameGeometry()
        spot = position
        if spot is not None:
            wanted = QRect(spot, frame.size())
            screen = QGuiApplication.screenAt(wanted.center())
            if screen is None or not screen.availableGeometry().contains(wanted):
                spot = None
        if spot is None:
            screen = QGuiApplication.primaryScreen()
            if screen is not None:
                area = screen.availableGeometry()
                spot = area.center() - QPoint(frame.width() // 2, frame.height() // 2)
        if spot is not None:
            self.move(spot)
        self.raise_()
        self.activateWindow()

    def moveEvent(self, event: QMoveEvent) -> None:  # noqa: N802
        super().moveEvent(event)
        if self._standalone and self.isVisible():
            corner = self.frameGeometry().topLeft()
            self.moved.emit(corner.x(), corner.y())

    def event(self, event: QEvent) -> bool:
        # Clicking anywhere else closes the card, like a menu; a standalone window stays.
        if (
            event.type() == QEvent.Type.WindowDeactivate
            and self.isVisible()
            and not self._standalone
        ):
            logger.debug("The card lost the focus and closes")
            self.hide()
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape and not self._standalone:
            self.hide()
            event.accept()
            return
        if event.key() == Qt.Key.Key_Space and self._built:
            play = self._buttons["play_pause"]
            if play.isEnabled():
                play.click()
            event.accept()
            return
        super().keyPressEvent(event)

    def setVisible(self, visible: bool) -> None:  # noqa: N802 - Qt's name
        if visible:
            self._ensure_built()  # show() from anywhere gets a complete card
        super().setVisible(visible)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self._render_progress()  # catch up on the time spent hidden
        self._sync_ticker()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        super().hideEvent(event)
        self._ticker.stop()  # a hidden card costs no CPU
        self._hidden_at = self._clock()
        self.hidden.emit()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(style.CARD_BORDER, 1))
        painter.setBrush(style.CARD)
        card = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.drawRoundedRect(card, style.CARD_RADIUS, style.CARD_RADIUS)
        painter.end()


__all__ = ["NO_TIME", "TICKER_NAME", "TICK_MS", "PopupWindow"]
