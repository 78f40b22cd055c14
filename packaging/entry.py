"""PyInstaller entry point: the same ``main`` as the ``nowplaying-tray`` console script."""

import sys

from nowplaying_tray.cli import main

if __name__ == "__main__":
    sys.exit(main())
