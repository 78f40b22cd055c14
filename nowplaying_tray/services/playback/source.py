"""The contract every source of playback keeps, and a source for platforms without one.

A source reports what it knows (``playback``, ``error``) and says ``changed`` when
that moves. The hub reads every source on each change and decides what is shown;
a source never decides that itself. A source that costs something to ask (the Web
API's daily quota) stops asking while the hub says it is not needed.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal

from nowplaying_tray.core.errors import NowPlayingError
from nowplaying_tray.core.model import Playback
from nowplaying_tray.core.playback_choice import SourceKind

logger = logging.getLogger(__name__)


class PlaybackSource(QObject):
    """A base for the sources: the Web API poller, local MPRIS players, and later
    the media sessions of Windows and macOS."""

    changed = Signal()
    """``playback``, ``error`` or ``settled`` moved."""

    kind: SourceKind = SourceKind.LOCAL

    @property
    def playback(self) -> Playback | None:
        """What this source sees playing; None when it has nothing to show."""
        return None

    @property
    def error(self) -> NowPlayingError | None:
        """Why this source cannot tell, if it cannot."""
        return None

    @property
    def settled(self) -> bool:
        """Its first look is done; until then a costly source waits for it."""
        return True

    def start(self) -> None:
        """Begin watching or asking."""

    def set_needed(self, needed: bool) -> None:
        """Whether its answers can be shown now; a costly source stops asking if not."""
        del needed


class NullSource(PlaybackSource):
    """Where local players cannot be watched (no session bus, not Linux): never anything."""
