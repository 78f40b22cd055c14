#!/usr/bin/env bash
# Packs the .app that PyInstaller built into a drag-to-Applications disk image.
#
#   packaging/macos/build-dmg.sh ["dist/Now Playing.app"] [dist/NowPlaying-<version>.dmg]
#
# Run on macOS (hdiutil, ditto), normally by packaging/build.sh. PyInstaller signs the
# bundle ad hoc, which is enough to run it on the machine that built it. To sign for
# distribution, set MACOS_SIGN_IDENTITY (a "Developer ID Application" identity in the
# keychain); notarisation is a separate step (xcrun notarytool) not done here.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
version=$(sed -n 's/^__version__ = "\([^"]*\)"/\1/p' nowplaying_tray/__init__.py)
app=${1:-"dist/Now Playing.app"}
dmg=${2:-"dist/NowPlaying-$version.dmg"}
volume="Now Playing"

[[ $(uname -s) == Darwin ]] || { echo "build-dmg: run this on macOS" >&2; exit 1; }
[[ -d $app ]] || { echo "build-dmg: no app bundle at $app (run pyinstaller build.spec)" >&2; exit 1; }

# The bundle must say it is a menu-bar app (no Dock icon) with our id.
/usr/libexec/PlistBuddy -c 'Print :LSUIElement' "$app/Contents/Info.plist" | grep -qi true
/usr/libexec/PlistBuddy -c 'Print :CFBundleIdentifier' "$app/Contents/Info.plist"

if [[ -n ${MACOS_SIGN_IDENTITY:-} ]]; then
  codesign --force --deep --options runtime --timestamp --sign "$MACOS_SIGN_IDENTITY" "$app"
fi
codesign --verify --deep "$app"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
ditto "$app" "$stage/$(basename "$app")"
ln -s /Applications "$stage/Applications"

rm -f "$dmg"
hdiutil create -volname "$volume" -srcfolder "$stage" -fs HFS+ -format UDZO \
  -imagekey zlib-level=9 -ov "$dmg"
hdiutil verify "$dmg"
echo "build-dmg: built $dmg ($(du -h "$dmg" | cut -f1))"
