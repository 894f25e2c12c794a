"""FastAPI 0.163's rules for `AliasChoices` on path and form parameters, for two parameters
reading one upload, and for the media type of a form body, compared with FastAPI 0.163.2
request by request and in the OpenAPI document.

- ``Path(validation_alias=AliasChoices(...))``: the choice that names a parameter of the
  route's path is read, validated, named in errors and documented.
- ``Form(validation_alias=AliasChoices(...))``: the first name sent wins.
- ``bytes = File(alias="f")`` beside ``UploadFile = File(alias="f")``: each reads the one
  upload its own way (the bytes reading leaves the file where it was).
- A form body where any field declares ``multipart/form-data`` is documented as multipart.
"""

from typing import Annotated, Any

import pytest
from pydantic import AliasChoices

import accord
from accord.testclient import TestClient
from tests.oracle import Sent, json_answers, on_both


def build(fw: Any) -> Any:
    app = fw.FastAPI()
    choices = AliasChoices("id", "item_id")

    @app.get("/items/{item_id}")
    def item(iid: Annotated[int, fw.Path(validation_alias=choices)]) -> int:
        return iid

    @app.get("/things/{id}")
    def thing(iid: Annotated[int, fw.Path(validation_alias=choices)]) -> int:
        return iid  # the same marker on another route: resolved per route

    @app.post("/form")
    def form(
        a: Annotated[str, fw.Form(validation_alias=AliasChoices("a1", "a2"))],
        b: Annotated[str, fw.Form()] = "b",
    ) -> dict[str, str]:
        return {"a": a, "b": b}

    async def read_raw(raw: Annotated[bytes, fw.File(alias="f")]) -> int:
        return len(raw)

    @app.post("/shared")
    async def shared(
        up: Annotated[fw.UploadFile, fw.File(alias="f")],
        raw: Annotated[int, fw.Depends(read_raw)],
    ) -> dict[str, int]:
        rest = await up.read()
        return {"dep": raw, "up": len(rest)}

    @app.post("/multipart")
    def multipart(
        a: Annotated[str, fw.Form(media_type="multipart/form-data")],
        b: Annotated[str, fw.Form()],
    ) -> dict[str, str]:
        return {"a": a, "b": b}

    return app


REQUESTS: list[Sent] = [
    ("GET", "/items/5", {}),
    ("GET", "/items/x", {}),
    ("GET", "/things/6", {}),
    ("GET", "/things/y", {}),
    ("POST", "/form", {"data": {"a2": "x"}}),
    ("POST", "/form", {"data": {"a1": "1", "a2": "2"}}),
    ("POST", "/form", {"data": {"b": "x"}}),
    ("POST", "/form", {"data": {"a2": ""}}),
    ("POST", "/shared", {"files": {"f": ("a.txt", b"abcd", "text/plain")}}),
    ("POST", "/shared", {}),
    ("POST", "/multipart", {"data": {"a": "1", "b": "2"}}),
    ("POST", "/multipart", {"files": {"a": ("a", b"1")}, "data": {"b": "2"}}),
    ("GET", "/openapi.json", {}),
]


@pytest.fixture(scope="module")
def both() -> tuple[list[Any], list[Any]]:
    return on_both(build, json_answers(REQUESTS))


@pytest.mark.parametrize("index", range(len(REQUESTS)), ids=lambda i: " ".join(REQUESTS[i][:2]))
def test_the_same_answer_as_fastapi(index: int, both: tuple[list[Any], list[Any]]) -> None:
    ours, theirs = both
    assert ours[index] == theirs[index]


def test_what_the_rules_give() -> None:
    client = TestClient(build(accord))
    assert client.get("/items/5").json() == 5
    assert client.get("/items/x").json()["detail"][0]["loc"] == ["path", "item_id"]
    assert client.get("/things/6").json() == 6
    assert client.post("/form", data={"a2": "x"}).json() == {"a": "x", "b": "b"}
    assert client.post("/form", data={"a1": "1", "a2": "2"}).json()["a"] == "1"
    sent = {"f": ("a.txt", b"abcd", "text/plain")}
    assert client.post("/shared", files=sent).json() == {"dep": 4, "up": 4}
    document = client.get("/openapi.json").json()
    parameter = document["paths"]["/items/{item_id}"]["get"]["parameters"][0]
    assert parameter["name"] == "item_id"
    content = document["paths"]["/multipart"]["post"]["requestBody"]["content"]
    assert list(content) == ["multipart/form-data"]
