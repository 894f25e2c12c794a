"""`accord.responses`: Starlette's classes re-exported, the deprecated orjson/ujson classes.

FastAPI's `ORJSONResponse` and `UJSONResponse` are the oracle for the rendered bytes and
headers, and for when the deprecation warning fires (instantiation and subclassing).
"""

from __future__ import annotations

from typing import Any

import fastapi.exceptions
import fastapi.responses
import pytest
import starlette.responses
from starlette.applications import Starlette
from starlette.routing import Route
from starlette.testclient import TestClient

import accord.responses
from accord.exceptions import FastAPIDeprecationWarning

STARLETTE_CLASSES = [
    "Response",
    "JSONResponse",
    "HTMLResponse",
    "PlainTextResponse",
    "RedirectResponse",
    "StreamingResponse",
    "FileResponse",
]


@pytest.mark.parametrize("name", STARLETTE_CLASSES)
def test_starlette_classes_are_reexported(name: str) -> None:
    assert getattr(accord.responses, name) is getattr(starlette.responses, name)


CONTENTS: list[Any] = [
    {"a": 1, "b": [1.5, None, True]},
    {"text": "héllo wörld ✓", "emoji": "🎉"},
    {1: "int key", "nested": {2: "x"}},
    [1, 2, 3],
    "plain string",
    None,
]

DEPRECATED = ["ORJSONResponse", "UJSONResponse"]


def render(module: Any, name: str, content: Any, warning: type[Warning]) -> Any:
    with pytest.warns(warning, match=name):
        response = getattr(module, name)(content, status_code=201, headers={"x-a": "b"})
    return response.status_code, response.body, response.headers.items()


@pytest.mark.parametrize("name", DEPRECATED)
@pytest.mark.parametrize("content", CONTENTS)
def test_rendering_matches_fastapi(name: str, content: Any) -> None:
    ours = render(accord.responses, name, content, FastAPIDeprecationWarning)
    theirs = render(fastapi.responses, name, content, fastapi.exceptions.FastAPIDeprecationWarning)
    assert ours == theirs


@pytest.mark.parametrize("name", DEPRECATED)
def test_non_ascii_is_written_as_utf8(name: str) -> None:
    with pytest.warns(FastAPIDeprecationWarning):
        response = getattr(accord.responses, name)({"k": "é"})
    assert response.body == '{"k":"é"}'.encode()
    assert response.headers["content-type"] == "application/json"


@pytest.mark.parametrize("name", DEPRECATED)
def test_subclassing_warns_like_fastapi(name: str) -> None:
    with pytest.warns(fastapi.exceptions.FastAPIDeprecationWarning):
        type("Sub", (getattr(fastapi.responses, name),), {})
    with pytest.warns(FastAPIDeprecationWarning, match="response_model"):
        type("Sub", (getattr(accord.responses, name),), {})


@pytest.mark.parametrize("name", DEPRECATED)
def test_class_is_marked_deprecated(name: str) -> None:
    assert "deprecated" in getattr(accord.responses, name).__deprecated__


@pytest.mark.parametrize(("name", "library"), [("ORJSONResponse", "orjson"), ("UJSONResponse", "ujson")])
def test_missing_library_is_reported(
    name: str, library: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(accord.responses, library, None)
    with pytest.warns(FastAPIDeprecationWarning), pytest.raises(RuntimeError, match=library):
        getattr(accord.responses, name)({"a": 1})


@pytest.mark.parametrize("name", DEPRECATED)
def test_served_through_an_app(name: str) -> None:
    response_class = getattr(accord.responses, name)

    async def endpoint(request: Any) -> Any:
        return response_class({"ok": "✓"})

    client = TestClient(Starlette(routes=[Route("/", endpoint)]))
    with pytest.warns(FastAPIDeprecationWarning):
        response = client.get("/")
    assert response.status_code == 200
    assert response.json() == {"ok": "✓"}
    assert response.headers["content-length"] == str(len(response.content))
