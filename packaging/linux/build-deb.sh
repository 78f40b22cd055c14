#!/usr/bin/env bash
# Builds dist/nowplaying-tray_<version>_<arch>.deb from the PyInstaller onedir.
#
#   packaging/linux/build-deb.sh [ONEDIR]      (default: dist/nowplaying-tray)
#
# Normally run by packaging/build.sh after `pyinstaller build.spec`. Needs dpkg-deb and
# dpkg-shlibdeps (package dpkg-dev), and a Python with PySide6 for the icons
# (PYTHON, default build/venv/bin/python).
#
# Layout of the package:
#   /opt/nowplaying-tray/                           the onedir, as PyInstaller made it
#   /usr/bin/nowplaying-tray                        symlink to /opt/nowplaying-tray/nowplaying-tray
#   /usr/share/applications/nowplaying-tray.desktop
#   /usr/share/icons/hicolor/*/apps/nowplaying-tray.{svg,png}
#   /usr/share/doc/nowplaying-tray/copyright
# Depends is computed by dpkg-shlibdeps from the ELF files, so it names exactly the
# system libraries the bundled Qt and Python need (build.spec leaves those out of the
# onedir). Icon caches and the desktop database are refreshed by the dpkg triggers of
# hicolor-icon-theme (gtk-update-icon-cache) and desktop-file-utils, so the package has
# no maintainer scripts.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
root=$(pwd)
onedir=${1:-dist/nowplaying-tray}
python=${PYTHON:-build/venv/bin/python}
package=nowplaying-tray
maintainer=${DEB_MAINTAINER:-"nowplaying-tray developers <noreply@nowplaying-tray.invalid>"}

say() { printf 'build-deb: %s\n' "$*"; }
die() {
  printf 'build-deb: %s\n' "$*" >&2
  exit 1
}

[[ -x $onedir/$package ]] || die "no onedir at $onedir (run pyinstaller build.spec first)"
for tool in dpkg-deb dpkg-shlibdeps dpkg-architecture; do
  command -v "$tool" >/dev/null || die "$tool is missing (apt-get install dpkg-dev)"
done
[[ -x $python ]] || python=$(command -v python3)

version=$(sed -n 's/^__version__ = "\([^"]*\)"/\1/p' nowplaying_tray/__init__.py)
[[ -n $version ]] || die "cannot read __version__ from nowplaying_tray/__init__.py"
# PEP 440 pre-releases sort before the release in Debian only with a tilde: 1.0rc1 -> 1.0~rc1
deb_version=$(printf '%s' "$version" | sed -E 's/\.?(a|b|rc|dev)([0-9]*)$/~\1\2/')
arch=$(dpkg --print-architecture)
deb="dist/${package}_${deb_version}_${arch}.deb"

stage="build/deb/${package}_${deb_version}_${arch}"
rm -rf "$stage"
mkdir -p "$stage/DEBIAN" "$stage/opt" "$stage/usr/bin" "$stage/usr/share/applications" \
  "$stage/usr/share/doc/$package"

say "staging $onedir as /opt/$package"
cp -a "$onedir" "$stage/opt/$package"
ln -s "/opt/$package/$package" "$stage/usr/bin/$package"

install -m 644 nowplaying_tray/resources/nowplaying-tray.desktop "$stage/usr/share/applications/"
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$stage/usr/share/applications/nowplaying-tray.desktop"
fi

say "rendering icons"
icons=build/icons
QT_QPA_PLATFORM=offscreen "$python" packaging/make_icons.py "$icons" >/dev/null
hicolor="$stage/usr/share/icons/hicolor"
install -D -m 644 nowplaying_tray/resources/icons/nowplaying-tray.svg "$hicolor/scalable/apps/nowplaying-tray.svg"
for size in 16 22 24 32 48 64 128 256 512; do
  install -D -m 644 "$icons/png/$size.png" "$hicolor/${size}x${size}/apps/nowplaying-tray.png"
done

cat >"$stage/usr/share/doc/$package/copyright" <<'EOF'
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: nowplaying-tray
Comment: /opt/nowplaying-tray/_internal also holds the Python runtime, Qt (LGPL-3.0)
 through PySide6, and the Python packages the app depends on, each under its own
 license; their license files are in the *.dist-info folders there.

Files: *
Copyright: nowplaying-tray contributors
License: MIT
 Permission is hereby granted, free of charge, to any person obtaining a copy of
 this software and associated documentation files (the "Software"), to deal in
 the Software without restriction, including without limitation the rights to
 use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of
 the Software, and to permit persons to whom the Software is furnished to do so,
 subject to the following conditions:
 .
 The above copyright notice and this permission notice shall be included in all
 copies or substantial portions of the Software.
 .
 THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
 IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS
 FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR
 COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER
 IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
 CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
EOF

# Normalise permissions: nothing group- or world-writable, directories 755.
chmod -R u+rwX,go+rX,go-w "$stage"

say "computing Depends with dpkg-shlibdeps"
mapfile -t elf_files < <(
  find "$stage/opt/$package" -type f -size +0 -print0 |
    while IFS= read -r -d '' file; do
      if [[ $(head -c 4 "$file" | od -An -tx1 | tr -d ' \n') == 7f454c46 ]]; then
        printf '%s\n' "$file"
      fi
    done
)
mapfile -t lib_dirs < <(find "$stage/opt/$package" -type f -name '*.so*' -printf '%h\n' | sort -u)
shlibs_dir=build/deb/shlibs
rm -rf "$shlibs_dir"
mkdir -p "$shlibs_dir/debian"
printf 'Source: %s\n\nPackage: %s\nArchitecture: any\n' "$package" "$package" \
  >"$shlibs_dir/debian/control"
shlibs_log=build/deb/dpkg-shlibdeps.log
# Warnings about Python's own symbols (resolved by the bundled libpython at run time)
# and about unused links in Qt's libraries are expected; they go to the log.
if ! (cd "$shlibs_dir" && dpkg-shlibdeps -O --ignore-missing-info \
  "${lib_dirs[@]/#/-l$root/}" "${elf_files[@]/#/-e$root/}") >build/deb/shlibs.out 2>"$shlibs_log"; then
  grep -E 'error' "$shlibs_log" >&2 || cat "$shlibs_log" >&2
  if grep -q 'cannot find library' "$shlibs_log"; then
    printf 'build-deb: %s\n' "install the libraries named above on this machine: Depends is" \
      "computed from the installed packages (docs/PACKAGING.md lists them)" >&2
  fi
  die "dpkg-shlibdeps failed (full log: $shlibs_log)"
fi
depends=$(sed -n 's/^shlibs:Depends=//p' build/deb/shlibs.out)
[[ -n $depends ]] || die "dpkg-shlibdeps found no dependencies (see $shlibs_log)"

installed_size=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
cat >"$stage/DEBIAN/control" <<EOF
Package: $package
Version: $deb_version
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $installed_size
Depends: $depends
Recommends: gnome-keyring | keepassxc, dbus-user-session | dbus-x11
Section: sound
Priority: optional
Description: Spotify's current song in the system tray
 Now Playing sits in the system tray and shows the song you are hearing on
 Spotify: title, artist, album art and progress in the tooltip and a popup,
 playback controls, and a desktop notification when the track changes.
 .
 The login token is kept in the desktop's Secret Service keyring (GNOME
 Keyring, KeePassXC, ...). The command line (nowplaying-tray login, now,
 --help) works in a terminal.
EOF

mkdir -p dist
rm -f "$deb"
say "building $deb (xz)"
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
say "built $deb ($(du -h "$deb" | cut -f1); unpacked $(du -sh "$stage/opt/$package" | cut -f1) in /opt)"
