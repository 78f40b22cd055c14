"""Imports point one way: ui -> services -> core. core and the simulator know nothing of Qt."""

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
    "simulator": ("PySide6", "spotipy", "nowplaying_tray.core", "nowplaying_tray.services",
                  "nowplaying_tray.ui"),
}  # fmt: skip


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
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
