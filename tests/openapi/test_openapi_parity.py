"""`app.openapi()` of each corpus app equals FastAPI's, as data and as JSON text.

Each snippet is loaded by ``tests/oracle.py`` on both frameworks; the warnings emitted while
registering the routes and while generating the document are compared too.
"""

from __future__ import annotations

import json
import types

import pytest

from tests import oracle

from .scenarios import SCENARIOS


def _document(module: types.ModuleType) -> tuple[str, dict, list[str]]:
    with oracle.recording_warnings() as caught:
        document = module.app.openapi()
    return json.dumps(document, sort_keys=False), document, caught


def test_corpus_is_large() -> None:
    assert len(SCENARIOS) >= 150
    assert len({name for name, _ in SCENARIOS}) == len(SCENARIOS)


@pytest.mark.parametrize(("name", "source"), SCENARIOS, ids=[n for n, _ in SCENARIOS])
def test_openapi_parity(name: str, source: str) -> None:
    pair = oracle.load_pair(oracle.AppSource.snippet(name, source))
    assert pair.subject_warnings == pair.oracle_warnings
    expected_text, expected, expected_warnings = _document(pair.oracle)
    text, document, messages = _document(pair.subject)
    assert document == expected
    assert text == expected_text
    assert messages == expected_warnings
