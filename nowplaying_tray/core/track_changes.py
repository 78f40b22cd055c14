"""Deciding when a track change deserves a notification. Pure logic, no Qt."""

from __future__ import annotations

from dataclasses import dataclass

from nowplaying_tray.core.model import ItemKind, Playback, PlaybackState
from nowplaying_tray.core.settings import Settings


@dataclass(frozen=True)
class NotifyRules:
    """Which new items get a notification."""

    enabled: bool = True
    at_startup: bool = False  # the item already playing when the app starts
    episodes: bool = True
    ads: bool = False

    @classmethod
    def from_settings(cls, settings: Settings) -> NotifyRules:
        return cls(
            enabled=settings.notifications,
            at_startup=settings.notify_at_startup,
            episodes=settings.notify_episodes,
            ads=settings.notify_ads,
        )


class TrackChangeDetector:
    """Feed it every playback read; it says which ones are a new item worth announcing.

    A pause, a resume or a seek keeps the same item, so they never count.
    """

    def __init__(self, rules: NotifyRules) -> None:
        self.rules = rules
        self._last_key: str | None = None
        self._seen_first = False

    def observe(self, playback: Playback) -> bool:
        if playback.between_items:
            return False  # no item to announce, and the last one may come back
        key = playback.item_key
        first = not self._seen_first
        self._seen_first = True
        changed = key is not None and key != self._last_key
        if key is not None:
            self._last_key = key
        if not changed or playback.state is not PlaybackState.PLAYING:
            return False
        if first and not self.rules.at_startup:
            return False
        return self._wanted(playback)

    def _wanted(self, playback: Playback) -> bool:
        if not self.rules.enabled:
            return False
        if playback.kind is ItemKind.AD:
            return self.rules.ads
        if playback.kind is ItemKind.EPISODE:
            return self.rules.episodes
        return True
