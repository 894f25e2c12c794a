"""The contract corpus: document pairs in pairs/*.yaml, each with the changes it must produce
(kind, rule, operation, JSON pointer) written out by hand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from accord.openapi.changes import DiffOptions
from accord.openapi.diff import diff_documents

PAIRS = sorted((Path(__file__).parent / "pairs").glob("*.yaml"))


def load_pair(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", PAIRS, ids=lambda p: p.stem)
def test_each_pair_produces_exactly_its_expected_changes(path: Path) -> None:
    pair = load_pair(path)
    options = DiffOptions(**pair.get("options", {}))
    changes = diff_documents(pair["old"], pair["new"], options)
    found = sorted([c.kind, c.rule, c.operation, c.pointer] for c in changes)
    assert found == sorted(pair["expected"]), [c.message for c in changes]


@pytest.mark.parametrize("path", PAIRS, ids=lambda p: p.stem)
def test_a_document_compared_with_itself_has_no_change(path: Path) -> None:
    pair = load_pair(path)
    assert diff_documents(pair["old"], pair["old"]) == []
    assert diff_documents(pair["new"], pair["new"]) == []


def test_the_corpus_is_large_and_covers_both_kinds() -> None:
    kinds = {entry[0] for path in PAIRS for entry in load_pair(path)["expected"]}
    assert len(PAIRS) >= 60
    assert kinds == {"breaking", "compatible"}
