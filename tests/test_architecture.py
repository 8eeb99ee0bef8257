"""The package's folders are its layers, as docs/architecture.md says.

Read with ``ast`` only (nothing is imported or run): every module's imports,
including the lazy ones inside functions, are checked against the layer the
architecture table gives it. A module may import from its own layer or a
lower one; never from a layer above, and never a private (``_name``) name of
another module.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "lbp_workbook"
TABLE = ROOT / "docs" / "architecture.md"

RANK = {"data": 0, "engine": 1, "views": 2, "course": 3, "interface": 4}
LARGE_LINES = 650  # "about 600 lines": a module above this says why it is large


def _table() -> dict[str, tuple[str, str]]:
    """``{module path: (layer, row text)}`` from the Modules table."""
    rows = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 3 or not cells[0].startswith("`lbp_workbook/"):
            continue
        path = re.match(r"`([^`]+)`", cells[0]).group(1)
        rows[path] = (cells[1], line)
    return rows


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _dotted(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _file_of(dotted: str) -> Path | None:
    base = ROOT.joinpath(*dotted.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imports(path: Path, text: str | None = None):
    """Yield ``(line, target module file, imported names)`` for our own package.

    ``text`` is the module's source (read from ``path`` when not given).
    """
    tree = ast.parse(path.read_text(encoding="utf-8") if text is None else text)
    here = _dotted(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "lbp_workbook":
                    yield node.lineno, _file_of(alias.name), []
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if module.split(".")[0] != "lbp_workbook":
                continue
            plain = []
            for alias in node.names:
                sub = _file_of(f"{module}.{alias.name}")
                if sub is not None:  # ``from pkg import module``
                    yield node.lineno, sub, []
                else:
                    plain.append(alias.name)
            if plain:
                yield node.lineno, _file_of(module), plain


def test_every_module_is_in_the_architecture_table():
    table = _table()
    listed = set(table)
    actual = {_rel(p) for p in _modules()}
    missing = sorted(actual - listed)
    stale = sorted(p for p in listed if "*" not in p and p not in actual)
    assert not missing, f"add these modules to docs/architecture.md with their one job: {missing}"
    assert not stale, f"docs/architecture.md lists modules that do not exist: {stale}"
    unknown = sorted(p for p, (layer, _) in table.items() if layer not in RANK)
    assert not unknown, f"rows with a layer that is not one of {sorted(RANK)}: {unknown}"


def test_folders_are_the_layers():
    """A module in engine/, views/ or course/ has that folder's layer in the table."""
    wrong = []
    for path, (layer, _) in _table().items():
        parts = path.split("/")
        if len(parts) > 2 and parts[1] in RANK and parts[1] != layer:
            wrong.append((path, layer))
    assert not wrong, f"a module's table layer differs from its folder: {wrong}"


def test_no_module_imports_from_a_layer_above_its_own():
    table = _table()
    upward = []
    for path in _modules():
        layer = table[_rel(path)][0]
        for line, target, _names in _imports(path):
            assert target is not None, f"{_rel(path)}:{line} imports a module that does not exist"
            target_layer = table[_rel(target)][0]
            if RANK[target_layer] > RANK[layer]:
                upward.append(f"{_rel(path)}:{line} ({layer}) imports {_rel(target)} ({target_layer})")
    assert not upward, "upward imports:\n" + "\n".join(upward)


def test_large_modules_say_why_in_the_table():
    table = _table()
    unexplained = []
    for path in _modules():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > LARGE_LINES and "Large:" not in table[_rel(path)][1]:
            unexplained.append(f"{_rel(path)} ({lines} lines)")
    assert not unexplained, (
        "modules over about 600 lines: split them, or say in docs/architecture.md why "
        "('Large: ...'): " + ", ".join(unexplained)
    )


@pytest.mark.parametrize("source", ["from lbp_workbook.engine.result import _x\n",
                                    "import lbp_workbook.views.nothing_here\n"])
def test_the_import_reader_sees_what_it_checks(source):
    """The reader finds a private name and a module that does not exist (it could fail)."""
    fake = PACKAGE / "engine" / "_architecture_probe.py"
    found = list(_imports(fake, source))
    assert found, "the reader missed an import of our own package"
    line, target, names = found[0]
    if "_x" in source:
        assert names == ["_x"] and target == PACKAGE / "engine" / "result.py"
    else:
        assert target is None


def test_no_module_imports_a_private_name_of_another_module():
    private = []
    for path in _modules():
        for line, target, names in _imports(path):
            if target == path:
                continue
            for name in names:
                if name.startswith("_") and not name.startswith("__"):
                    private.append(f"{_rel(path)}:{line} imports {name} from {_rel(target)}")
    assert not private, "make these public where shared, or move them:\n" + "\n".join(private)
