"""Reading the site's pages: their fenced blocks, snippet includes and console sessions."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
DOCS_SRC = ROOT / "docs_src"
TESTS = ROOT / "tests" / "docs"
FRAGMENT = "<!-- fragment -->"
SNIPPET = re.compile(r'^--8<-- "(?P<path>[^"]+)"$')
FENCE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})(?P<lang>[\w+-]*)[^\n]*$")
PYTHON = {"python", "py", "python3", "pycon"}


@dataclass(frozen=True)
class Block:
    page: str
    line: int  # 1-based line of the opening fence
    lang: str
    body: str
    previous: str  # the non-blank line before the fence ("" at the top of the page)


def blocks(text: str, page: str) -> list[Block]:
    """The fenced code blocks of a Markdown page, in order."""
    found, lines, i = [], text.splitlines(), 0
    while i < len(lines):
        opening = FENCE.match(lines[i])
        if not opening:
            i += 1
            continue
        fence, indent = opening["fence"], len(opening["indent"])
        j = i + 1
        while j < len(lines) and not lines[j].strip().startswith(fence):
            j += 1
        before = next((line for line in reversed(lines[:i]) if line.strip()), "")
        body = "\n".join(line[indent:] for line in lines[i + 1 : j])
        found.append(Block(page, i + 1, opening["lang"].lower(), body, before.strip()))
        i = j + 1
    return found


def pages() -> list[Path]:
    return sorted(p for p in DOCS.rglob("*.md") if "_hooks" not in p.parts)


def page_name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def python_problems(block: Block) -> str | None:
    """Why a Python block breaks the rules, or None when it is an include or a marked fragment."""
    if block.lang not in PYTHON:
        return None
    if block.previous == FRAGMENT:
        return None
    include = SNIPPET.match(block.body.strip())
    if include is None or "\n" in block.body.strip():
        return (
            f"{block.page}:{block.line}: a Python block must be one snippet include of a "
            f"docs_src module, or be marked with {FRAGMENT} on the line before its fence"
        )
    path = include["path"]
    if not path.startswith("docs_src/") or not (ROOT / path).is_file():
        return f"{block.page}:{block.line}: {path} is not a file under docs_src/"
    return None


def docs_src_modules() -> list[str]:
    """Every example module under docs_src/, dotted (packages' __init__ left out)."""
    return sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts)
        for p in DOCS_SRC.rglob("*.py")
        if p.name != "__init__.py"
    )


def exercised_modules(test_files: list[Path]) -> set[str]:
    """docs_src modules a test imports, or names in a string (to run it in a subprocess)."""
    names: set[str] = set()
    for path in test_files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                names.add(node.value)
    return {name for name in names if name.startswith("docs_src.")}


def docs_tests() -> list[Path]:
    return sorted(TESTS.rglob("test_*.py"))


@dataclass(frozen=True)
class Command:
    page: str
    line: int
    command: str
    expected: str


def console_commands(block: Block) -> list[Command]:
    """The ``$ command`` lines of a console block, each with the output shown after it."""
    commands: list[Command] = []
    current: list[str] | None = None
    for offset, line in enumerate(block.body.splitlines()):
        if line.startswith("$ "):
            current = []
            commands.append(Command(block.page, block.line + 1 + offset, line[2:], ""))
        elif current is not None:
            last = commands[-1]
            commands[-1] = Command(
                last.page, last.line, last.command, (last.expected + line + "\n")
            )
    return commands
