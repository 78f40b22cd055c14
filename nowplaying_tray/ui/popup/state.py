"""What the popup card shows, kept by the window before and after the card is built.

Apart from ``popup_card`` so that the window can hold it without importing the card's
widgets (about 2 MiB) in a session that never opens the card.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtGui import QPixmap

from nowplaying_tray.core.model import Playback

if TYPE_CHECKING:  # loaded with the first lyrics
    from nowplaying_tray.core.lrc import LyricsNow

NO_TIME = "-:--"  # a time not known, in place of "1:23"


@dataclass
class CardState:
    """What the card shows, kept by the window whether or not the card exists yet."""

    playback: Playback | None = None
    cover: QPixmap | None = None
    saved: bool | None = None
    message: str = ""
    status: str = ""
    volume_set_at: float | None = None  # when the person last moved the volume
    lyrics: LyricsNow | None = None
