"""Run a tutorial example on FastAPI 0.163.2 (the oracle) to check a page's "as in FastAPI".

The example's own source is loaded a second time through `tests.oracle.load`, with its
``accord`` imports spelled ``fastapi``: the same program, the other framework, nothing shared.
"""

from __future__ import annotations

import re
import types
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from tests import oracle

_ACCORD_IMPORT = re.compile(r"^(from|import) accord\b", re.MULTILINE)

Call = tuple[str, str, dict[str, Any]]

# The headers a page can talk about (the oracle harness compares the same kind of list).
_HEADERS = (
    "content-type",
    "content-length",
    "content-disposition",
    "location",
    "www-authenticate",
    "allow",
    "set-cookie",
    "retry-after",
    "cache-control",
)


def on_fastapi(module: types.ModuleType) -> types.ModuleType:
    """A fresh copy of the example ``module`` whose framework is FastAPI."""
    path = Path(str(module.__file__))
    text = path.read_text(encoding="utf-8")
    assert _ACCORD_IMPORT.search(text), f"{path.name} does not import accord"
    source = oracle.AppSource(path.stem, _ACCORD_IMPORT.sub(r"\1 fastapi", text), str(path))
    loaded = oracle.load(source, oracle.ORACLE)
    assert loaded.warnings == ()
    return loaded.module


def _outcome(response: Any) -> tuple[int, dict[str, str], Any]:
    headers = {name: response.headers[name] for name in _HEADERS if name in response.headers}
    media_type = headers.get("content-type", "").split(";")[0]
    is_json = media_type == "application/json" and bool(response.content)
    return response.status_code, headers, response.json() if is_json else response.content


def assert_same_as_fastapi(module: types.ModuleType, calls: Iterable[Call]) -> None:
    """The example answers every call as FastAPI does, and documents itself identically."""
    twin = on_fastapi(module)
    ours, theirs = TestClient(module.app), TestClient(twin.app)
    for method, url, kwargs in calls:
        expected = _outcome(theirs.request(method, url, **kwargs))
        assert _outcome(ours.request(method, url, **kwargs)) == expected, (method, url)
    assert module.app.openapi() == twin.app.openapi()
