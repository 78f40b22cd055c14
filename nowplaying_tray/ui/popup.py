"""The popup card: cover, title, artists, progress and controls, next to the tray icon.

The card only shows what it is given (the ``show_*`` methods) and reports clicks
as signals; polling Spotify and acting on clicks belong elsewhere. Everything
Spotify sends is shown as plain text.
"""

from __future__ import annotations

import html
import logging
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, QSize, Qt, QTimer, Signal, SignalInstance
from PySide6.QtGui import (
    QBrush,
    QColor,
    QGuiApplication,
    QHideEvent,
    QIcon,
    QImage,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from nowplaying_tray.core.model import ItemKind, Playback, PlaybackState
from nowplaying_tray.core.text import elide, format_duration
from nowplaying_tray.ui import icons, style

logger = logging.getLogger(__name__)

NOTHING_PLAYING = "Nothing playing"
NOTHING_PLAYING_HINT = "Start Spotify on any device"
ADVERTISEMENT = "Advertisement"
UNKNOWN_TITLE = "Unknown title"
NO_TIME = "-:--"
TICK_MS = 1000
TICKER_NAME = "popupProgressTimer"
SCREEN_MARGIN = 12  # from the screen edge when there is no tray geometry
ANCHOR_GAP = 8  # between the tray icon (or its panel) and the card
_TOOLTIP_CHARS = 300


# -- text helpers -------------------------------------------------------------------


def one_line(text: str | None) -> str:
    """Spotify text fit for a single-line label: control characters and runs of
    whitespace become one space; bidi and joiner marks are kept."""
    if not text:
        return ""
    cleaned = "".join(" " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in text)
    return " ".join(cleaned.split())


def plain_tooltip(text: str) -> str:
    """A tooltip that shows ``text`` literally.

    Qt renders tooltips as rich text whenever they look like HTML, so the text is
    escaped and wrapped in a tag that forces rich text.
    """
    return f"<p>{html.escape(elide(text, _TOOLTIP_CHARS))}</p>" if text else ""


@dataclass(frozen=True)
class CardText:
    title: str
    artist: str
    album: str  # the album of a track, or the show of an episode
    device: str


def card_text(playback: Playback | None) -> CardText:
    if playback is None or playback.state is PlaybackState.IDLE:
        return CardText(NOTHING_PLAYING, NOTHING_PLAYING_HINT, "", "")
    device = one_line(playback.device)
    if playback.kind is ItemKind.AD:
        return CardText(ADVERTISEMENT, "", "", device)
    return CardText(
        title=one_line(playback.title) or UNKNOWN_TITLE,
        artist=one_line(playback.artist_text),
        album=one_line(playback.album),
        device=device,
    )


@dataclass(frozen=True)
class ControlState:
    previous: bool
    play_pause: bool
    next: bool
    save: bool
    open: bool
    playing: bool  # decides the play/pause glyph


def control_state(playback: Playback | None, saved: bool | None) -> ControlState:
    if playback is None or playback.state is PlaybackState.IDLE:
        return ControlState(False, False, False, False, False, playing=False)
    playing = playback.is_playing
    saveable = (
        bool(playback.uri)
        and not playback.is_local
        and playback.kind is not ItemKind.AD
        and saved is not None
    )
    return ControlState(
        previous=playback.allows("skipping_prev"),
        play_pause=playback.allows("pausing" if playing else "resuming"),
        next=playback.allows("skipping_next"),
        save=saveable,
        open=bool(playback.url),
        playing=playing,
    )


def shows_cover(playback: Playback | None) -> bool:
    """Ads, local files and idle get the placeholder whatever art arrives."""
    return (
        playback is not None
        and playback.state is not PlaybackState.IDLE
        and playback.kind is not ItemKind.AD
        and not playback.is_local
    )


def popup_position(size: QSize, anchor: QRect | None, screen: QRect, available: QRect) -> QPoint:
    """Top-left corner for a card of ``size`` next to ``anchor`` (the tray icon).

    The card opens away from the screen edge nearest to the anchor (that is where
    the panel is) and is then kept inside ``available`` (the screen minus panels).
    Without an anchor it goes to the bottom-right corner of ``available``.
    """
    width, height = size.width(), size.height()
    if anchor is None:
        x = available.x() + available.width() - width - SCREEN_MARGIN
        y = available.y() + available.height() - height - SCREEN_MARGIN
    else:
        center = anchor.center()
        distances = {
            "top": anchor.top() - screen.top(),
            "bottom": screen.bottom() - anchor.bottom(),
            "left": anchor.left() - screen.left(),
            "right": screen.right() - anchor.right(),
        }
        edge = min(distances, key=lambda name: distances[name])
        x = center.x() - width // 2
        y = center.y() - height // 2
        if edge == "bottom":
            y = anchor.top() - ANCHOR_GAP - height
        elif edge == "top":
            y = anchor.bottom() + 1 + ANCHOR_GAP
        elif edge == "left":
            x = anchor.right() + 1 + ANCHOR_GAP
        else:
            x = anchor.left() - ANCHOR_GAP - width
    return QPoint(
        _clamp(x, available.x(), available.width(), width),
        _clamp(y, available.y(), available.height(), height),
    )


def _clamp(start: int, lower: int, span: int, length: int) -> int:
    # Keep a gap from the edge when there is room for it; never leave the area.
    gap = ANCHOR_GAP if span >= length + 2 * ANCHOR_GAP else 0
    upper = lower + span - length - gap
    return max(lower + gap, min(start, upper)) if upper >= lower + gap else lower


# -- small widgets ------------------------------------------------------------------


class ElidedLabel(QLabel):
    """A one-line plain-text label that elides to its width and tooltips the rest."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setTextFormat(Qt.TextFormat.PlainText)
        # The layout decides the width; the text adapts (not the other way round).
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self._full = ""

    def full_text(self) -> str:
        return self._full

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.setAccessibleName(text)
        self._elide()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._elide()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, self.width())
        if shown != self.text():
            self.setText(shown)
        self.setToolTip(plain_tooltip(self._full) if shown != self._full else "")


class CoverView(QWidget):
    """The cover, centre-cropped to a square with rounded corners."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cover")
        self.setFixedSize(style.ART_SIZE, style.ART_SIZE)
        self.setAccessibleName("Cover art")
        self._source: QPixmap | None = None
        self._rounded: QPixmap | None = None

    def set_pixmap(self, pixmap: QPixmap | None) -> None:
        self._source = pixmap if pixmap is not None and not pixmap.isNull() else None
        self._rounded = None
        self.update()

    def has_cover(self) -> bool:
        return self._source is not None

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        ratio = self.devicePixelRatioF()
        if self._rounded is None or self._rounded.devicePixelRatio() != ratio:
            # Scaled once per cover (and screen), not on every repaint.
            self._rounded = self._render(ratio)
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self._rounded)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(255, 255, 255, 18), 1))  # lifts dark covers off the card
        painter.setBrush(Qt.BrushStyle.NoBrush)
        edge = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.drawRoundedRect(edge, style.ART_RADIUS, style.ART_RADIUS)
        painter.end()

    def _render(self, ratio: float) -> QPixmap:
        pixels = round(style.ART_SIZE * ratio)
        source = self._source if self._source is not None else icons.placeholder_art(pixels)
        scaled = source.scaled(
            pixels,
            pixels,
            Qt.AspectRatioMode.KeepAspectRatioByExpanding,
            Qt.TransformationMode.SmoothTransformation,
        )
        crop = QRect(
            (scaled.width() - pixels) // 2, (scaled.height() - pixels) // 2, pixels, pixels
        )
        image = QImage(pixels, pixels, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        # A brush-filled rounded rect gives antialiased corners (a clip path does not).
        painter.setBrush(QBrush(scaled.copy(crop)))
        radius = style.ART_RADIUS * ratio
        painter.drawRoundedRect(QRectF(0, 0, pixels, pixels), radius, radius)
        painter.end()
        rounded = QPixmap.fromImage(image)
        rounded.setDevicePixelRatio(ratio)
        return rounded


class ProgressLine(QWidget):
    """A thin rounded progress line: green on grey. Display only (no seeking)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("progress")
        self.setAccessibleName("Playback position")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(12)
        self._value = 0
        self._maximum = 0

    def value(self) -> int:
        return self._value

    def maximum(self) -> int:
        return self._maximum

    def set_progress(self, value: int, maximum: int) -> None:
        value = max(0, min(value, maximum)) if maximum > 0 else 0
        if (value, maximum) != (self._value, self._maximum):
            self._value, self._maximum = value, max(0, maximum)
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        thickness = 4.0
        track = QRectF(0, (self.height() - thickness) / 2, self.width(), thickness)
        painter.setBrush(style.TRACK)
        painter.drawRoundedRect(track, thickness / 2, thickness / 2)
        if self._maximum > 0 and self._value > 0:
            filled = QRectF(track)
            filled.setWidth(max(thickness, track.width() * self._value / self._maximum))
            painter.setBrush(style.ACCENT)
            painter.drawRoundedRect(filled, thickness / 2, thickness / 2)
        painter.end()


class MessageStrip(QFrame):
    """An inline warning inside the card (not a dialog)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("message")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 7, 10, 7)
        layout.setSpacing(8)
        badge = QLabel(self)
        badge.setObjectName("messageIcon")
        badge.setPixmap(icons.glyph("warning", style.WARNING, 14).pixmap(14, 14))
        badge.setFixedSize(14, 16)
        layout.addWidget(badge, 0, Qt.AlignmentFlag.AlignTop)
        self._text = QLabel(self)
        self._text.setObjectName("messageText")
        self._text.setTextFormat(Qt.TextFormat.PlainText)
        self._text.setWordWrap(True)
        layout.addWidget(self._text, 1)
        self.setAccessibleName("Message")

    def text(self) -> str:
        return self._text.text()

    def label(self) -> QLabel:
        return self._text

    def set_text(self, text: str) -> None:
        self._text.setText(text)
        self.setAccessibleDescription(text)


# -- the card -----------------------------------------------------------------------


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
    hidden = Signal()

    def __init__(
        self, clock: Callable[[], float] = time.monotonic, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._playback: Playback | None = None
        self._cover: QPixmap | None = None
        self._saved: bool | None = None
        self._anchor: QRect | None = None
        self._hidden_at: float | None = None
        self._standalone = False

        self.setObjectName("nowPlayingPopup")
        self.setWindowTitle("Now playing")
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
        self.setStyleSheet(style.STYLE_SHEET)
        self.setFixedWidth(style.POPUP_WIDTH)

        self._ticker = QTimer(self)
        self._ticker.setObjectName(TICKER_NAME)
        self._ticker.setInterval(TICK_MS)
        self._ticker.timeout.connect(self._tick)

        self._build()
        self.show_playback(None)

    # -- construction ---------------------------------------------------------------

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
        self._title = ElidedLabel("title", self)
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
        return row

    def _time_label(self, name: str, align: Qt.AlignmentFlag) -> QLabel:
        label = QLabel(NO_TIME, self)
        label.setObjectName(name)
        label.setAlignment(align | Qt.AlignmentFlag.AlignVCenter)
        label.setTextFormat(Qt.TextFormat.PlainText)
        return label

    def _button(self, key: str, tip: str, signal: SignalInstance) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName(key)
        button.setAutoRaise(True)
        button.setFixedSize(style.BUTTON_SIZE, style.BUTTON_SIZE)
        button.setIconSize(QSize(style.ICON_SIZE, style.ICON_SIZE))
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # clicks don't steal focus
        button.setToolTip(tip)
        button.setAccessibleName(tip)
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
        self._render_text()
        self._render_cover()
        self._render_controls()
        self._render_progress()
        self._sync_ticker()

    def show_art(self, pixmap: QPixmap | None) -> None:
        self._cover = pixmap
        self._render_cover()

    def show_saved(self, saved: bool | None) -> None:
        self._saved = saved
        self._render_controls()

    def show_message(self, text: str | None) -> None:
        self._message.set_text(text or "")
        self._message.setVisible(bool(text))
        self._refit()

    def show_status(self, text: str | None) -> None:
        self._status.setText(text or "")
        self._status.setVisible(bool(text))
        self._refit()

    def show_near(self, anchor: QRect | None) -> None:
        valid = anchor is not None and anchor.isValid() and not anchor.isEmpty()
        self._anchor = QRect(anchor) if valid else None
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
        return self._title.full_text()

    def artist_text(self) -> str:
        return self._artist.full_text()

    def album_text(self) -> str:
        return self._album.full_text()

    def device_text(self) -> str:
        return self._device.full_text()

    def progress_value(self) -> int:
        return self._progress.value()

    def progress_text(self) -> str:
        return f"{self._elapsed.text()} / {self._total.text()}"

    def buttons(self) -> dict[str, QAbstractButton]:
        return dict(self._buttons)

    def message_text(self) -> str:
        return "" if self._message.isHidden() else self._message.text()

    def status_text(self) -> str:
        return "" if self._status.isHidden() else self._status.text()

    def has_cover(self) -> bool:
        """True when real cover art (not the placeholder) is shown."""
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
        self._artist.setVisible(bool(text.artist))
        self._album.setVisible(bool(text.album))
        self._device_row.setVisible(bool(text.device))

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
            widget.layout().invalidate()
            widget.updateGeometry()
        self._fit_height()
        if self.isVisible():
            self._place()

    def _fit_height(self) -> None:
        self.ensurePolished()  # style-sheet fonts decide the line heights
        layout = self.layout()
        layout.invalidate()
        layout.activate()
        width = style.POPUP_WIDTH
        if layout.hasHeightForWidth():
            height = layout.totalHeightForWidth(width)
        else:
            height = layout.totalSizeHint().height()
        self.resize(width, height)

    def _place(self) -> None:
        anchor = self._anchor
        screen = QGuiApplication.screenAt(anchor.center()) if anchor is not None else None
        screen = screen or QGuiApplication.primaryScreen()
        if screen is None:  # no screen at all (e.g. while a display reconnects)
            return
        geometry, available = screen.geometry(), screen.availableGeometry()
        self.move(popup_position(self.size(), anchor, geometry, available))

    # -- events ---------------------------------------------------------------------

    def set_standalone(self, standalone: bool) -> None:
        """Be an ordinary window (title bar, taskbar entry, stays open) when there is no
        system tray to come back to; the card look stays the same inside it."""
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

    def event(self, event: QEvent) -> bool:
        # Clicking anywhere else closes the card, like a menu; a standalone window stays.
        if (
            event.type() == QEvent.Type.WindowDeactivate
            and self.isVisible()
            and not self._standalone
        ):
            self.hide()
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape and not self._standalone:
            self.hide()
            event.accept()
            return
        super().keyPressEvent(event)

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
