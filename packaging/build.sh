#!/usr/bin/env bash
# Builds nowplaying-tray's package for this platform, from a clean checkout:
#
#   packaging/build.sh
#
#   Linux    dist/nowplaying-tray/ (onedir) and dist/nowplaying-tray_<version>_<arch>.deb
#   macOS    "dist/Now Playing.app" and dist/NowPlaying-<version>.dmg
#   Windows  dist/nowplaying-tray/ and dist/NowPlaying-<version>-setup.exe (needs Inno
#            Setup 6's ISCC.exe; run from Git Bash)
#
# It makes a build venv in build/venv (PYTHON picks the interpreter, default python3),
# installs the app with its pinned dependencies and PyInstaller there, and runs
# `pyinstaller build.spec`. Then on Linux run `sudo packaging/smoke_test.sh dist/*.deb`.
# Linux needs dpkg-dev (dpkg-shlibdeps) and the Qt libraries listed in docs/PACKAGING.md.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
python=${PYTHON:-$(command -v python3 || command -v python || echo python3)}
venv=build/venv

say() { printf 'build: %s\n' "$*"; }
die() {
  printf 'build: %s\n' "$*" >&2
  exit 1
}

case "$(uname -s)" in
  Linux) platform=linux ;;
  Darwin) platform=macos ;;
  MINGW* | MSYS* | CYGWIN*) platform=windows ;;
  *) die "unsupported platform: $(uname -s)" ;;
esac
if [[ $platform == windows ]]; then
  venv_python=$venv/Scripts/python.exe
else
  venv_python=$venv/bin/python
fi

started=$(date +%s)
if [[ ! -x $venv_python ]]; then
  say "creating $venv with $("$python" -V 2>&1)"
  "$python" -m venv "$venv"
fi
say "installing the app and PyInstaller into $venv"
"$venv_python" -m pip install -q --disable-pip-version-check --upgrade pip
"$venv_python" -m pip install -q --disable-pip-version-check . "pyinstaller>=6.10,<7"

say "running PyInstaller"
rm -rf dist/nowplaying-tray "dist/Now Playing.app"
# Qt renders the icons without a display.
QT_QPA_PLATFORM=offscreen "$venv_python" -m PyInstaller --noconfirm --clean \
  --distpath dist --workpath build/pyinstaller build.spec

version=$(sed -n 's/^__version__ = "\([^"]*\)"/\1/p' nowplaying_tray/__init__.py)
case "$platform" in
  linux)
    PYTHON=$venv_python packaging/linux/build-deb.sh dist/nowplaying-tray
    say "onedir: $(du -sh dist/nowplaying-tray | cut -f1), package: $(ls dist/*.deb)"
    ;;
  macos)
    packaging/macos/build-dmg.sh "dist/Now Playing.app" "dist/NowPlaying-$version.dmg"
    ;;
  windows)
    iscc=${ISCC:-}
    if [[ -z $iscc ]]; then
      for candidate in "/c/Program Files (x86)/Inno Setup 6/ISCC.exe" \
        "/c/Program Files/Inno Setup 6/ISCC.exe"; do
        [[ -x $candidate ]] && iscc=$candidate && break
      done
    fi
    if [[ -z $iscc ]] && command -v iscc >/dev/null; then iscc=iscc; fi
    if [[ -z $iscc ]]; then
      say "Inno Setup 6 not found (set ISCC=path/to/ISCC.exe): built the onedir only"
    else
      # Git Bash would rewrite "/D..." arguments into Windows paths without these.
      MSYS_NO_PATHCONV=1 MSYS2_ARG_CONV_EXCL='*' \
        "$iscc" /Qp "/DAppVersion=$version" packaging/windows/nowplaying-tray.iss
    fi
    ;;
esac
say "done in $(($(date +%s) - started)) s"
