#!/usr/bin/env bash
# Installs the built .deb and proves the installed app works, then removes it.
#
#   sudo packaging/smoke_test.sh dist/nowplaying-tray_<version>_<arch>.deb [--keep]
#
# Runs as root on Debian/Ubuntu (it calls apt-get). Needs, besides the package's own
# dependencies: dbus (dbus-run-session), gnome-keyring and curl; libsecret-tools
# (secret-tool) and xvfb are used when present. Checks:
#   - apt-get installs the file and its Depends; /usr/bin/nowplaying-tray, the desktop
#     entry and the icons are in place; every bundled ELF file finds its libraries;
#   - `nowplaying-tray --version`;
#   - keyring's Secret Service backend is registered in the frozen build, and works:
#     inside a private session bus with an unlocked gnome-keyring, `login` stores the
#     token (secret-tool sees it) and `now --json` reads playback from the simulator;
#   - the tray app runs offscreen for a few seconds, logged in through that keyring and
#     in --demo, exits 0 on SIGTERM, and prints nothing on stderr but allow-listed lines;
#     with Xvfb, the same on the xcb platform;
#   - `apt-get remove` leaves nothing behind in /opt/nowplaying-tray and /usr/bin.
# Nothing touches the real home directory, keyring or session bus.
set -uo pipefail

usage() { sed -n '2,4s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }

deb="" keep=0
for arg in "$@"; do
  case "$arg" in
    --keep) keep=1 ;;
    -h | --help)
      usage
      exit 0
      ;;
    *) deb=$arg ;;
  esac
done
if [[ -z $deb || ! -f $deb ]]; then
  usage >&2
  exit 2
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "smoke_test: run as root (it installs the package with apt-get)" >&2
  exit 2
fi
deb=$(realpath "$deb")

package=nowplaying-tray
app=/usr/bin/$package
prefix=/opt/$package
demo_client_id=5e1a7c3f9b2d4e6a8c0f1b3d5e7a9c2b # nowplaying_tray.simulator.DEMO_CLIENT_ID
tray_seconds=${SMOKE_TRAY_SECONDS:-5}

passed=0 failed=0
ok() {
  passed=$((passed + 1))
  printf 'ok   %s\n' "$*"
}
not_ok() {
  failed=$((failed + 1))
  printf 'FAIL %s\n' "$*"
}
check() { # check DESCRIPTION COMMAND...
  local what=$1
  shift
  if "$@"; then ok "$what"; else not_ok "$what"; fi
}
indent() { sed 's/^/       /'; }

work=$(mktemp -d "${TMPDIR:-/tmp}/nowplaying-smoke.XXXXXX")
sim_pid=""
cleanup() {
  if [[ -n $sim_pid ]]; then
    kill -TERM "$sim_pid" 2>/dev/null
    wait "$sim_pid" 2>/dev/null
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# -- install ------------------------------------------------------------------------------
export DEBIAN_FRONTEND=noninteractive
if ! compgen -G '/var/lib/apt/lists/*_Packages' >/dev/null; then
  apt-get update -q >"$work/apt-update.log" 2>&1 || cat "$work/apt-update.log"
fi
if apt-get install -y -q "$deb" >"$work/apt-install.log" 2>&1; then
  ok "apt-get install $(basename "$deb")"
else
  not_ok "apt-get install $(basename "$deb")"
  indent <"$work/apt-install.log"
  echo "smoke test: $passed passed, $failed failed"
  exit 1
fi

check "$app is on PATH and runs the bundle" test "$(readlink -f "$app")" = "$prefix/$package"
check "desktop entry installed" test -f /usr/share/applications/$package.desktop
if command -v desktop-file-validate >/dev/null; then
  check "desktop entry valid" desktop-file-validate /usr/share/applications/$package.desktop
fi
check "hicolor icons installed" test -f /usr/share/icons/hicolor/scalable/apps/$package.svg \
  -a -f /usr/share/icons/hicolor/48x48/apps/$package.png

# Every ELF file in the bundle must find its libraries: in the bundle or, through
# Depends, on the system.
missing_libs() {
  local lib_path file
  lib_path=$(find "$prefix" -name '*.so*' -type f -printf '%h\n' | sort -u | paste -sd:)
  find "$prefix" -type f \( -name '*.so*' -o -perm -u+x \) -print0 |
    while IFS= read -r -d '' file; do
      [[ $(head -c 4 "$file" | od -An -tx1 | tr -d ' \n') == 7f454c46 ]] || continue
      LD_LIBRARY_PATH=$lib_path ldd "$file" 2>/dev/null | grep 'not found' |
        sed "s|^|${file#"$prefix"/}: |"
    done
}
missing=$(missing_libs)
if [[ -z $missing ]]; then
  ok "every bundled ELF file resolves its libraries"
else
  not_ok "libraries not found:"
  printf '%s\n' "$missing" | sort -u | indent
fi

version_line=$("$app" --version 2>&1)
check "nowplaying-tray --version: $version_line" \
  grep -Eq "^$package [0-9]+\.[0-9]+" <<<"$version_line"

# keyring finds backends through entry points: its metadata must be in the bundle.
check "keyring's SecretService backend is registered in the frozen build" \
  grep -q 'SecretService = keyring.backends.SecretService' \
  "$prefix"/_internal/keyring-*.dist-info/entry_points.txt
check "Qt plugins: xcb, offscreen, jpeg" test \
  -f "$prefix/_internal/PySide6/Qt/plugins/platforms/libqxcb.so" \
  -a -f "$prefix/_internal/PySide6/Qt/plugins/platforms/libqoffscreen.so" \
  -a -f "$prefix/_internal/PySide6/Qt/plugins/imageformats/libqjpeg.so"

# -- a private home, session bus and keyring ----------------------------------------------
export HOME=$work/home XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data \
  XDG_STATE_HOME=$work/state XDG_CACHE_HOME=$work/cache XDG_RUNTIME_DIR=$work/run
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_STATE_HOME" "$XDG_CACHE_HOME"
mkdir -m 700 "$XDG_RUNTIME_DIR"
unset DBUS_SESSION_BUS_ADDRESS DISPLAY WAYLAND_DISPLAY PYTHON_KEYRING_BACKEND

"$app" simulator --port 0 --auto-approve >"$work/sim.out" 2>"$work/sim.err" &
sim_pid=$!
url=""
for _ in $(seq 100); do
  url=$(sed -n 's/^Spotify simulator on \(http[^ ]*\) .*/\1/p' "$work/sim.out")
  [[ -n $url ]] && break
  sleep 0.1
done
if [[ -n $url ]]; then
  ok "simulator from the installed binary: $url"
else
  not_ok "simulator did not start"
  indent <"$work/sim.err"
fi

# A "browser" that follows the authorize redirect to the app's loopback listener.
cat >"$work/browser" <<'EOF'
#!/bin/sh
curl -sL "$1" >/dev/null 2>&1 &
EOF
chmod +x "$work/browser"
export BROWSER=$work/browser SPOTIPY_CLIENT_ID=$demo_client_id \
  NOWPLAYING_ACCOUNTS_URL=$url NOWPLAYING_API_URL=$url/v1

# Lines the tray may print on stderr (extended regexes); anything else fails the test.
# In headless (offscreen) runs the app says once that track changes are printed; on an X
# display with no tray host (Xvfb) it says once that it shows its window instead.
cat >"$work/allowed-stderr" <<'EOF'
^No tray to show: track changes and problems are printed here\. Press Ctrl\+C to quit\.$
^QSystemTrayIcon::setVisible: No Icon set$
^[-0-9]+ [:,0-9]+ WARNING \[MainThread\] nowplaying_tray\.ui\.no_tray: No system tray appeared; showing the window instead$
EOF

# Runs the tray for a while, then SIGTERM: run-tray.sh NAME PLATFORM [APP ARGS...]
cat >"$work/run-tray.sh" <<'EOF'
#!/usr/bin/env bash
set -uo pipefail
name=$1 platform=$2
shift 2
indent() { sed 's/^/       /'; }
QT_QPA_PLATFORM=$platform "$SMOKE_APP" "$@" >"$SMOKE_WORK/tray.out" 2>"$SMOKE_WORK/tray.err" &
pid=$!
sleep "$SMOKE_SECONDS"
if ! kill -0 "$pid" 2>/dev/null; then
  wait "$pid"
  printf 'FAIL %s: exited early with status %s\n' "$name" "$?"
  indent <"$SMOKE_WORK/tray.err"
  exit 0
fi
kill -TERM "$pid"
wait "$pid"
status=$?
unexpected=$(grep -Ev -f "$SMOKE_WORK/allowed-stderr" "$SMOKE_WORK/tray.err")
if [[ $status -eq 0 && -z $unexpected ]]; then
  printf 'ok   %s: ran %ss, exit 0 on SIGTERM, stderr only allow-listed (%s lines)\n' \
    "$name" "$SMOKE_SECONDS" "$(wc -l <"$SMOKE_WORK/tray.err")"
else
  printf 'FAIL %s: exit status %s (0 expected), %s unexpected stderr lines\n' \
    "$name" "$status" "$(grep -c . <<<"$unexpected")"
  if [[ -n $unexpected ]]; then
    echo "       unexpected on stderr:"
    printf '%s\n' "$unexpected" | indent
  fi
fi
if [[ $platform == offscreen ]]; then # headless runs print track changes on stdout
  track=$(grep -o '^Now playing: .*' "$SMOKE_WORK/tray.out" | head -1)
  if [[ -n $track ]]; then
    printf 'ok   %s: shows the simulator track (%s)\n' "$name" "$track"
  else
    printf 'FAIL %s: never showed a track\n' "$name"
  fi
fi
EOF

# Runs inside the private session bus; prints "ok ..."/"FAIL ..." lines.
cat >"$work/in-session.sh" <<'EOF'
#!/usr/bin/env bash
set -uo pipefail
app=$SMOKE_APP work=$SMOKE_WORK
indent() { sed 's/^/       /'; }

eval "$(printf 'smoke-test' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL

if "$app" login >"$work/login.out" 2>"$work/login.err" &&
  grep -q '^Logged in as ' "$work/login.out"; then
  echo "ok   login, token kept by the frozen build's keyring: $(cat "$work/login.out")"
else
  echo "FAIL login"
  cat "$work/login.out" "$work/login.err" | indent
fi
if command -v secret-tool >/dev/null; then
  if secret-tool lookup service nowplaying-tray username "$SPOTIPY_CLIENT_ID" |
    grep -q access_token; then
    echo "ok   the token is in the Secret Service (gnome-keyring): secret-tool finds it"
  else
    echo "FAIL no token in the Secret Service"
  fi
fi
if "$app" now --json >"$work/now.out" 2>"$work/now.err" &&
  grep -q '"state": "playing"' "$work/now.out" && grep -q '"title": ' "$work/now.out"; then
  echo "ok   now --json: $(cut -c1-100 "$work/now.out")..."
else
  echo "FAIL now --json"
  cat "$work/now.out" "$work/now.err" | indent
fi

"$work/run-tray.sh" "tray, logged in, offscreen" offscreen
"$work/run-tray.sh" "tray --demo, offscreen" offscreen --demo
if command -v xvfb-run >/dev/null; then
  xvfb-run -a -s '-screen 0 1280x800x24' "$work/run-tray.sh" "tray --demo, xcb on Xvfb" xcb --demo
else
  echo "skip the xcb run: xvfb-run is not installed"
fi
echo "session checks done"
EOF
chmod +x "$work/run-tray.sh" "$work/in-session.sh"

SMOKE_APP=$app SMOKE_WORK=$work SMOKE_SECONDS=$tray_seconds \
  dbus-run-session -- "$work/in-session.sh" >"$work/session.out" 2>"$work/session.err"
grep -v '^session checks done$' "$work/session.out"
passed=$((passed + $(grep -c '^ok ' "$work/session.out")))
failed=$((failed + $(grep -c '^FAIL ' "$work/session.out")))
if ! grep -q '^session checks done$' "$work/session.out"; then
  not_ok "the session-bus checks did not finish"
  grep -v 'fd limit' "$work/session.err" | indent
fi

kill -TERM "$sim_pid" 2>/dev/null
wait "$sim_pid"
check "simulator stopped cleanly" test $? -eq 0
sim_pid=""

# -- removal ------------------------------------------------------------------------------
if [[ $keep -eq 1 ]]; then
  echo "keeping $package installed (--keep)"
else
  if apt-get remove -y -q "$package" >"$work/apt-remove.log" 2>&1; then
    ok "apt-get remove $package"
  else
    not_ok "apt-get remove $package"
    indent <"$work/apt-remove.log"
  fi
  check "removed: $prefix is gone" test ! -e "$prefix"
  check "removed: $app is gone" test ! -e "$app" -a ! -L "$app"
  check "removed: desktop entry and icons are gone" test \
    ! -e /usr/share/applications/$package.desktop \
    -a ! -e /usr/share/icons/hicolor/scalable/apps/$package.svg
  check "removed: dpkg lists nothing left" \
    test -z "$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null | grep -v not-installed)"
fi

echo "smoke test: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
