"""Nullable parameters, defaults and validation aliases as FastAPI 0.163 has them, for every
location, compared with FastAPI 0.163.2 request by request and in the OpenAPI document:
required-nullable parameters (``int | None`` without a default), ``None`` defaults, constrained
defaults left unvalidated, `validation_alias` strings, `AliasChoices` (the first name sent wins,
and names the error) and `AliasPath` on query, header, cookie, path and body parameters."""

from typing import Annotated, Any

import fastapi
import pytest
from fastapi.testclient import TestClient as FastAPIClient
from pydantic import AliasChoices, AliasPath, BaseModel

import accord
from accord.testclient import TestClient
from tests.oracle import json_answers, on_both


def build(fw: Any) -> Any:
    app = fw.FastAPI()

    @app.get("/q")
    def q(
        a: Annotated[int | None, fw.Query()],
        b: Annotated[int | None, fw.Query()] = None,
        c: Annotated[int, fw.Query(ge=2)] = 1,
        d: Annotated[str, fw.Query(validation_alias=AliasChoices("dd", "d2"))] = "x",
        e: Annotated[list[int] | None, fw.Query()] = None,
    ):
        return [a, b, c, d, e]

    @app.get("/h")
    def h(
        x_a: Annotated[int | None, fw.Header()],
        x_b: Annotated[
            str | None, fw.Header(validation_alias=AliasChoices("x-one", "x-two"))
        ] = None,
    ):
        return [x_a, x_b]

    @app.get("/c")
    def c(
        s: Annotated[str | None, fw.Cookie()],
        t: Annotated[int, fw.Cookie(validation_alias="tt")] = 5,
    ):
        return [s, t]

    @app.get("/p/{item_id}")
    def p(item_id: Annotated[int | None, fw.Path()]):
        return item_id

    @app.get("/pa/{item}")
    def pa(item: Annotated[int, fw.Path(validation_alias="item")]):
        return item

    class M(BaseModel):
        v: int

    @app.post("/b")
    def b(
        x: Annotated[int | None, fw.Body()],
        y: Annotated[M | None, fw.Body()] = None,
        z: Annotated[int, fw.Body(validation_alias=AliasChoices("zz", "z2"))] = 0,
    ):
        return [x, y, z]

    @app.post("/bp")
    def bp(z: Annotated[int, fw.Body(validation_alias=AliasPath("outer", "inner"))]):
        return z

    @app.post("/bn")
    def bn(x: Annotated[int | None, fw.Body(embed=True)]):
        return x

    return app


REQUESTS = [
    ("GET", "/q", {}),
    ("GET", "/q?a=1", {}),
    ("GET", "/q?a=", {}),
    ("GET", "/q?a=1&c=1", {}),
    ("GET", "/q?a=1&d2=y", {}),
    ("GET", "/q?a=1&dd=y&d2=z", {}),
    ("GET", "/q?a=1&e=1&e=2", {}),
    ("GET", "/q?a=null", {}),
    ("GET", "/h", {}),
    ("GET", "/h", {"headers": {"x-a": "1"}}),
    ("GET", "/h", {"headers": {"x-a": "1", "x-two": "t"}}),
    ("GET", "/c", {}),
    ("GET", "/c", {"headers": {"cookie": "s=1; tt=9"}}),
    ("GET", "/c", {"headers": {"cookie": "s=1; t=9"}}),
    ("GET", "/p/1", {}),
    ("GET", "/p/x", {}),
    ("GET", "/pa/3", {}),
    ("POST", "/b", {"json": {"x": None}}),
    ("POST", "/b", {"json": {}}),
    ("POST", "/b", {"json": {"x": 1, "z2": 3}}),
    ("POST", "/b", {"json": {"x": 1, "y": None}}),
    ("POST", "/b", {"json": {"x": 1, "y": {"v": "q"}}}),
    ("POST", "/bp", {"json": {"outer": {"inner": 4}}}),
    ("POST", "/bp", {"json": {"z": 4}}),
    ("POST", "/bp", {"json": {"outer": {}}}),
    ("POST", "/bn", {"json": {"x": None}}),
    ("POST", "/bn", {"json": {}}),
    ("POST", "/bn", {"json": None}),
    ("POST", "/bn", {}),
    ("GET", "/openapi.json", {}),
]


@pytest.fixture(scope="module")
def both() -> tuple[list[Any], list[Any]]:
    return on_both(build, json_answers(REQUESTS))


@pytest.mark.parametrize("index", range(len(REQUESTS)), ids=lambda i: " ".join(REQUESTS[i][:2]))
def test_the_same_answer_as_fastapi(index: int, both: tuple[list[Any], list[Any]]) -> None:
    ours, theirs = both
    assert ours[index] == theirs[index]


def test_alias_choices_in_an_embedded_body_take_the_first_name_sent() -> None:
    client = TestClient(build(accord))
    assert client.post("/b", json={"x": 1, "z2": 3}).json() == [1, None, 3]
    assert client.post("/b", json={"x": 1, "zz": 2, "z2": 3}).json() == [1, None, 2]
    error = client.post("/b", json={"x": 1, "z2": "no"}).json()["detail"][0]
    assert error["loc"] == ["body", "z2"]


def build_defaults(fw: Any) -> Any:
    from pydantic import Field

    app = fw.FastAPI()

    @app.get("/validated")
    def validated(
        q: Annotated[int, fw.Query(validate_default=True)] = "7",  # type: ignore[assignment]
        h: Annotated[int, fw.Header(), Field(validate_default=True)] = "8",  # type: ignore[assignment]
        c: Annotated[int, fw.Cookie(validate_default=True)] = "x",  # type: ignore[assignment]
        u: Annotated[int | str, fw.Query(union_mode="left_to_right")] = 0,
        plain: Annotated[int, fw.Query()] = "not validated",  # type: ignore[assignment]
    ) -> Any:
        return [q, h, c, u, plain]

    return app


@pytest.mark.parametrize("query", ["", "?u=5", "?q=x", "?c=1"])
@pytest.mark.parametrize("cookie", [None, "c=3"])
def test_defaults_are_validated_when_asked_as_in_fastapi(query: str, cookie: str | None) -> None:
    headers = {"cookie": cookie} if cookie else {}
    ours = TestClient(build_defaults(accord)).get("/validated" + query, headers=headers)
    theirs = FastAPIClient(build_defaults(fastapi)).get("/validated" + query, headers=headers)
    assert (ours.status_code, ours.json()) == (theirs.status_code, theirs.json())
