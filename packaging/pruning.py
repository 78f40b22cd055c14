"""What the frozen app leaves out: Python modules, Qt plugins and translations, and the
libraries only those needed (and, for the .deb, the system's own libraries).

build.spec asks this module and stays short. The functions work on PyInstaller's TOC
entries, ``(dest, source, typecode)`` tuples, and take PyInstaller's dependency reader
(``get_imports``) as an argument, so tests/packaging runs them without PyInstaller.
docs/PACKAGING.md says what each choice saves and why.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from nowplaying_tray.simulator.harness import MODULES as HARNESS_MODULES

Entry = tuple[str, str, str]  # PyInstaller's TOC entry: (dest, source, typecode)
# PyInstaller's bindepend.get_imports: the libraries a binary names, as (name, path).
ImportsOf = Callable[[str], Iterable[tuple[str, str | None]]]

HIDDEN_IMPORTS = [
    "keyring.backends.SecretService",  # Linux: Secret Service over D-Bus (jeepney)
    "keyring.backends.kwallet",  # Linux: KWallet (needs dbus-python; inert without it)
    "keyring.backends.macOS",  # macOS Keychain
    "keyring.backends.Windows",  # Windows Credential Manager
    "keyring.backends.chainer",
    "keyring.backends.fail",
    "keyring.backends.null",
    "nowplaying_tray.simulator",  # `--demo` and `simulator` import it lazily
]

EXCLUDED_MODULES = [
    # Qt modules the app does not import (it uses QtCore, QtGui, QtWidgets, QtSvg, QtNetwork).
    "PySide6.QtDBus",  # the app speaks D-Bus through jeepney
    "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets",
    "PySide6.QtPrintSupport",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtQuickControls2",
    "PySide6.QtQuickWidgets",
    "PySide6.QtPdf",
    "PySide6.QtSql",
    "PySide6.QtSvgWidgets",
    "PySide6.QtTest",
    "PySide6.QtXml",
    "PySide6.QtConcurrent",
    "PySide6.QtUiTools",
    "PySide6.QtDesigner",
    "PySide6.QtHelp",
    # spotipy imports redis at module level, but the app imports spotipy only through
    # nowplaying_tray/core/spotipy_loader.py, which hands it a stand-in: the real redis
    # is never loaded. (Were spotipy imported directly, the smoke test would fail.)
    "redis",
    # Other Qt bindings some hook might drag in.
    "PyQt5",
    "PyQt6",
    "PySide2",
    # Standard library parts nothing at run time needs.
    "tkinter",
    "_tkinter",
    "unittest",
    "pydoc",
    "pydoc_data",
    "doctest",
    "lib2to3",
    "idlelib",
    "ensurepip",
    "venv",
    "distutils",
    "setuptools",
    "pip",
    # The simulator's test harness (faults, quota, request log, /_sim/ control): the
    # demo and the `simulator` command run without it.
    *HARNESS_MODULES,
]

# Qt plugins kept, by directory, as name stems ("libqxcb.so" and "qxcb.dll" are both "qxcb").
# Everything else under plugins/ goes, and so does whatever library only those plugins used.
KEEP_PLUGINS: dict[str, set[str] | None] = {
    "platforms": {
        "qxcb",  # X11, and XWayland on Wayland desktops
        "qoffscreen",  # headless runs and the smoke test
        "qwindows",
        "qcocoa",
    },
    "imageformats": {"qjpeg"},  # Spotify's cover art is JPEG; PNG is built into QtGui
    "styles": None,  # None: all of them (Windows 11 and macOS native styles live here)
    # Typing in the settings and setup windows: dead keys and compose sequences, and IBus
    # (CJK input). The virtual keyboard plugin would pull in all of QML and Quick.
    "platforminputcontexts": {
        "composeplatforminputcontextplugin",
        "ibusplatforminputcontextplugin",
    },
    "networkinformation": {
        "qnetworkmanager",  # Linux: wake-up on "network is back"
        "qnetworklistmanager",  # Windows
        "qscnetworkreachability",  # macOS (older Qt)
        "qapplenetworkinformation",  # macOS
    },
}

# Libraries dropped by name. Windows: Qt's software OpenGL renderer (20 MB), only ever
# loaded for an OpenGL context, which a widgets app painted in software never creates.
DROP_BINARIES = {"opengl32sw.dll"}

# Where a Linux system keeps its own libraries (the .deb depends on them instead).
SYSTEM_LIBRARY_DIRS = ("/lib/", "/lib64/", "/usr/lib/", "/usr/lib64/")


def prune(
    binaries: list[Entry],
    datas: list[Entry],
    get_imports: ImportsOf,
    *,
    drop_system_libraries: bool,
) -> tuple[list[Entry], list[Entry]]:
    """The binaries and data files the frozen app keeps, from PyInstaller's analysis."""
    kept = trim_binaries(binaries, get_imports)
    if drop_system_libraries:
        kept = [entry for entry in kept if not from_system(entry)]
    kept_dests = {entry[0] for entry in kept}
    removed = [entry[0] for entry in binaries if entry[0] not in kept_dests]
    kept = drop_leftovers(kept, removed)
    datas = drop_leftovers(datas, removed)
    return kept, [entry for entry in datas if not is_translation(entry[0])]


def plugin_kept(dest: str) -> bool:
    """Whether a file is outside Qt's plugins, or a plugin ``KEEP_PLUGINS`` keeps."""
    parts = Path(dest).parts
    if not parts or parts[0] != "PySide6" or "plugins" not in parts:
        return True
    index = parts.index("plugins")
    if len(parts) < index + 3:
        return True
    kind = parts[index + 1]
    if kind not in KEEP_PLUGINS:
        return False
    wanted = KEEP_PLUGINS[kind]
    return wanted is None or _stem(parts[-1]) in wanted


def is_translation(dest: str) -> bool:
    parts = Path(dest).parts
    return "translations" in parts and Path(dest).suffix == ".qm"


def trim_binaries(binaries: list[Entry], get_imports: ImportsOf) -> list[Entry]:
    """Drop unwanted plugins, then the bundled libraries that only they needed."""
    binaries = [e for e in binaries if Path(e[0]).name.lower() not in DROP_BINARIES]
    dropped = [entry for entry in binaries if not plugin_kept(entry[0])]
    kept = [entry for entry in binaries if plugin_kept(entry[0])]
    by_name: dict[str, Entry] = {}
    for entry in kept:
        by_name.setdefault(Path(entry[0]).name.lower(), entry)

    def closure(roots: list[Entry]) -> set[str]:
        """The sources of ``roots`` and of every bundled library they load, transitively."""
        seen: set[str] = set()
        stack = [entry[1] for entry in roots]
        while stack:
            source = stack.pop()
            if source in seen:
                continue
            seen.add(source)
            try:
                needed = list(get_imports(source))
            except Exception:  # an unreadable file loads nothing we could keep
                needed = []
            for name, _path in needed:
                target = by_name.get(Path(name).name.lower())
                if target is not None:
                    stack.append(target[1])
        return seen

    candidates = closure(dropped) - {entry[1] for entry in dropped}
    roots = [entry for entry in kept if entry[1] not in candidates]
    orphans = candidates - closure(roots)
    return [entry for entry in kept if entry[1] not in orphans]


def from_system(entry: Entry) -> bool:
    """A library PyInstaller took from the system (not from a wheel or from Python)."""
    dest, source, typecode = entry
    if typecode != "BINARY" or Path(dest).name.startswith("libpython"):
        return False
    return os.path.realpath(source).startswith(SYSTEM_LIBRARY_DIRS)


def framework_root(dest: str) -> str | None:
    """macOS: "PySide6/Qt/lib/QtPdf.framework" for a file inside that framework, else None."""
    parts = Path(dest).parts
    for index, part in enumerate(parts):
        if part.endswith(".framework"):
            return Path(*parts[: index + 1]).as_posix()
    return None


def drop_leftovers(toc: list[Entry], removed: list[str]) -> list[Entry]:
    """``toc`` without the entries that only made sense with the removed libraries.

    PyInstaller adds symlinks to some libraries (typecode SYMLINK; the source is the link
    target, relative to the link's folder); on macOS, a framework whose library was
    removed must not leave its Resources behind (codesign rejects such a bundle).
    """
    removed_dests = {Path(dest).as_posix() for dest in removed}
    gone_frameworks = {framework_root(dest) for dest in removed} - {None}
    kept = []
    for dest, source, typecode in toc:
        if typecode == "SYMLINK":
            target = os.path.normpath(os.path.join(os.path.dirname(dest), source))
            if Path(target).as_posix() in removed_dests:
                continue
        if framework_root(dest) in gone_frameworks:
            continue
        kept.append((dest, source, typecode))
    return kept


def _stem(name: str) -> str:
    stem = Path(name).name.split(".")[0]
    return stem[3:] if stem.startswith("lib") else stem
