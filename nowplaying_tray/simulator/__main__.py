"""``python -m nowplaying_tray.simulator``."""

from __future__ import annotations

import logging
import sys

from .cli import main

logger = logging.getLogger(__name__)

if __name__ == "__main__":
    sys.exit(main())
