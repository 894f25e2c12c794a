"""The package's layers import one way (../shared/DESIGN.md, "Where things live").

Every `import` in `accord/` is read from the source (function-local imports included,
`if TYPE_CHECKING:` blocks excluded); a module may import modules of its own layer or of the
layers below, and `_compiler` and `_runtime` never import each other.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "accord"

# Longest prefix wins. L0 leaf modules at FastAPI's import paths, L1 the plan, L2 the compiler
# and the runtime, L3 routing, L4 the OpenAPI document, L5 the application, L6 the front door.
LAYERS: dict[str, int] = {
    "accord": 6,
    "accord.__main__": 6,
    "accord.cli": 6,
    "accord._cli": 6,
    "accord.applications": 5,
    "accord.openapi": 4,
    "accord.openapi.models": 0,
    "accord.openapi.constants": 0,
    "accord.routing": 3,
    "accord._routing": 3,
    "accord.exception_handlers": 3,
    "accord._compiler": 2,
    "accord._runtime": 2,
    "accord._plan": 1,
    "accord._adapters": 1,
    "accord._row_codec": 1,
    "accord._form_values": 1,
}
for leaf in (
    "params param_functions exceptions status types datastructures encoders responses "
    "requests background concurrency limits problems sse middleware security logger "
    "websockets staticfiles templating testclient _safe_json _backports telemetry"
).split():
    LAYERS[f"accord.{leaf}"] = 0

SIBLINGS = ("accord._compiler", "accord._runtime")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module: str) -> int:
    candidates = [p for p in LAYERS if module == p or module.startswith(p + ".")]
    if not candidates:
        raise AssertionError(f"{module} has no layer: add it to LAYERS in tests/test_layers.py")
    return LAYERS[max(candidates, key=len)]


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, imported accord module) for every import outside `if TYPE_CHECKING:`."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.extend((node.lineno, a.name) for a in node.names if a.name.startswith("accord"))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if base == "accord" or base.startswith("accord."):
                for alias in node.names:
                    candidate = f"{base}.{alias.name}"
                    is_module = (ROOT.parent / Path(*candidate.split("."))).with_suffix(
                        ".py"
                    ).exists() or (ROOT.parent / Path(*candidate.split("."))).is_dir()
                    found.append((node.lineno, candidate if is_module else base))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def violations(path: Path) -> list[str]:
    importer = module_name(path)
    level = layer_of(importer)
    found = []
    for line, imported in imports_of(path):
        where = f"{path.relative_to(ROOT.parent)}:{line}: {importer} (L{level}) imports {imported}"
        target = layer_of(imported)
        if target > level:
            found.append(f"{where} (L{target}, a layer above)")
        for one, other in (SIBLINGS, SIBLINGS[::-1]):
            if importer.startswith(one) and (imported == other or imported.startswith(other + ".")):
                found.append(f"{where}: {one} and {other} never import each other")
    return found


SOURCES = sorted(ROOT.rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT.parent)))
def test_imports_go_down_the_layers(path: Path) -> None:
    assert violations(path) == []


def test_the_check_sees_an_upward_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_root = tmp_path / "accord"
    (fake_root / "_runtime").mkdir(parents=True)
    (fake_root / "_compiler").mkdir()
    (fake_root / "_compiler" / "plan.py").write_text("")
    bad = fake_root / "_runtime" / "runner.py"
    bad.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from accord.routing import APIRoute\n"
        "def run():\n    from accord._compiler import plan\n    import accord.applications\n"
    )
    monkeypatch.setattr(__import__(__name__), "ROOT", fake_root, raising=False)
    globals()["ROOT"] = fake_root
    try:
        found = violations(bad)
    finally:
        globals()["ROOT"] = Path(__file__).resolve().parent.parent / "accord"
    assert len(found) == 2, found
    assert "never import each other" in found[0]
    assert "accord.applications (L5, a layer above)" in found[1]
    assert all("routing" not in line for line in found)  # TYPE_CHECKING is excluded
