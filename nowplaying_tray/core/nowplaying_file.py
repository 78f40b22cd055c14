"""The now-playing file, for streamers: the current track as text (and its cover) on disk.

OBS and similar tools read these files on a timer, so every write is atomic (a
temporary file, then a rename) and a file is only rewritten when its content
changes. Blocking: call ``update`` on the worker.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from nowplaying_tray.core.atomic import write_bytes_atomic, write_text_atomic
from nowplaying_tray.core.errors import FileWriteFailed
from nowplaying_tray.core.model import Playback, PlaybackState
from nowplaying_tray.core.settings import Settings
from nowplaying_tray.core.text import render_template, template_uses, template_values

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class NowPlayingFileConfig:
    text_path: Path | None
    template: str
    art_path: Path | None
    clear_when_idle: bool

    @classmethod
    def from_settings(cls, settings: Settings) -> NowPlayingFileConfig:
        return cls(
            text_path=Path(settings.nowplaying_file).expanduser()
            if settings.nowplaying_file
            else None,
            template=settings.nowplaying_template,
            art_path=Path(settings.nowplaying_art_file).expanduser()
            if settings.nowplaying_art_file
            else None,
            clear_when_idle=settings.nowplaying_clear_when_idle,
        )

    @property
    def enabled(self) -> bool:
        return self.text_path is not None or self.art_path is not None

    @property
    def uses_lyric(self) -> bool:
        """The text names ``{lyric}``: it is rewritten at each line."""
        return self.text_path is not None and template_uses(self.template, "lyric")


class NowPlayingFile:
    def __init__(self, config: NowPlayingFileConfig) -> None:
        self.config = config
        self._last_text: str | None = None
        self._last_art_source: Path | None = None

    def reconfigure(self, config: NowPlayingFileConfig) -> None:
        if config != self.config:
            self.config = config
            self._last_text = None  # write the new file at the next update
            self._last_art_source = None

    def update(
        self,
        playback: Playback,
        now: float,
        art_source: Path | None = None,
        lyric: str | None = None,
    ) -> bool:
        """Write what is playing; returns True if any file was written."""
        try:
            return self._update(playback, now, art_source, lyric)
        except OSError as exc:
            path = exc.filename or self.config.text_path
            raise FileWriteFailed(path, exc.strerror or str(exc)) from exc

    def _update(
        self, playback: Playback, now: float, art_source: Path | None, lyric: str | None
    ) -> bool:
        idle = playback.state is PlaybackState.IDLE or not playback.title
        if idle and not self.config.clear_when_idle:
            return False  # keep the last track on screen
        values = template_values(playback, now, lyric)
        text = "" if idle else render_template(self.config.template, values)
        wrote = False
        if self.config.text_path is not None and text != self._last_text:
            write_text_atomic(self.config.text_path, text)
            self._last_text = text
            wrote = True
        if self.config.art_path is not None:
            wrote = self._update_art(None if idle else art_source) or wrote
        return wrote

    def _update_art(self, source: Path | None) -> bool:
        target = self.config.art_path
        assert target is not None
        if source == self._last_art_source:
            return False
        self._last_art_source = source
        if source is None:
            target.unlink(missing_ok=True)  # nothing playing, or no cover
        else:
            write_bytes_atomic(target, source.read_bytes())
        return True


__all__ = ["NowPlayingFile", "NowPlayingFileConfig"]
