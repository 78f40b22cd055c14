"""Our MPRIS player follows the hub: published while the Web API is what is shown.

A local player that answers is an MPRIS player already, so ours withdraws then;
without a usable login (no client ID, logged out) there is nothing to publish. A poll
that changes nothing published costs no work on the D-Bus thread (``MprisServer.update``).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject

from nowplaying_tray.core.errors import AuthRequired, MissingClientId
from nowplaying_tray.core.playback_choice import SourceKind
from nowplaying_tray.services.mpris.published_player import MprisServer
from nowplaying_tray.services.playback.hub import PlaybackHub

logger = logging.getLogger(__name__)


class PublishedPlayerFeed(QObject):
    """Connect ``follow`` to the hub's ``playback_changed``, ``error_changed`` and
    ``source_changed``."""

    def __init__(self, hub: PlaybackHub, server: MprisServer, parent: QObject | None = None):
        super().__init__(parent)
        self._hub = hub
        self._server = server

    def follow(self, *_: object) -> None:
        hub, server = self._hub, self._server
        if hub.source is SourceKind.LOCAL:
            server.withdraw()
        elif isinstance(hub.error, AuthRequired | MissingClientId):
            server.update(None)
            server.withdraw()
        elif hub.source is SourceKind.WEB_API:
            server.update(hub.playback)
            server.publish()
