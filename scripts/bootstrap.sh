#!/usr/bin/env bash
# Makes a Debian/Ubuntu machine ready to run and test nowplaying-tray.
#
#   scripts/bootstrap.sh             system packages for Qt and the desktop tests,
#                                    .venv with the app and its test tools
#   scripts/bootstrap.sh --app-only  only what running the app needs
#
# Safe to run again: it installs only what is missing, and reinstalls the Python
# packages only when pyproject.toml has changed since the last install.
# System packages need root (or password-less sudo); without either it prints
# the command to run and carries on.
set -euo pipefail

usage() {
  sed -n '2,11s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

app_only=0
for arg in "$@"; do
  case "$arg" in
    --app-only) app_only=1 ;;
    -h | --help)
      usage
      exit 0
      ;;
    *)
      echo "bootstrap.sh: unknown option: $arg" >&2
      usage >&2
      exit 2
      ;;
  esac
done

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$(pwd)
venv="$root/.venv"
python=${PYTHON:-python3}

say() { printf 'bootstrap: %s\n' "$*"; }
warn() { printf 'bootstrap: %s\n' "$*" >&2; }

# Shared libraries Qt needs for its offscreen and xcb platforms.
qt_packages=(
  libegl1 libgl1 libfontconfig1 libxkbcommon0 libdbus-1-3 fonts-dejavu-core
  libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-randr0
  libxcb-render-util0 libxcb-render0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1
  libxcb-xfixes0 libxcb-xkb1 libxkbcommon-x11-0
)
# A virtual desktop for the end-to-end tests: X server, session bus, notification
# server, Secret Service, tray host, browser, screenshots.
desktop_packages=(
  xvfb dbus dbus-x11 dunst gnome-keyring libsecret-tools chromium imagemagick
  desktop-file-utils xfce4-panel x11-utils fonts-noto-cjk trayer xdotool playerctl
  openbox x11-xserver-utils
  mpv mpv-mpris vlc-bin vlc-plugin-base ffmpeg
  fonts-noto-core  # Debian desktops' default sans-serif: the UI tests run under it too (.ci/run)
)

wanted=("${qt_packages[@]}")
if [[ $app_only -eq 0 ]]; then
  wanted+=("${desktop_packages[@]}")
fi
# Debian splits venv/ensurepip out of python3.
if ! "$python" -c 'import ensurepip, venv' >/dev/null 2>&1 && [[ ! -x "$venv/bin/python" ]]; then
  wanted+=(python3-venv)
fi

missing_packages() {
  local package status
  for package in "$@"; do
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    if [[ $status != "install ok installed" ]]; then
      printf '%s\n' "$package"
    fi
  done
}

install_system_packages() {
  if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    warn "not a Debian/Ubuntu system: install the equivalents of these yourself: ${wanted[*]}"
    return 0
  fi
  local missing
  mapfile -t missing < <(missing_packages "${wanted[@]}")
  if [[ ${#missing[@]} -eq 0 ]]; then
    return 0
  fi

  local -a as_root
  if [[ $(id -u) -eq 0 ]]; then
    as_root=(env DEBIAN_FRONTEND=noninteractive)
  elif command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
    as_root=(sudo -n env DEBIAN_FRONTEND=noninteractive)
  else
    warn "missing system packages: ${missing[*]}"
    warn "install them with:"
    warn "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}"
    if [[ $app_only -eq 0 ]]; then
      warn "continuing: the desktop tests will be skipped (or fail under CI=true) without them"
    else
      warn "continuing: the app may fail to start without them"
    fi
    return 0
  fi

  local log
  log=$(mktemp "${TMPDIR:-/tmp}/bootstrap-apt.XXXXXX")
  say "installing ${#missing[@]} system package(s): ${missing[*]}"
  if ! "${as_root[@]}" apt-get update -q >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    warn "apt-get update failed"
    return 1
  fi
  # Names differ between releases (chromium is chromium-browser on some Ubuntus):
  # install what this release has and name the rest instead of failing on them.
  local -a available=() unavailable=()
  local package
  for package in "${missing[@]}"; do
    if apt-cache show --no-all-versions "$package" >/dev/null 2>&1; then
      available+=("$package")
    else
      unavailable+=("$package")
    fi
  done
  if [[ ${#unavailable[@]} -gt 0 ]]; then
    warn "not available in this release, install an equivalent yourself: ${unavailable[*]}"
  fi
  if [[ ${#available[@]} -gt 0 ]] &&
    ! "${as_root[@]}" apt-get install -y -q --no-install-recommends "${available[@]}" \
      >>"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    warn "apt-get install failed"
    return 1
  fi
  rm -f "$log"
}

file_sha256() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  else
    shasum -a 256 "$1" | cut -d' ' -f1
  fi
}

setup_venv() {
  if [[ -x "$venv/bin/python" ]] && ! "$venv/bin/python" -c 'import sys' >/dev/null 2>&1; then
    warn "$venv is broken (its Python is gone); recreating it"
    rm -rf "$venv"
  fi
  if [[ ! -x "$venv/bin/python" ]]; then
    if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
      warn "Python 3.10 or newer is required; $python is $("$python" -V 2>&1 || echo missing)"
      warn "set PYTHON=/path/to/python3.x to use another interpreter"
      return 1
    fi
    say "creating $venv"
    "$python" -m venv "$venv"
  fi

  local sha stamp full_stamp app_stamp
  sha=$(file_sha256 pyproject.toml)
  full_stamp="$venv/.installed-$sha"
  app_stamp="$venv/.installed-app-$sha"
  if [[ -e $full_stamp ]] || [[ $app_only -eq 1 && -e $app_stamp ]]; then
    return 0
  fi

  local target='.[test]'
  stamp=$full_stamp
  if [[ $app_only -eq 1 ]]; then
    target='.'
    stamp=$app_stamp
  fi
  say "installing Python packages into .venv ($target)"
  # pip's output only matters when it fails; keep it out of every other run.
  local log
  log=$(mktemp "${TMPDIR:-/tmp}/bootstrap-pip.XXXXXX")
  if ! { "$venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip &&
    "$venv/bin/python" -m pip install -q --disable-pip-version-check -e "$target"; } \
    >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    warn "pip install failed"
    return 1
  fi
  rm -f "$log"
  rm -f "$venv"/.installed-*
  touch "$stamp"
}

install_system_packages
setup_venv
