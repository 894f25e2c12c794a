"""Form models as FastAPI 0.163 has them, compared with FastAPI 0.163.2 request by request:
optional form models (``Annotated[F | None, Form()]``, with or without a default) absent unless
one of their fields is in the form (or, with ``extra="allow"``/``"forbid"``, anything is);
several form models on one route, a form model beside plain form fields and form models
declared in dependencies, each read from the whole form with errors at ``["body", field]``;
union form models (``Annotated[F1 | F2, Form()]``, optional too); and the request-body schema
FastAPI writes for all of them (``allOf`` of the models, ``anyOf``/``not``/``maxProperties``
for optional ones)."""

from typing import Annotated, Any

import fastapi
import pytest
from fastapi.testclient import TestClient as FastAPIClient
from pydantic import AliasChoices, BaseModel, ConfigDict, Field

import accord
from accord.testclient import TestClient


class Kind(BaseModel):
    kind: str
    n: int = 0


class Name(BaseModel):
    name: str


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")
    name: str = "anonymous"


class Tags(BaseModel):
    tags: list[str] = []
    limit: int = Field(default=5, le=10)


class Card(BaseModel):
    number: str
    cvc: int


class Transfer(BaseModel):
    iban: str
    tags: list[str] = []


class Choice(BaseModel):
    v: str = Field(validation_alias=AliasChoices("a", "b"))


class ByName(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    full_name: str = Field(alias="fullName")


def _dump(value: Any) -> Any:
    return value.model_dump() if isinstance(value, BaseModel) else value


def build(fw: Any) -> Any:
    app = fw.FastAPI()

    @app.post("/optional")
    def optional(f: Annotated[Name | None, fw.Form()] = None) -> Any:
        return {"f": _dump(f)}

    @app.post("/required-nullable")
    def required_nullable(f: Annotated[Name | None, fw.Form()]) -> Any:
        return {"f": _dump(f)}

    @app.post("/optional-strict")
    def optional_strict(f: Annotated[Strict | None, fw.Form()] = None) -> Any:
        return {"f": _dump(f)}

    @app.post("/optional-open")
    def optional_open(f: Annotated[Open | None, fw.Form()] = None) -> Any:
        return {"f": _dump(f)}

    @app.post("/two")
    def two(a: Annotated[Kind, fw.Form()], b: Annotated[Name, fw.Form()]) -> Any:
        return {"a": _dump(a), "b": _dump(b)}

    @app.post("/mixed")
    def mixed(a: Annotated[Kind, fw.Form()], extra: Annotated[str, fw.Form()]) -> Any:
        return {"a": _dump(a), "extra": extra}

    @app.post("/mixed-optional")
    def mixed_optional(
        note: Annotated[str, fw.Form()],
        t: Annotated[Tags | None, fw.Form()] = None,
        count: Annotated[int, fw.Form()] = 1,
    ) -> Any:
        return {"note": note, "t": _dump(t), "count": count}

    @app.post("/with-file")
    async def with_file(a: Annotated[Kind, fw.Form()], upload: fw.UploadFile) -> Any:
        return {"a": _dump(a), "upload": (await upload.read()).decode()}

    def name_dep(b: Annotated[Name, fw.Form()]) -> Any:
        return b

    @app.post("/dep")
    def dep(a: Annotated[Kind, fw.Form()], b: Annotated[Name, fw.Depends(name_dep)]) -> Any:
        return {"a": _dump(a), "b": _dump(b)}

    def optional_dep(t: Annotated[Tags | None, fw.Form()] = None) -> Any:
        return t

    @app.post("/dep-optional")
    def dep_optional(t: Annotated[Any, fw.Depends(optional_dep)]) -> Any:
        return {"t": _dump(t)}

    @app.post("/union")
    def union(p: Annotated[Card | Transfer, fw.Form()]) -> Any:
        return {"p": _dump(p), "type": type(p).__name__}

    @app.post("/union-optional")
    def union_optional(p: Annotated[Card | Transfer | None, fw.Form()] = None) -> Any:
        return {"p": _dump(p), "type": type(p).__name__}

    @app.post("/union-mixed")
    def union_mixed(
        p: Annotated[Card | Transfer, fw.Form()], memo: Annotated[str, fw.Form()] = ""
    ) -> Any:
        return {"p": _dump(p), "memo": memo}

    def same_name_dep(b: Annotated[Name, fw.Form()]) -> Any:
        return b

    @app.post("/same-name")
    def same_name(
        b: Annotated[Name, fw.Form()], again: Annotated[Any, fw.Depends(same_name_dep)]
    ) -> Any:
        return {"b": _dump(b), "again": _dump(again)}

    def same_union_dep(p: Annotated[Card | Transfer, fw.Form()]) -> Any:
        return p

    @app.post("/same-union")
    def same_union(
        p: Annotated[Card | Transfer, fw.Form()], again: Annotated[Any, fw.Depends(same_union_dep)]
    ) -> Any:
        return {"p": _dump(p), "again": _dump(again)}

    @app.post("/choice")
    def choice(m: Annotated[Choice, fw.Form()]) -> Any:
        return {"m": _dump(m)}

    @app.post("/choice-optional")
    def choice_optional(
        m: Annotated[Choice | None, fw.Form()] = None,
        n: Annotated[ByName | None, fw.Form()] = None,
    ) -> Any:
        return {"m": _dump(m), "n": _dump(n)}

    @app.post("/single")
    def single(a: Annotated[Tags, fw.Form()]) -> Any:
        return {"a": _dump(a)}

    return app


Send = tuple[str, Any, Any]

REQUESTS: list[Send] = [
    ("/optional", {}, None),
    ("/optional", {"name": "n"}, None),
    ("/optional", {"other": "x"}, None),
    ("/optional", {"name": ""}, None),
    ("/optional", {"name": ["a", "b"]}, None),
    ("/optional", None, {"name": (None, "n")}),
    ("/required-nullable", {}, None),
    ("/required-nullable", {"name": "n"}, None),
    ("/required-nullable", {"other": "x"}, None),
    ("/optional-strict", {}, None),
    ("/optional-strict", {"other": "x"}, None),
    ("/optional-strict", {"name": "n"}, None),
    ("/optional-strict", {"name": "n", "other": "x"}, None),
    ("/optional-open", {}, None),
    ("/optional-open", {"other": "x"}, None),
    ("/optional-open", {"name": "n", "more": ["1", "2"]}, None),
    ("/two", {"kind": "k", "name": "n"}, None),
    ("/two", {"kind": "k"}, None),
    ("/two", {}, None),
    ("/two", {"kind": "k", "n": "x", "name": "n"}, None),
    ("/two", {"kind": ["k", "j"], "name": "n", "n": ["1", "2"]}, None),
    ("/two", None, {"kind": (None, "k"), "name": (None, "n")}),
    ("/mixed", {"kind": "k", "extra": "e"}, None),
    ("/mixed", {"kind": "k"}, None),
    ("/mixed", {"extra": "e"}, None),
    ("/mixed", {"kind": "k", "extra": ["e", "f"]}, None),
    ("/mixed-optional", {"note": "x"}, None),
    ("/mixed-optional", {"note": "x", "tags": ["a", "b"]}, None),
    ("/mixed-optional", {"note": "x", "limit": "11"}, None),
    ("/mixed-optional", {"note": "x", "count": "y", "limit": "z"}, None),
    ("/mixed-optional", {"limit": "3"}, None),
    ("/mixed-optional", {}, None),
    ("/with-file", {"kind": "k"}, {"upload": ("u.txt", b"data")}),
    ("/with-file", {}, {"upload": ("u.txt", b"data")}),
    ("/with-file", {"kind": "k"}, None),
    ("/with-file", {"kind": "k"}, {"kind": ("k.txt", b"file")}),
    ("/dep", {"kind": "k", "name": "n"}, None),
    ("/dep", {}, None),
    ("/dep", {"name": "n"}, None),
    ("/dep-optional", {}, None),
    ("/dep-optional", {"tags": ["a"], "limit": "2"}, None),
    ("/dep-optional", {"limit": "x"}, None),
    ("/union", {"number": "4242", "cvc": "123"}, None),
    ("/union", {"iban": "DE00", "tags": ["a", "b"]}, None),
    ("/union", {"iban": "DE00", "tags": "a"}, None),
    ("/union", {"number": "4242", "cvc": "x"}, None),
    ("/union", {}, None),
    ("/union", {"number": ["1", "2"], "cvc": "1"}, None),
    ("/union", {"number": "4242", "cvc": "1"}, {"receipt": ("r.txt", b"x")}),
    ("/union", {"iban": "DE00", "tags": ""}, None),
    ("/union", {"iban": ["DE00", "FR00"], "tags": ["a", "", "b"]}, None),
    ("/union-optional", {}, None),
    ("/union-optional", {"other": "x"}, None),
    ("/union-optional", {"iban": "DE00"}, None),
    ("/union-optional", {"cvc": "1"}, None),
    ("/union-mixed", {"iban": "DE00", "memo": "m"}, None),
    ("/union-mixed", {"memo": "m"}, None),
    ("/same-name", {"name": "n"}, None),
    ("/same-name", {}, None),
    ("/same-union", {"iban": "DE00"}, None),
    ("/same-union", {"cvc": "x"}, None),
    ("/choice", {"a": "1"}, None),
    ("/choice", {"b": "2"}, None),
    ("/choice", {"a": "", "b": "2"}, None),
    ("/choice", {}, None),
    ("/choice-optional", {"b": "2"}, None),
    ("/choice-optional", {"full_name": "x"}, None),
    ("/choice-optional", {"fullName": "y", "a": "1"}, None),
    ("/choice-optional", {"fullName": ""}, None),
    ("/single", {}, None),
    ("/single", {"tags": ["a", "b"], "limit": "3", "x": "y"}, None),
    ("/single", {"limit": "11"}, None),
]


def answers(fw: Any, client_class: Any) -> list[tuple[int, Any]]:
    client = client_class(build(fw))
    results = []
    for path, data, files in REQUESTS:
        response = client.post(path, data=data, files=files)
        results.append((response.status_code, response.json()))
    return results


def test_every_request_answers_as_in_fastapi() -> None:
    ours = answers(accord, TestClient)
    theirs = answers(fastapi, FastAPIClient)
    for request, mine, reference in zip(REQUESTS, ours, theirs, strict=True):
        assert mine == reference, request


def test_a_json_body_is_an_empty_form() -> None:
    for path in ("/optional", "/two", "/union-optional"):
        mine = TestClient(build(accord)).post(path, json={"name": "n"})
        reference = FastAPIClient(build(fastapi)).post(path, json={"name": "n"})
        assert (mine.status_code, mine.json()) == (reference.status_code, reference.json())


def test_the_openapi_document_is_fastapis() -> None:
    ours = TestClient(build(accord)).get("/openapi.json").json()
    theirs = FastAPIClient(build(fastapi)).get("/openapi.json").json()
    for path, item in theirs["paths"].items():
        assert ours["paths"][path] == item, path
    for name, schema in theirs["components"]["schemas"].items():
        assert ours["components"]["schemas"].get(name) == schema, name
    assert ours == theirs


@pytest.mark.parametrize(
    ("data", "expected"),
    [({}, {"f": None}), ({"other": "x"}, {"f": None}), ({"name": "n"}, {"f": {"name": "n"}})],
)
def test_an_optional_form_model_is_absent_unless_one_of_its_fields_is_sent(
    data: dict[str, str], expected: dict[str, Any]
) -> None:
    assert TestClient(build(accord)).post("/optional", data=data).json() == expected


def test_each_form_model_reads_the_whole_form() -> None:
    response = TestClient(build(accord)).post("/two", data={"kind": "k", "name": "n"})
    assert response.json() == {"a": {"kind": "k", "n": 0}, "b": {"name": "n"}}
