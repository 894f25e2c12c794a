"""The guards of the site's examples: every Python block a page shows is included from
docs_src/ (or marked as a fragment), and every docs_src module is exercised by a test."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.docs.pages import (
    FRAGMENT,
    blocks,
    docs_src_modules,
    docs_tests,
    exercised_modules,
    page_name,
    pages,
    python_problems,
)


@pytest.mark.parametrize("page", pages(), ids=page_name)
def test_every_python_block_is_an_include_or_a_marked_fragment(page: Path) -> None:
    found = blocks(page.read_text(encoding="utf-8"), page_name(page))
    assert [p for b in found if (p := python_problems(b))] == []


def test_every_docs_src_module_is_exercised_by_a_docs_test() -> None:
    # The guards' own files name modules in their synthetic cases: they do not count.
    tests = [t for t in docs_tests() if t.name not in {"test_pages.py", "test_console.py"}]
    untested = set(docs_src_modules()) - exercised_modules(tests)
    assert untested == set(), f"docs_src modules no test under tests/docs/ imports: {untested}"


def test_the_block_guard_refuses_a_pasted_program() -> None:
    page = "Intro\n\n```python\nprint('pasted')\n```\n"
    [problem] = [python_problems(b) for b in blocks(page, "p.md")]
    assert problem is not None and "snippet include" in problem


def test_the_block_guard_accepts_an_include_and_a_fragment_only() -> None:
    page = (
        '```python\n--8<-- "docs_src/getting_started/first_app_001.py"\n```\n\n'
        f"{FRAGMENT}\n```python\napp = Accord()\n```\n\n"
        '```python\n--8<-- "docs_src/nowhere_001.py"\n```\n\n'
        '```python\n--8<-- "docs_src/getting_started/first_app_001.py"\nx = 1\n```\n'
        "```toml\n[tool.accord]\n```\n"
    )
    problems = [python_problems(b) for b in blocks(page, "p.md")]
    assert problems[:2] == [None, None]
    assert problems[2] is not None and "not a file under docs_src/" in problems[2]
    assert problems[3] is not None  # an include plus pasted code
    assert problems[4] is None  # not Python


def test_the_module_guard_sees_an_untested_module(tmp_path: Path) -> None:
    test = tmp_path / "test_x.py"
    test.write_text(
        "from docs_src.beyond import check_001\n"
        "import docs_src.beyond.blocking_001\n"
        "RUN = 'docs_src.migrating.alias_001'\n"
    )
    seen = exercised_modules([test])
    assert {"docs_src.beyond.check_001", "docs_src.beyond.blocking_001",
            "docs_src.migrating.alias_001"} <= seen
    assert "docs_src.beyond.lifetime_001" not in seen
