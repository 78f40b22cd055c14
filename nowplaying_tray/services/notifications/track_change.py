"""Announces track changes as desktop notifications.

The detector (pure, in core) decides which reads are a new item. This class
adds the timing: a burst of quick skips becomes one notification for the item
that stuck, and the album art is awaited briefly so the bubble carries it.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal

from nowplaying_tray.core.model import Playback
from nowplaying_tray.core.settings import Settings
from nowplaying_tray.core.track_changes import NotifyRules, TrackChangeDetector
from nowplaying_tray.services.artwork import ArtworkLoader
from nowplaying_tray.services.notifications.desktop import Notification
from nowplaying_tray.services.timers import single_shot_timer

logger = logging.getLogger(__name__)

SETTLE_MS = 600  # skips closer than this merge into one notification
ART_WAIT_MS = 1500  # how long a notification waits for its album art
NOTIFICATION_ART_SIZE = 300
FSI, PDI = "\u2068", "\u2069"  # first-strong isolate ... pop directional isolate
# After a skip from the open popup the card already shows the new item; a change
# arriving this soon after it is the skip's own, and is not announced.
QUIET_AFTER_OWN_SKIP_MS = 8000


class TrackAnnouncer(QObject):
    """Turns track changes into notifications.

    Signals:
    announce(Notification): show this notification now.
    """

    announce = Signal(Notification)
    """A notification to show now."""

    def __init__(
        self,
        detector: TrackChangeDetector,
        artwork: ArtworkLoader,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.detector = detector
        self._artwork = artwork
        self._pending: Playback | None = None
        self._art_path: str | None = None
        self._sent: Playback | None = None  # the item of the last bubble, as it was shown
        self._sent_art: str | None = None
        self._card_open = False
        self._settle = single_shot_timer(self, "announce-settle", SETTLE_MS, self._settled)
        self._art_wait = single_shot_timer(self, "announce-art-wait", ART_WAIT_MS, self._send)
        self._quiet = single_shot_timer(
            self, "announce-quiet", QUIET_AFTER_OWN_SKIP_MS, lambda: None
        )
        artwork.loaded.connect(self._on_art_loaded)
        artwork.failed.connect(self._on_art_failed)

    @property
    def rules(self) -> NotifyRules:
        return self.detector.rules

    def apply_settings(self, settings: Settings) -> None:
        """The notification settings, from the next change on."""
        self.detector.rules = NotifyRules.from_settings(settings)

    def quiet_next_change(self) -> None:
        """A skip made where the person is looking: its new item needs no bubble."""
        self._quiet.start()

    def set_card_open(self, card_open: bool) -> None:
        """While the card is open it shows each change itself: no bubble over it."""
        self._card_open = card_open

    def observe(self, playback: Playback) -> None:
        if not self.detector.observe(playback):
            self._follow(playback)
            return
        if self._quiet.isActive():
            logger.debug("Not announcing %r: skipped to from the popup", playback.title)
            self._pending = None
            self._settle.stop()
            self._art_wait.stop()
            self._quiet.start(SETTLE_MS)  # the rest of a burst too, but no later change
            return
        if self._card_open:
            logger.debug("Not announcing %r: the card is open and shows it", playback.title)
            self._pending = None
            self._settle.stop()
            self._art_wait.stop()
            return
        self._pending = playback
        self._art_path = None
        self._art_wait.stop()
        self._settle.start()  # restarts on every skip, so only the last one shows

    def _follow(self, playback: Playback) -> None:
        """The same item with other words (a player that read the file's tags after its
        name): the bubble still waiting, or the one on screen, says them instead."""
        key = playback.item_key
        if key is None:
            return
        pending = self._pending
        if pending is not None and pending.item_key == key:
            if pending.text_key != playback.text_key:
                self._pending = playback
            return
        sent = self._sent
        if sent is None or sent.item_key != key or sent.text_key == playback.text_key:
            return
        self._sent = playback
        logger.debug("Correcting the bubble of %r to %r", sent.title, playback.title)
        self.announce.emit(_notification(playback, self._sent_art, correction=True))

    def _settled(self) -> None:
        playback = self._pending
        if playback is None:
            return
        url = playback.art_url(NOTIFICATION_ART_SIZE)
        if url is None:
            self._send()
            return
        self._art_wait.start()
        self._artwork.request(url)

    def _on_art_loaded(self, url: str, path: str) -> None:
        if self._waiting_for(url):
            self._art_path = path
            self._send()

    def _on_art_failed(self, url: str) -> None:
        if self._waiting_for(url):
            self._send()

    def _waiting_for(self, url: str) -> bool:
        playback = self._pending
        return (
            playback is not None
            and self._art_wait.isActive()
            and playback.art_url(NOTIFICATION_ART_SIZE) == url
        )

    def _send(self) -> None:
        self._art_wait.stop()
        playback, self._pending = self._pending, None
        if playback is None or self._card_open:  # opened while the bubble waited
            return
        self._sent, self._sent_art = playback, self._art_path
        self.announce.emit(_notification(playback, self._art_path))


def _notification(
    playback: Playback, art_path: str | None, correction: bool = False
) -> Notification:
    # Each part isolated (FSI ... PDI): an Arabic artist and a Latin album would
    # otherwise swap places around the dash.
    parts = (playback.artist_text, playback.album_line)
    body = " — ".join(f"{FSI}{part}{PDI}" for part in parts if part)
    title = playback.title or "Now playing"
    return Notification(title, body, art_path, correction=correction)
