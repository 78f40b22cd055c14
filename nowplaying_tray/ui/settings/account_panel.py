"""The account card of the settings window: who is logged in, with Log in or Log out.

It only shows the name it is given and reports the button as a signal; logging
in and out is the app's job.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from nowplaying_tray.ui import dialog_style

logger = logging.getLogger(__name__)

NOT_LOGGED_IN = "Not logged in"


class Avatar(QWidget):
    """A round badge: the account's initial, or a neutral figure when logged out."""

    SIZE = 40

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedSize(self.SIZE, self.SIZE)
        self._initial = ""

    def set_name(self, name: str | None) -> None:
        self._initial = name.strip()[:1].upper() if name and name.strip() else ""
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        size = float(self.SIZE)
        if self._initial:
            painter.setBrush(dialog_style.ACCENT)
            painter.drawEllipse(QRectF(0, 0, size, size))
            font = painter.font()
            font.setPixelSize(18)
            font.setBold(True)
            painter.setFont(font)
            painter.setPen(QColor("#000000"))
            painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, self._initial)
        else:
            painter.setBrush(QColor("#2A2A2A"))
            painter.drawEllipse(QRectF(0, 0, size, size))
            painter.setBrush(QColor("#7A7A7A"))
            painter.drawEllipse(QRectF(size * 0.36, size * 0.2, size * 0.28, size * 0.28))
            body = QPainterPath()
            body.addRoundedRect(QRectF(size * 0.24, size * 0.54, size * 0.52, size * 0.3), 8, 8)
            painter.drawPath(body)
        painter.end()


class AccountPanel(QWidget):
    """Shows "Logged in as X" with Log out, or "Not logged in" with Log in."""

    login_requested = Signal()
    """Log in was clicked."""
    logout_requested = Signal()
    """Log out was clicked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("accountPanel")
        self._name: str | None = None
        self._avatar = Avatar(self)
        self._title = dialog_style.text_label("", "rowTitle", self)
        self._text = dialog_style.text_label("", "rowText", self)
        self._button = dialog_style.button("", "", self)
        self._button.setObjectName("accountButton")
        self._button.clicked.connect(self._on_clicked)
        words = QVBoxLayout()
        words.setSpacing(3)
        words.addWidget(self._title)
        words.addWidget(self._text)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(14)
        layout.addWidget(self._avatar)
        layout.addLayout(words, 1)
        layout.addWidget(self._button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.set_account(None)

    def set_account(self, name: str | None) -> None:
        # Spotify's display name is shown as plain text, on one line.
        self._name = " ".join(name.split()) if name is not None else None
        if self._name is not None:
            self._title.setText(f"Logged in as {self._name or 'your Spotify account'}")
            self._text.setText("Your login is kept in the system keyring.")
            self._button.setText("Log out")
            self._button.setProperty("kind", "")
        else:
            self._title.setText(NOT_LOGGED_IN)
            self._text.setText("Log in to see what you are playing.")
            self._button.setText("Log in")
            self._button.setProperty("kind", "primary")
        self._button.style().unpolish(self._button)
        self._button.style().polish(self._button)
        self._button.setAccessibleName(self._button.text())
        self._avatar.set_name(self._name)

    def _on_clicked(self) -> None:
        if self._name is None:
            self.login_requested.emit()
        else:
            self.logout_requested.emit()


__all__ = ["NOT_LOGGED_IN", "AccountPanel", "Avatar"]
