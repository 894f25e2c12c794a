"""`app.openapi()` of each corpus app equals FastAPI's, as data and as JSON text."""

from __future__ import annotations

import json
import warnings

import pytest

from .loader import load
from .scenarios import SCENARIOS


def _document(name: str, source: str, package: str) -> tuple[str, dict, list[str]]:
    module = load(name, source, package)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        document = module.app.openapi()
    messages = [f"{w.category.__name__}: {w.message}" for w in caught]
    return json.dumps(document, sort_keys=False), document, messages


def test_corpus_is_large() -> None:
    assert len(SCENARIOS) >= 150
    assert len({name for name, _ in SCENARIOS}) == len(SCENARIOS)


@pytest.mark.parametrize(("name", "source"), SCENARIOS, ids=[n for n, _ in SCENARIOS])
def test_openapi_parity(name: str, source: str) -> None:
    expected_text, expected, expected_warnings = _document(name, source, "fastapi")
    text, document, messages = _document(name, source, "accord")
    assert document == expected
    assert text == expected_text
    assert messages == expected_warnings
