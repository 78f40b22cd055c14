"""nowplaying-tray: what you are hearing on Spotify, in your system tray."""

__version__ = "0.1.0"
