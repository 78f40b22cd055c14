"""The popup window: where the card opens, how it hides, and its window modes.

The card only shows what it is given (the ``show_*`` methods) and reports clicks
as signals; polling Spotify and acting on clicks belong elsewhere. Everything
Spotify sends is shown as plain text. The card's widgets live in ``card`` (built
the first time the window is shown or measured), where it opens in ``placement``,
its progress ticker in ``ticker``; this module is the window around them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, QSize, QTimer, Signal
from PySide6.QtGui import (
    QHideEvent,
    QKeyEvent,
    QMoveEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QShowEvent,
)
from PySide6.QtWidgets import QMenu, QVBoxLayout, QWidget

from nowplaying_tray.core.model import Playback
from nowplaying_tray.ui import icons, style
from nowplaying_tray.ui.popup.placement import card_position, window_position
from nowplaying_tray.ui.popup.state import NO_TIME, CardState
from nowplaying_tray.ui.popup.ticker import TICK_MS, TICKER_NAME, ProgressTicker
from nowplaying_tray.ui.popup.window_kinds import QWIDGETSIZE_MAX, popup_flags, standalone_flags
from nowplaying_tray.ui.popup.x11_desktop import compositing

if TYPE_CHECKING:  # imported when the card is first built, and with the first lyrics
    from nowplaying_tray.core.lrc import LyricsNow
    from nowplaying_tray.ui.popup.card import PopupCard

logger = logging.getLogger(__name__)


class PopupWindow(QWidget):
    """The window that shows the Now playing card when the tray icon is clicked.

    Call ``show_playback`` first and then ``show_saved`` for that item: a new item
    resets the heart to unknown. The cover stays until ``show_art`` replaces it;
    ads, local files and idle always show the placeholder.
    """

    previous_clicked = Signal()
    """Previous was clicked."""
    play_pause_clicked = Signal()
    """Play/Pause was clicked (or Space pressed)."""
    next_clicked = Signal()
    """Next was clicked."""
    save_clicked = Signal()
    """The heart was clicked: save to, or remove from, Your Library."""
    open_clicked = Signal()
    """Open in Spotify was clicked."""
    seek_requested = Signal(int)
    """A position in ms, once per drag or click on the progress line."""
    volume_requested = Signal(int)
    """A volume of 0-100, once per drag of the volume slider."""
    about_to_show = Signal()
    """The card is about to be shown, by either way of showing it."""
    hidden = Signal()
    """The card was hidden, by any means."""
    moved = Signal(int, int)
    """The standalone window's frame was moved to (x, y)."""

    def __init__(
        self, clock: Callable[[], float] = time.monotonic, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._state = CardState()
        # The card's widgets, style sheet and the fonts they load cost about 10 MiB,
        # and many sessions never open the card: it is built on first show or measure.
        self._card: PopupCard | None = None
        self._anchor: QRect | None = None
        self._pointer: QPoint | None = None
        self._hidden_at: float | None = None
        self._standalone = False
        self._rounded = True  # see-through corners only where the desktop composites

        self.setObjectName("nowPlayingPopup")
        self.setWindowTitle("Now Playing")  # the app's name: Qt adds nothing to it
        self.setAccessibleName("Now playing")
        self.setWindowIcon(icons.app_icon())
        # Its kind of window is set with the card, before the first show (see window_kinds).
        self._ticker = ProgressTicker(self._state, clock, self._render_progress, self)

    # -- the card ------------------------------------------------------------------

    def _set_up_window(self) -> None:
        from PySide6.QtCore import Qt  # not at import: see window_kinds

        self.setWindowFlags(popup_flags())
        self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)
        # The card itself takes focus when shown, so no button shows a focus ring
        # until the keyboard is used; Tab never stops on it (nothing would show).
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)

    def _ensure_card(self) -> PopupCard:
        if self._card is not None:
            return self._card
        from nowplaying_tray.ui.popup.card import PopupCard

        logger.debug("Building the popup card")
        self._set_up_window()
        style.follow_system()  # light or dark, as the desktop is
        self.setStyleSheet(style.STYLE_SHEET)
        self.setFixedWidth(style.POPUP_WIDTH)
        clicks = {
            "previous": self.previous_clicked,
            "play_pause": self.play_pause_clicked,
            "next": self.next_clicked,
            "save": self.save_clicked,
            "open": self.open_clicked,
        }
        card = PopupCard(self._state, self._clock, clicks, self)
        card.seek_requested.connect(self.seek_requested)
        card.volume_requested.connect(self.volume_requested)
        card.resized.connect(self._on_card_resized)
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.addWidget(card)
        # Height follows the content (message lines wrap); width stays fixed.
        root.setSizeConstraint(QVBoxLayout.SizeConstraint.SetNoConstraint)
        self._card = card
        self._fit_height()
        return card

    def _render(self, part: Callable[[PopupCard], None]) -> None:
        """Draw ``part`` of the state if the card exists; else it is drawn when built."""
        if self._card is not None:
            part(self._card)

    # -- public API -----------------------------------------------------------------

    def show_playback(self, playback: Playback | None) -> None:
        old = self._state.playback
        old_key = old.item_key if old is not None else None
        new_key = playback.item_key if playback is not None else None
        self._state.playback = playback
        if new_key != old_key:
            # The heart belonged to the previous item. The cover is kept: the next
            # item often shares it, and the caller sends show_art when it differs.
            self._state.saved = None
        self._render(lambda card: card.render_playback())
        self._ticker.follow(self.isVisible())

    def show_art(self, pixmap: QPixmap | None) -> None:
        self._state.cover = pixmap
        self._render(lambda card: card.render_cover())

    def show_lyrics(self, lyrics: LyricsNow | None) -> None:
        self._state.lyrics = lyrics
        self._render(lambda card: card.render_lyrics())

    def show_saved(self, saved: bool | None) -> None:
        self._state.saved = saved
        self._render(lambda card: card.render_controls())

    def show_message(self, text: str | None) -> None:
        self._state.message = text or ""
        self._render(self._render_notes)

    def show_status(self, text: str | None) -> None:
        self._state.status = text or ""
        self._render(self._render_notes)

    def show_near(self, anchor: QRect | None, pointer: QPoint | None = None) -> None:
        """Open next to ``anchor`` (the tray icon), or next to ``pointer`` (where the
        icon was clicked) when the tray does not say where its icon is."""
        self._ensure_card()
        self.about_to_show.emit()
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
        from PySide6.QtCore import Qt  # not at import: see window_kinds

        self.setFocus(Qt.FocusReason.PopupFocusReason)
        self.activateWindow()

    def last_hidden_at(self) -> float | None:
        """Clock reading of the last hide: a tray click that arrives just after the
        click-away hid the card should not reopen it at once."""
        return self._hidden_at

    # -- drawing ------------------------------------------------------------------

    def _render_progress(self) -> None:
        self._render(lambda card: card.render_progress())

    def _render_notes(self, card: PopupCard) -> None:
        card.render_notes()
        self._refit()

    def _on_card_resized(self) -> None:
        # A title on two lines makes the card taller. The title learns its real width
        # while the card is being laid out, when heights cannot be measured yet: refit
        # on the next turn of the event loop.
        QTimer.singleShot(0, self, self._refit)

    # -- geometry -------------------------------------------------------------------

    def _refit(self) -> None:
        self._render(lambda card: card.refit())
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
        if self._standalone:  # a window of one size: it cannot be maximised or stretched
            self.setFixedSize(width, height)
        else:
            self.resize(width, height)

    def _place(self) -> None:
        spot = card_position(self.size(), self._anchor, self._pointer)
        if spot is not None:  # None: no screen at all (e.g. while a display reconnects)
            self.move(spot)

    # -- events ---------------------------------------------------------------------

    def set_standalone(self, standalone: bool, menu: QMenu | None = None) -> None:
        """Be an ordinary window (title bar, taskbar entry, stays open) when there is no
        system tray to come back to; the card look stays the same inside it, with a
        button for ``menu`` (the tray's menu)."""
        self._ensure_card().set_menu(menu, standalone)
        if standalone == self._standalone:
            return
        self._standalone = standalone
        visible = self.isVisible()
        if standalone:
            self.setWindowFlags(standalone_flags())
            self.setWindowTitle("Now Playing")
        else:
            self.setWindowFlags(popup_flags())
            self.setMinimumHeight(0)
            self.setMaximumHeight(QWIDGETSIZE_MAX)
        if visible:
            self.show()

    @property
    def standalone(self) -> bool:
        return self._standalone

    def show_window_at(self, position: QPoint | None) -> None:
        """Open as the standalone window: at ``position`` (a frame position kept from
        last time) if the whole window fits on a screen there, else centred."""
        self._ensure_card()
        self.about_to_show.emit()
        self._fit_height()
        self.show()
        if (spot := window_position(self.frameGeometry().size(), position)) is not None:
            self.move(spot)
        self.raise_()
        from PySide6.QtCore import Qt  # not at import: see window_kinds

        self.setFocus(Qt.FocusReason.OtherFocusReason)  # no ring until the keyboard is used
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
        from PySide6.QtCore import Qt  # not at import: see window_kinds

        if event.key() == Qt.Key.Key_Escape and not self._standalone:
            self.hide()
            event.accept()
            return
        if event.key() == Qt.Key.Key_Space and self._card is not None:
            self._card.click_play_pause()
            event.accept()
            return
        super().keyPressEvent(event)

    def setVisible(self, visible: bool) -> None:  # noqa: N802 - Qt's name
        if visible:
            self._ensure_card()  # show() from anywhere gets a complete card
        super().setVisible(visible)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        self._ensure_card()  # measuring the window means measuring its card
        return super().sizeHint()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        self._rounded = compositing()
        super().showEvent(event)
        self._render_progress()  # catch up on the time spent hidden
        self._ticker.follow(self.isVisible())

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        super().hideEvent(event)
        self._ticker.stop()
        self._hidden_at = self._clock()
        self.hidden.emit()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(style.CARD_BORDER, 1))
        painter.setBrush(style.CARD)
        card = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        radius = style.CARD_RADIUS if self._rounded else 0
        painter.drawRoundedRect(card, radius, radius)
        painter.end()


__all__ = ["NO_TIME", "TICKER_NAME", "TICK_MS", "PopupWindow"]
