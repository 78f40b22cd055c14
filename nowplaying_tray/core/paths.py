"""Where the app keeps its files, computed when asked for (never at import time)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import platformdirs

DEMO_DIR = "demo"

APP_NAME = "nowplaying-tray"


@dataclass(frozen=True)
class AppPaths:
    config_dir: Path
    cache_dir: Path
    log_dir: Path
    data_dir: Path
    state_dir: Path  # what the app remembers between runs: the request count, reminders

    @classmethod
    def default(cls) -> AppPaths:
        dirs = platformdirs.PlatformDirs(APP_NAME, appauthor=False)
        return cls(
            config_dir=Path(dirs.user_config_dir),
            cache_dir=Path(dirs.user_cache_dir),
            log_dir=Path(dirs.user_log_dir),
            data_dir=Path(dirs.user_data_dir),
            state_dir=Path(dirs.user_state_dir),
        )

    def for_demo(self) -> AppPaths:
        """The demo's own directories: its settings, request count, recently played list
        and cache never mix with the real account's (the log stays one)."""
        return AppPaths(
            config_dir=self.config_dir / DEMO_DIR,
            cache_dir=self.cache_dir / DEMO_DIR,
            log_dir=self.log_dir,
            data_dir=self.data_dir / DEMO_DIR,
            state_dir=self.state_dir / DEMO_DIR,
        )
