"""Regressions found by cadwyn's request migrations (tests/ecosystem/suites.py): how a route's
inputs are read and solved, checked here on Accord and on FastAPI 0.163.2 with the same app.

cadwyn re-solves a route's dependency tree through `fastapi.dependencies.utils` with a body it
migrated itself, so what these tests pin is the contract it relies on: which field gets which
part of a body, which form keys a form model takes, what a dependency override sees.
"""

import importlib
from types import ModuleType
from typing import Annotated, Any

import pytest
from pydantic import AliasChoices, BaseModel, BeforeValidator, ConfigDict, Field, Json
from starlette.testclient import TestClient


@pytest.fixture(params=["accord", "fastapi"])
def fw(request: pytest.FixtureRequest) -> ModuleType:
    return importlib.import_module(request.param)


class Item(BaseModel):
    value: int


def _incremented(items: Any) -> Any:
    if not isinstance(items, list):
        return items
    return [
        {"value": item["value"] + 1} if isinstance(item.get("value"), int) else item
        for item in items
    ]


def _answers(client: TestClient, path: str, bodies: list[Any]) -> list[tuple[int, Any]]:
    answers = []
    for body in bodies:
        response = client.post(path, json=body)
        answers.append((response.status_code, response.json()))
    return answers


def test_a_body_name_a_dependency_declares_again_is_the_whole_body_for_each(
    fw: ModuleType,
) -> None:
    # One body name declared by the endpoint and by a dependency (or its override), with
    # different annotations: the body is not embedded, and each reads the whole body its own
    # way (cadwyn's lazy-value and validator tests: 45 lost, a KeyError in the runner).
    def reads_items(body: Annotated[list[Item], BeforeValidator(_incremented)]) -> list[int]:
        return [item.value for item in body]

    def replaced(body: list[Item]) -> list[int]:
        raise AssertionError("overridden")

    app = fw.FastAPI()

    @app.post("/dependency")
    async def dependency(
        body: list[Item], seen: Annotated[list[int], fw.Depends(reads_items)]
    ) -> dict[str, Any]:
        return {"endpoint": [item.value for item in body], "dependency": seen}

    @app.post("/override")
    async def override(
        body: list[Item], seen: Annotated[list[int], fw.Depends(replaced)]
    ) -> dict[str, Any]:
        return {"endpoint": [item.value for item in body], "dependency": seen}

    app.dependency_overrides[replaced] = reads_items
    client = TestClient(app)
    bodies: list[Any] = [[{"value": 1}], [{"value": "x"}], {"body": [{"value": 1}]}]
    answers = _answers(client, "/dependency", bodies)
    assert answers[0] == (200, {"endpoint": [1], "dependency": [2]})
    # Both fields report, at the whole body (the dependency's first, as FastAPI solves them).
    assert [(status, [(e["type"], e["loc"]) for e in body["detail"]]) for status, body in answers[1:]] == [
        (422, [("int_parsing", ["body", 0, "value"])] * 2),
        (422, [("list_type", ["body"])] * 2),
    ]
    assert _answers(client, "/override", bodies) == answers


class Fallback(BaseModel):
    model_config = ConfigDict(extra="allow")
    w: str = Field(validation_alias=AliasChoices("v", "fallback"))


class Other(BaseModel):
    other: str


def test_a_form_models_names_after_the_one_sent_are_extra_keys(fw: ModuleType) -> None:
    # As FastAPI reads a form model: the names of a field are tried in order, and those after
    # the one the form sends are not the field's; a model taking extra keys gets them (cadwyn
    # compares its migrated requests with this: 7 of its tests).
    app = fw.FastAPI()

    @app.post("/model")
    async def model(item: Annotated[Fallback, fw.Form()]) -> dict[str, Any]:
        return item.model_dump()

    @app.post("/union")
    async def union(item: Annotated[Fallback | Other, fw.Form()]) -> dict[str, Any]:
        return item.model_dump()

    client = TestClient(app)
    forms = [
        {"v": "primary", "fallback": "secondary"},
        {"v": "primary", "fallback": ["secondary", "third"]},
        {"v": "", "fallback": "secondary"},
        {"fallback": "secondary", "more": "x"},
    ]
    answers = {
        path: [client.post(path, data=form).json() for form in forms]
        for path in ("/model", "/union")
    }
    assert answers["/model"] == [
        {"w": "primary", "fallback": "secondary"},
        {"w": "primary", "fallback": ["secondary", "third"]},
        {"w": "secondary"},
        {"w": "secondary", "more": "x"},
    ]
    assert answers["/union"] == answers["/model"]


class WithJson(BaseModel):
    value: Json[list[int]] = Field(default_factory=list, validation_alias="v")


def test_a_json_list_in_a_form_is_one_document_not_repeated_keys(fw: ModuleType) -> None:
    # `Json[list[int]]` reads the key's one value as a JSON document, in a form model as in a
    # plain form field (cadwyn's JSON form test: Accord collected the key's values as a list).
    app = fw.FastAPI()

    @app.post("/model")
    async def model(body: Annotated[WithJson, fw.Form()]) -> list[int]:
        return body.value

    @app.post("/field")
    async def field(v: Annotated[Json[list[int]], fw.Form()]) -> list[int]:
        return v

    client = TestClient(app)
    answers = [client.post(path, data={"v": "[1,2]"}).json() for path in ("/model", "/field")]
    assert answers == [[1, 2], [1, 2]]


def test_an_override_reads_the_body_as_the_declared_route_embeds_it(fw: ModuleType) -> None:
    # FastAPI decides once, from the tree as declared, whether the body is embedded; under
    # an override each dependant then reads it its own way: its one field not embedded is
    # the whole body, an embedded one is looked up by name (cadwyn's override tests). Accord
    # decided again from the overridden tree.
    def plain() -> str:
        return "plain"

    def whole(body: dict[str, Any] = fw.Body()) -> list[str]:
        return sorted(body)

    def embedded(name: str = fw.Body(embed=True)) -> str:
        return name

    def unused() -> str:
        return "unused"

    app = fw.FastAPI()

    @app.post("/")
    async def endpoint(
        payload: Any = fw.Body(), seen: Any = fw.Depends(plain), more: Any = fw.Depends(unused)
    ) -> list[Any]:
        return [payload, seen, more]

    client = TestClient(app)
    assert client.post("/", json={"name": "n"}).json() == [{"name": "n"}, "plain", "unused"]
    app.dependency_overrides.update({plain: whole, unused: embedded})
    answers = [client.post("/", json=body) for body in ({"name": "n", "x": 1}, [1])]
    assert answers[0].json() == [{"name": "n", "x": 1}, ["name", "x"], "n"]
    assert [(e["type"], e["loc"]) for e in answers[1].json()["detail"]] == [
        ("dict_type", ["body"]), ("missing", ["body", "name"])
    ]


class Text(BaseModel):
    text: str


def test_an_overrides_whole_body_field_reads_a_form_as_fastapi_does(fw: ModuleType) -> None:
    # A form route (one form model, not embedded) whose dependencies are overridden with a
    # field that takes the whole body and one embedded field: the first gets the form's keys
    # as a dict, the second its key (cadwyn's override tests; Accord answered 422).
    async def first() -> Any:
        raise AssertionError("overridden")

    async def second() -> Any:
        raise AssertionError("overridden")

    async def embedded(text: str | dict[str, str] = fw.Body(embed=True)) -> Any:
        return text

    async def keys(body: dict[str, Any] = fw.Body()) -> list[str]:
        return sorted(body)

    app = fw.FastAPI()

    @app.post("/")
    async def endpoint(
        text: Annotated[Text, fw.Form()], one: Any = fw.Depends(first), two: Any = fw.Depends(second)
    ) -> list[Any]:
        return [text.text, one, two]

    app.dependency_overrides.update({first: embedded, second: keys})
    client = TestClient(app)
    answers = [client.post("/", data=data).json() for data in ({"text": "sent"}, {"text": "a", "x": "1"})]
    assert answers == [["sent", "sent", ["text"]], ["a", "a", ["text", "x"]]]
