"""docs/ARCHITECTURE.md's module map lists every module of the package."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "nowplaying_tray"


def mapped_modules() -> set[str]:
    """Each module the map names, as a path under the package ("core/model.py")."""
    text = (ROOT / "docs" / "ARCHITECTURE.md").read_text()
    block = text[text.index("```\nnowplaying_tray/") :]
    block = block[: block.index("```", 4)]
    found: set[str] = set()
    folders: list[tuple[int, str]] = []  # (indent, folder) of the folders above this line
    for line in block.splitlines()[2:]:
        match = re.match(r"( *)(\S+)", line)
        if match is None:
            continue
        indent, name = len(match.group(1)), match.group(2)
        if not (name.endswith(".py") or name.endswith("/")):
            continue  # a description's second line
        folders = [(i, f) for i, f in folders if i < indent]
        prefix = "".join(f for _i, f in folders)
        if name.endswith("/"):
            folders.append((indent, name))
        else:
            found.add(prefix + name)
    return found


def test_every_module_is_on_the_map() -> None:
    modules = {
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if path.name not in {"__init__.py", "__main__.py"}
    }
    missing = sorted(modules - mapped_modules())
    assert not missing, f"docs/ARCHITECTURE.md's map lacks: {missing}"


def test_the_map_names_no_module_that_is_gone() -> None:
    modules = {str(path.relative_to(PACKAGE)) for path in PACKAGE.rglob("*.py")}
    gone = sorted(mapped_modules() - modules)
    assert not gone, f"docs/ARCHITECTURE.md's map names modules that do not exist: {gone}"
