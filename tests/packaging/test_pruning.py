"""What the frozen app leaves out (packaging/pruning.py), on PyInstaller-shaped entries:
Qt plugins, the libraries only they needed, translations, system libraries, leftovers."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType

import pytest

from nowplaying_tray.simulator.harness import MODULES as HARNESS_MODULES

REPO_ROOT = Path(__file__).resolve().parents[2]
QT = "PySide6/Qt"


def load_pruning() -> ModuleType:
    # Loaded from its file: packaging/ is a folder of build scripts, not a package (and
    # "packaging" is a well-known distribution's name).
    spec = importlib.util.spec_from_file_location("pruning", REPO_ROOT / "packaging" / "pruning.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


pruning = load_pruning()


def binary(dest: str, source: str | None = None) -> tuple[str, str, str]:
    return (dest, source or f"/wheel/{dest}", "BINARY")


class Libraries:
    """Which libraries each binary loads: PyInstaller's ``get_imports``, as a table."""

    def __init__(self, needs: dict[str, list[str]]) -> None:
        self.needs = needs

    def __call__(self, source: str) -> Iterable[tuple[str, str | None]]:
        if source == "/unreadable":
            raise OSError("not an executable file")
        return [(name, None) for name in self.needs.get(Path(source).name, [])]


def dests(entries: list[tuple[str, str, str]]) -> set[str]:
    return {entry[0] for entry in entries}


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        (f"{QT}/plugins/platforms/libqxcb.so", True),
        (f"{QT}/plugins/platforms/qwindows.dll", True),
        (f"{QT}/plugins/platforms/libqwayland-egl.so", False),
        (f"{QT}/plugins/imageformats/libqjpeg.so", True),
        (f"{QT}/plugins/imageformats/libqsvg.so", False),
        (f"{QT}/plugins/styles/libqmodernwindowsstyle.so", True),  # a whole folder kept
        (f"{QT}/plugins/sqldrivers/libqsqlite.so", False),  # a folder not named at all
        (f"{QT}/lib/libQt6Core.so.6", True),  # not a plugin
        ("libcrypto.so.3", True),
    ],
)
def test_plugins_are_kept_by_folder_and_name(dest: str, kept: bool) -> None:
    assert pruning.plugin_kept(dest) is kept


def test_a_library_only_dropped_plugins_needed_goes_too() -> None:
    wayland = binary(f"{QT}/plugins/platforms/libqwayland-egl.so")
    xcb = binary(f"{QT}/plugins/platforms/libqxcb.so")
    wayland_client = binary(f"{QT}/lib/libQt6WaylandClient.so.6")
    xcb_qpa = binary(f"{QT}/lib/libQt6XcbQpa.so.6")
    core = binary(f"{QT}/lib/libQt6Core.so.6")
    libraries = Libraries(
        {
            "libqwayland-egl.so": ["libQt6WaylandClient.so.6", "libQt6Core.so.6"],
            "libqxcb.so": ["libQt6XcbQpa.so.6", "libQt6Core.so.6"],
            "libQt6XcbQpa.so.6": ["libQt6Core.so.6"],
        }
    )
    kept = pruning.trim_binaries([wayland, xcb, wayland_client, xcb_qpa, core], libraries)
    assert dests(kept) == {xcb[0], xcb_qpa[0], core[0]}


def test_a_library_a_kept_file_still_needs_stays() -> None:
    svg_plugin = binary(f"{QT}/plugins/imageformats/libqsvg.so")
    qt_svg = binary(f"{QT}/lib/libQt6Svg.so.6")
    app_module = binary("PySide6/QtSvg.abi3.so")  # the app renders its SVGs with QtSvg
    libraries = Libraries({"libqsvg.so": ["libQt6Svg.so.6"], "QtSvg.abi3.so": ["libQt6Svg.so.6"]})
    kept = pruning.trim_binaries([svg_plugin, qt_svg, app_module], libraries)
    assert dests(kept) == {qt_svg[0], app_module[0]}


def test_an_unreadable_binary_keeps_nothing_alive() -> None:
    plugin = binary(f"{QT}/plugins/platforms/libqeglfs.so", "/unreadable")
    assert pruning.trim_binaries([plugin], Libraries({})) == []


def test_windows_software_opengl_is_dropped_by_name() -> None:
    entries = [binary("PySide6/opengl32sw.dll"), binary("PySide6/Qt6Core.dll")]
    assert dests(pruning.trim_binaries(entries, Libraries({}))) == {"PySide6/Qt6Core.dll"}


def test_system_libraries_are_told_from_bundled_ones(tmp_path: Path) -> None:
    wheel_copy = tmp_path / "libQt6Core.so.6"
    wheel_copy.write_bytes(b"")
    link = tmp_path / "libxcb.so.1"
    link.symlink_to("/usr/lib/x86_64-linux-gnu/libxcb.so.1")  # resolved, not followed blindly
    assert pruning.from_system(("libxcb.so.1", str(link), "BINARY"))
    assert pruning.from_system(("libfontconfig.so.1", "/lib/libfontconfig.so.1", "BINARY"))
    assert not pruning.from_system(("libQt6Core.so.6", str(wheel_copy), "BINARY"))
    assert not pruning.from_system(
        ("libpython3.11.so.1.0", "/usr/lib/libpython3.11.so.1.0", "BINARY")
    )
    assert not pruning.from_system(("base_library.zip", "/usr/lib/base_library.zip", "DATA"))


def test_prune_drops_system_libraries_only_when_asked() -> None:
    system = ("libfontconfig.so.1", "/usr/lib/libfontconfig.so.1", "BINARY")
    bundled = binary(f"{QT}/lib/libQt6Core.so.6")
    for drop, expected in ((True, {bundled[0]}), (False, {bundled[0], system[0]})):
        kept, _ = pruning.prune([system, bundled], [], Libraries({}), drop_system_libraries=drop)
        assert dests(kept) == expected


def test_prune_removes_translations_and_leftovers_of_removed_libraries() -> None:
    plugin = binary(f"{QT}/plugins/platforms/libqwayland-egl.so")
    core = binary(f"{QT}/lib/libQt6Core.so.6")
    # A symlink beside the removed plugin, pointing at it (its source is relative).
    link = (f"{QT}/plugins/platforms/libqwayland.so", "libqwayland-egl.so", "SYMLINK")
    kept_link = (f"{QT}/lib/libQt6Core.so", "libQt6Core.so.6", "SYMLINK")
    translation = (f"{QT}/translations/qt_de.qm", "/wheel/qt_de.qm", "DATA")
    icon = ("nowplaying_tray/resources/icons/nowplaying-tray.svg", "/repo/icon.svg", "DATA")
    binaries, datas = pruning.prune(
        [plugin, core, link, kept_link],
        [translation, icon],
        Libraries({}),
        drop_system_libraries=False,
    )
    assert dests(binaries) == {core[0], kept_link[0]}
    assert dests(datas) == {icon[0]}


def test_a_removed_framework_leaves_no_resources_behind() -> None:
    framework = f"{QT}/lib/QtPdf.framework"
    library = binary(f"{framework}/Versions/A/QtPdf")
    resources = (f"{framework}/Resources/Info.plist", "/wheel/Info.plist", "DATA")
    assert pruning.framework_root(resources[0]) == framework
    assert pruning.framework_root(f"{QT}/lib/libQt6Core.so.6") is None
    assert pruning.drop_leftovers([resources], [library[0]]) == []


def test_the_simulators_test_harness_stays_out() -> None:
    assert set(HARNESS_MODULES) <= set(pruning.EXCLUDED_MODULES)
    assert "nowplaying_tray.simulator" in pruning.HIDDEN_IMPORTS  # the demo needs the rest
