"""Imports point one way: ui -> services -> core. core and the simulator know nothing of Qt;
bus (D-Bus over jeepney, for both services and the simulator) knows nothing of the app."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "nowplaying_tray"

FORBIDDEN = {
    "core": ("PySide6", "nowplaying_tray.services", "nowplaying_tray.ui", "nowplaying_tray.app",
             "nowplaying_tray.cli", "nowplaying_tray.simulator"),
    "services": ("PySide6.QtWidgets", "nowplaying_tray.ui", "nowplaying_tray.app",
                 "nowplaying_tray.cli"),
    "ui": ("nowplaying_tray.app", "nowplaying_tray.cli"),
    "bus": ("PySide6", "spotipy", "nowplaying_tray.core", "nowplaying_tray.services",
            "nowplaying_tray.ui", "nowplaying_tray.simulator", "nowplaying_tray.app",
            "nowplaying_tray.cli"),
    "simulator": ("PySide6", "spotipy", "nowplaying_tray.core", "nowplaying_tray.services",
                  "nowplaying_tray.ui"),
}  # fmt: skip


def _package_of(path: Path) -> list[str]:
    """``nowplaying_tray/core/model.py`` -> ``["nowplaying_tray", "core"]``."""
    # A package's __init__.py is in the package itself; any other module is in its folder's.
    return list(path.relative_to(PACKAGE.parent).parent.parts)


def _dynamic_import_target(node: ast.Call) -> str | None:
    """The module named by ``importlib.import_module("x")`` or ``__import__("x")``."""
    func = node.func
    named = (isinstance(func, ast.Attribute) and func.attr == "import_module") or (
        isinstance(func, ast.Name) and func.id in {"import_module", "__import__"}
    )
    if named and node.args and isinstance(node.args[0], ast.Constant):
        value = node.args[0].value
        return value if isinstance(value, str) else None
    return None


def imported_modules(path: Path) -> set[str]:
    return modules_in_source(path.read_text(), path)


def modules_in_source(source: str, path: Path) -> set[str]:
    """Every module ``source`` (the file at ``path``) imports: absolute, relative
    (resolved against the file's package) and by name at run time."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source, filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                # "from nowplaying_tray import ui" imports the package "nowplaying_tray.ui"
                names.add(node.module or "")
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
                continue
            package = _package_of(path)
            base = package[: len(package) - (node.level - 1)]
            if node.module:
                names.add(".".join([*base, node.module]))
            else:  # "from .. import services" imports the package "nowplaying_tray.services"
                names.update(".".join([*base, alias.name]) for alias in node.names)
        elif isinstance(node, ast.Call) and (target := _dynamic_import_target(node)):
            names.add(target)
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_point_one_way(layer: str) -> None:
    offences = [
        f"{path.relative_to(PACKAGE.parent)} imports {name}"
        for path in sorted((PACKAGE / layer).rglob("*.py"))
        for name in imported_modules(path)
        if name.startswith(FORBIDDEN[layer])
    ]
    assert offences == []


@pytest.mark.parametrize(
    ("source", "where", "expected"),
    [
        ("from ..services import poller", "core/x.py", "nowplaying_tray.services"),
        ("from .. import ui", "core/x.py", "nowplaying_tray.ui"),
        ("from . import model", "core/x.py", "nowplaying_tray.core.model"),
        ("from nowplaying_tray import services", "core/x.py", "nowplaying_tray.services"),
        (
            "import importlib\nimportlib.import_module('PySide6.QtCore')",
            "core/x.py",
            "PySide6.QtCore",
        ),
        ("__import__('nowplaying_tray.app')", "services/x.py", "nowplaying_tray.app"),
    ],
)
def test_the_import_scanner_sees_every_kind_of_import(
    source: str, where: str, expected: str
) -> None:
    assert expected in modules_in_source(source, PACKAGE / where)
