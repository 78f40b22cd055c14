"""The card's lyrics: the line being sung and the next, plain lyrics to scroll, or the word
that the track is an instrumental. Hidden when there are none.

Every line is shown as plain text. The synced lines keep a fixed height (two lines for the
one being sung, one for the next), so the card does not jump as they change.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QPlainTextEdit, QSizePolicy, QVBoxLayout, QWidget

from nowplaying_tray.core.lrc import LyricsNow
from nowplaying_tray.ui.popup.labels import ElidedLabel, TwoLineLabel, set_text_direction

logger = logging.getLogger(__name__)

PANEL_NAME = "lyrics"
PAUSE_MARK = "♪"  # between lines, and before the first
INSTRUMENTAL = "♪ Instrumental"
PLAIN_LINES = 6  # how many lines of plain lyrics show at once; the rest scroll


class LyricsPanel(QWidget):
    """Shows a ``LyricsNow``; ``resized`` when its height changes (the card follows)."""

    resized = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(PANEL_NAME)
        self._line = TwoLineLabel("lyricLine", self)
        self._next = ElidedLabel("lyricNext", self)
        self._text: QPlainTextEdit | None = None  # built for the first plain lyrics
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 12, 0, 0)
        self._layout.setSpacing(2)
        for label in (self._line, self._next):
            self._layout.addWidget(label)
            label.ensurePolished()  # the card's style sheet (style.py) sets the fonts
        self._line.setFixedHeight(2 * self._line.fontMetrics().lineSpacing() + 2)
        self._mode = ""
        self.hide()

    def _plain_view(self) -> QPlainTextEdit:
        if self._text is not None:
            return self._text
        text = self._text = QPlainTextEdit(self)
        text.setObjectName("lyricsText")
        text.setReadOnly(True)
        text.document().setDocumentMargin(0)  # lines up with the text above
        text.setFrameShape(QFrame.Shape.NoFrame)
        text.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        text.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # The wheel scrolls; a line cut at the bottom says there is more, without a bar.
        text.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        text.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        text.ensurePolished()
        text.setFixedHeight(text.fontMetrics().lineSpacing() * PLAIN_LINES + 8)
        self._layout.addWidget(text)
        return text

    # -- what the card shows ------------------------------------------------------------

    def show_lyrics(self, lyrics: LyricsNow | None) -> None:
        mode = _mode_of(lyrics)
        if lyrics is None:
            pass
        elif mode == "synced":
            self._set(self._line, lyrics.line or PAUSE_MARK)
            self._set(self._next, lyrics.next or "")
        elif mode == "instrumental":
            self._set(self._line, INSTRUMENTAL)
        elif mode == "plain":
            text = self._plain_view()
            if self._mode != "plain" or text.toPlainText() != lyrics.text:
                text.setPlainText(lyrics.text)
                text.verticalScrollBar().setValue(0)  # a new song starts at the top
        if mode != self._mode:
            self._mode = mode
            self._line.setVisible(mode in ("synced", "instrumental"))
            self._next.setVisible(mode == "synced")
            if self._text is not None:
                self._text.setVisible(mode == "plain")
            self.setVisible(bool(mode))
            self.updateGeometry()
            self.resized.emit()

    def mode(self) -> str:
        """ "synced", "plain", "instrumental", or "" when hidden."""
        return self._mode

    @staticmethod
    def _set(label: ElidedLabel, text: str) -> None:
        label.set_full_text(text)
        set_text_direction(label, text)


def _mode_of(lyrics: LyricsNow | None) -> str:
    if lyrics is None:
        return ""
    if lyrics.instrumental:
        return "instrumental"
    if lyrics.synced:
        return "synced"
    return "plain" if lyrics.text else ""


__all__ = ["INSTRUMENTAL", "PANEL_NAME", "PAUSE_MARK", "LyricsPanel"]
