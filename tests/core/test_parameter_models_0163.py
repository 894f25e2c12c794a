"""Parameter models as FastAPI 0.163 has them, compared with FastAPI 0.163.2 request by request:
several models for one location, a model beside plain parameters, optional models
(``Annotated[Model | None, Query()]``, headers, cookies) absent unless one of their fields is
sent (or, with ``extra="forbid"``/``"allow"``, anything is), their OpenAPI parameters (not
required when the model is optional), and non-finite floats in JSON Lines and SSE streams."""

import json
from typing import Annotated, Any

import fastapi
import pytest
from fastapi.testclient import TestClient as FastAPIClient
from pydantic import BaseModel, ConfigDict

import accord
from accord.testclient import TestClient


class Page(BaseModel):
    page: int = 1
    size: int = 10


class Sort(BaseModel):
    order: str | None = None


class Token(BaseModel):
    token: str


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")
    q: int


def build(fw: Any) -> Any:
    app = fw.FastAPI()

    @app.get("/two")
    def two(page: Annotated[Page, fw.Query()], sort: Annotated[Sort, fw.Query()]) -> Any:
        return {"page": page.model_dump(), "sort": sort.model_dump()}

    @app.get("/mixed")
    def mixed(page: Annotated[Page, fw.Query()], term: str = "") -> Any:
        return {"page": page.model_dump(), "term": term}

    @app.get("/optional-query")
    def optional_query(token: Annotated[Token | None, fw.Query()] = None) -> Any:
        return {"token": token.model_dump() if token else None}

    @app.get("/optional-header")
    def optional_header(token: Annotated[Token | None, fw.Header()] = None) -> Any:
        return {"token": token.model_dump() if token else None}

    @app.get("/optional-cookie")
    def optional_cookie(token: Annotated[Token | None, fw.Cookie()] = None) -> Any:
        return {"token": token.model_dump() if token else None}

    @app.get("/optional-strict")
    def optional_strict(strict: Annotated[Strict | None, fw.Query()] = None) -> Any:
        return {"strict": strict.model_dump() if strict else None}

    @app.get("/required-nullable")
    def required_nullable(token: Annotated[Token | None, fw.Query()]) -> Any:
        return {"token": token.model_dump() if token else None}

    @app.get("/lines")
    async def lines() -> Any:
        for value in (1.5, float("nan"), float("inf"), -float("inf")):
            yield {"v": value, "nested": [value]}

    @app.get("/events", response_class=fw.sse.EventSourceResponse)
    async def events() -> Any:
        yield {"v": float("nan")}
        yield fw.sse.ServerSentEvent(data={"v": float("inf")}, event="tick")

    return app


REQUESTS = [
    ("/two", {}),
    ("/two?page=2&order=asc", {}),
    ("/two?page=x&size=y", {}),
    ("/mixed?page=3&term=t", {}),
    ("/mixed?size=-", {}),
    ("/optional-query", {}),
    ("/optional-query?token=t", {}),
    ("/optional-query?other=1", {}),
    ("/optional-header", {}),
    ("/optional-header", {"token": "t"}),
    ("/optional-header", {"x-other": "1"}),
    ("/optional-cookie", {}),
    ("/optional-cookie", {"cookie": "token=t"}),
    ("/optional-cookie", {"cookie": "other=t"}),
    ("/optional-strict", {}),
    ("/optional-strict?q=1", {}),
    ("/optional-strict?other=1", {}),
    ("/optional-strict?q=x", {}),
    ("/required-nullable", {}),
    ("/required-nullable?token=t", {}),
    ("/lines", {}),
    ("/events", {}),
]


def answers(fw: Any, client_class: Any) -> list[tuple[int, str]]:
    client = client_class(build(fw))
    return [(r.status_code, r.text) for r in (client.get(p, headers=h) for p, h in REQUESTS)]


def test_every_request_answers_as_in_fastapi() -> None:
    ours = answers(accord, TestClient)
    theirs = answers(fastapi, FastAPIClient)
    for request, mine, reference in zip(REQUESTS, ours, theirs, strict=True):
        assert mine == reference, request


def test_the_openapi_document_is_fastapis() -> None:
    ours = TestClient(build(accord)).get("/openapi.json").json()
    theirs = FastAPIClient(build(fastapi)).get("/openapi.json").json()
    assert ours == theirs


def test_optional_models_are_absent_unless_sent() -> None:
    client = TestClient(build(accord))
    assert client.get("/optional-query").json() == {"token": None}
    assert client.get("/optional-query?token=t").json() == {"token": {"token": "t"}}
    assert client.get("/optional-strict?other=1").status_code == 422
    parameters = client.get("/openapi.json").json()["paths"]["/optional-header"]["get"]
    assert [p["required"] for p in parameters["parameters"]] == [False]


@pytest.mark.parametrize("path", ["/lines", "/events"])
def test_non_finite_floats_stream_as_null(path: str) -> None:
    text = TestClient(build(accord)).get(path).text
    assert "NaN" not in text and "Infinity" not in text
    if path == "/lines":
        assert [json.loads(line) for line in text.splitlines()][1] == {"v": None, "nested": [None]}
