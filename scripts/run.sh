#!/usr/bin/env bash
# Runs the app from a source checkout. Installs what it needs on first use.
#
# With no Spotify client ID configured (SPOTIPY_CLIENT_ID or the settings
# file), it starts the demo: a built-in Spotify simulator, no account needed.
# On a machine without a display it runs headless and prints track changes.
#
# Its own messages go to stderr: stdout carries only what the command prints,
# so `./scripts/run.sh now --json | python3 -m json.tool` works.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh --app-only >&2

args=("$@")
if [ ${#args[@]} -eq 0 ]; then
  if .venv/bin/python -m nowplaying_tray.core.setup_state --configured; then
    echo "Starting Now Playing." >&2
  else
    echo "No Spotify client ID configured: starting the demo (a built-in Spotify simulator)." >&2
    args=(--demo)
  fi
fi

# The tray app is what runs when no command (login, logout, now, simulator) is given.
tray_app=1
for arg in "${args[@]}"; do
  case "$arg" in
    -h | --help | --version) tray_app=0 ;;
    -*) ;;
    *) tray_app=0 ;;
  esac
done

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ "$(uname)" = "Linux" ]; then
  if [ $tray_app -eq 1 ]; then
    echo "No display found: running headless." >&2
  fi
  export QT_QPA_PLATFORM=offscreen
fi

exec .venv/bin/nowplaying-tray "${args[@]}"
