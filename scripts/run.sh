#!/usr/bin/env bash
# Runs the app from a source checkout. Installs what it needs on first use.
#
# With no Spotify client ID configured (SPOTIPY_CLIENT_ID or the settings
# file), it starts the demo: a built-in Spotify simulator, no account needed.
# On a machine without a display it runs headless and prints track changes.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh --app-only

args=("$@")
if [ ${#args[@]} -eq 0 ]; then
  if .venv/bin/python -m nowplaying_tray.core.setup_state --configured; then
    echo "Starting Now Playing."
  else
    echo "No Spotify client ID configured: starting the demo (a built-in Spotify simulator)."
    args=(--demo)
  fi
fi

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ "$(uname)" = "Linux" ]; then
  echo "No display found: running headless; track changes are printed here. Ctrl-C quits."
  export QT_QPA_PLATFORM=offscreen
fi

exec .venv/bin/nowplaying-tray "${args[@]}"
