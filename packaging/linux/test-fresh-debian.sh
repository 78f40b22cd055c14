#!/usr/bin/env bash
# Proves the .deb installs and works on a fresh, minimal Debian: makes a bookworm chroot
# with debootstrap, installs the package there with only its Depends, checks that every
# bundled library resolves and the app starts, then installs the smoke test's tools and
# runs packaging/smoke_test.sh inside the chroot.
#
#   sudo packaging/linux/test-fresh-debian.sh dist/nowplaying-tray_<version>_<arch>.deb
#
# Needs root, debootstrap (apt-get install debootstrap) and a Debian mirror
# (MIRROR, default http://deb.debian.org/debian; SUITE, default bookworm). The chroot
# lives in a temporary folder and is deleted at the end (KEEP_CHROOT=1 keeps it).
set -euo pipefail

deb=${1:-}
if [[ -z $deb || ! -f $deb ]]; then
  sed -n '2,11s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
  exit 2
fi
[[ $(id -u) -eq 0 ]] || { echo "test-fresh-debian: run as root" >&2; exit 2; }
command -v debootstrap >/dev/null || {
  echo "test-fresh-debian: apt-get install debootstrap" >&2
  exit 2
}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
suite=${SUITE:-bookworm}
mirror=${MIRROR:-http://deb.debian.org/debian}

root=$(mktemp -d "${TMPDIR:-/tmp}/nowplaying-debian.XXXXXX")
chmod 755 "$root" # apt in the chroot downloads as the _apt user
mounted=()
cleanup() {
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    umount -l "${mounted[i]}" 2>/dev/null || true
  done
  if [[ ${KEEP_CHROOT:-0} == 1 ]]; then
    echo "test-fresh-debian: chroot kept in $root"
  else
    rm -rf --one-file-system "$root"
  fi
}
trap cleanup EXIT

echo "test-fresh-debian: debootstrap $suite (minbase) into $root"
debootstrap --variant=minbase "$suite" "$root" "$mirror" >"$root.debootstrap.log" 2>&1 || {
  tail -20 "$root.debootstrap.log" >&2
  exit 1
}
rm -f "$root.debootstrap.log"
for mount_point in proc sys dev dev/pts; do
  mount --bind "/$mount_point" "$root/$mount_point"
  mounted+=("$root/$mount_point")
done
cp /etc/resolv.conf "$root/etc/resolv.conf"
cp "$deb" "$root/root/"
cp "$here/smoke_test.sh" "$root/root/"
name=$(basename "$deb")

# shellcheck disable=SC2016 # the script runs in the chroot; $name is spliced in on purpose
chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
  bash -euo pipefail -c '
  export DEBIAN_FRONTEND=noninteractive
  cd /root
  apt-get update -q >/dev/null
  echo "== apt-get install --no-install-recommends ./'"$name"' on a fresh '"$suite"'"
  apt-get install -y -q --no-install-recommends "./'"$name"'" >install.log 2>&1 ||
    { cat install.log; exit 1; }
  grep -E "newly installed" install.log
  echo "== with only its Depends:"
  lib_path=$(find /opt/nowplaying-tray -name "*.so*" -type f -printf "%h\n" | sort -u | paste -sd:)
  missing=0
  while IFS= read -r -d "" file; do
    head -c 4 "$file" | grep -q ELF || continue
    if LD_LIBRARY_PATH=$lib_path ldd "$file" | grep "not found"; then missing=1; fi
  done < <(find /opt/nowplaying-tray -type f \( -name "*.so*" -o -perm -u+x \) -print0)
  [[ $missing -eq 0 ]] && echo "every bundled ELF file resolves its libraries"
  nowplaying-tray --version
  export HOME=$(mktemp -d)
  QT_QPA_PLATFORM=offscreen nowplaying-tray --demo >"$HOME/out" 2>"$HOME/err" &
  pid=$!
  sleep 5
  kill -TERM "$pid"
  status=0
  wait "$pid" || status=$?
  if [[ $status -ne 0 ]] || grep -v " INFO " "$HOME/err"; then
    echo "the offscreen demo failed (exit status $status)"; exit 1
  fi
  echo "the offscreen demo ran 5 s and quit cleanly"
  echo "== the smoke test, with its tools installed"
  apt-get install -y -q --no-install-recommends dbus gnome-keyring curl libsecret-tools \
    xvfb xauth desktop-file-utils >tools.log 2>&1 || { cat tools.log; exit 1; }
  ./smoke_test.sh "./'"$name"'"
'
