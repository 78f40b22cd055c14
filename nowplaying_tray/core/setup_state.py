"""``python -m nowplaying_tray.core.setup_state --configured``: exit 0 if a client ID is set.

Used by the run script to choose between the real app and the demo.
"""

from __future__ import annotations

import os
import sys

from nowplaying_tray.core.paths import AppPaths
from nowplaying_tray.core.settings import ENV_CLIENT_ID, SettingsStore


def is_configured() -> bool:
    # Read without ``load()``: a broken file is the app's to set aside and report.
    if os.environ.get(ENV_CLIENT_ID, "").strip():
        return True
    return bool(SettingsStore(AppPaths.default()).load_file_only().client_id)


if __name__ == "__main__":
    sys.exit(0 if is_configured() else 1)
