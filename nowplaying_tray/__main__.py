import sys

from nowplaying_tray.cli import main

sys.exit(main())
