"""`compile_route`: declarations in, `RoutePlan`s out. No app, no client: the plan is the output."""


from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Annotated, Any

import pytest
from pydantic import BaseModel
from starlette.responses import JSONResponse, PlainTextResponse, Response

from accord import Depends, File, Form, Request, Security
from accord._compiler.route import compile_overrides, compile_route, replan
from accord._plan import APP, BodyKind, ResponseKind, StackKind
from accord.datastructures import Default
from accord.exceptions import AccordError
from accord.limits import DEFAULT_MAX_BODY_SIZE
from accord.security import SecurityScopes
from accord.sse import EventSourceResponse


@dataclass
class Decl:
    """The fields of `accord._compiler.route.Declaration`, with APIRoute's defaults."""

    endpoint: Any
    path: str = "/things/{thing_id}"
    methods: set[str] = field(default_factory=lambda: {"GET"})
    name: str = "endpoint"
    unique_id: str = "endpoint_get"
    dependencies: list[Any] = field(default_factory=list)
    responses: dict[Any, Any] = field(default_factory=dict)
    response_model: Any = field(default_factory=lambda: Default(None))
    status_code: int | None = None
    response_class: Any = field(default_factory=lambda: Default(JSONResponse))
    response_model_include: Any = None
    response_model_exclude: Any = None
    response_model_by_alias: bool = True
    response_model_exclude_unset: bool = False
    response_model_exclude_defaults: bool = False
    response_model_exclude_none: bool = False
    strict_content_type: Any = field(default_factory=lambda: Default(True))
    error_format: Any = field(default_factory=lambda: Default("fastapi"))
    max_body_size: Any = field(default_factory=lambda: Default(DEFAULT_MAX_BODY_SIZE))
    form_limits: Any = field(default_factory=lambda: Default(None))

    @property
    def path_format(self) -> str:
        return self.path


class Item(BaseModel):
    name: str


async def no_inputs():
    return {"ok": True}


def test_a_route_without_inputs_is_simple() -> None:
    rp = compile_route(Decl(no_inputs, path="/")).route_plan
    assert rp.simple
    assert (rp.body_kind, rp.stack_kind, rp.response_kind) == (
        BodyKind.NONE,
        StackKind.NONE,
        ResponseKind.JSON,
    )
    assert rp.plan.slots == () and rp.plan.locations == frozenset()
    assert rp.limits.max_body_size == DEFAULT_MAX_BODY_SIZE


def test_inputs_become_slots_by_location_and_one_validator() -> None:
    async def read(thing_id: int, q: str | None = None, x_token: Annotated[str, "x"] = "") -> None:
        return None

    rp = compile_route(Decl(read)).route_plan
    assert not rp.simple
    assert {(s.location.value, s.alias) for s in rp.plan.slots} == {
        ("path", "thing_id"),
        ("query", "q"),
        ("query", "x_token"),
    }
    assert rp.plan.validator is not None
    assert rp.plan.validator.validate_python({"p0": "3"}) == {"p0": 3, "p1": None, "p2": ""}


def test_body_kinds_follow_what_the_route_declares() -> None:
    async def json_body(item: Item) -> None: ...
    async def with_request(item: Item, request: Request) -> None: ...
    async def form(user: Annotated[str, Form()], blob: Annotated[bytes, File()]) -> None: ...

    assert compile_route(Decl(json_body, path="/")).route_plan.body_kind == BodyKind.JSON
    assert compile_route(Decl(with_request, path="/")).route_plan.body_kind == BodyKind.REQUEST
    rp = compile_route(Decl(form, path="/")).route_plan
    assert rp.body_kind == BodyKind.FORM
    assert rp.plan.body is not None
    fields = {f.alias: (f.sequence, f.read_bytes) for f in rp.plan.body.form_fields}
    assert fields == {"user": (False, ""), "blob": (False, "one")}


async def request_yield() -> AsyncIterator[int]:
    yield 1


def test_stack_kinds_follow_the_yield_dependencies() -> None:
    async def plain(v: Annotated[int, Depends(request_yield)]) -> None: ...
    async def scoped(v: Annotated[int, Depends(request_yield, scope="function")]) -> None: ...

    assert compile_route(Decl(plain, path="/")).route_plan.stack_kind == StackKind.REQUEST
    assert compile_route(Decl(scoped, path="/")).route_plan.stack_kind == StackKind.FUNCTION
    assert compile_route(Decl(no_inputs, path="/")).route_plan.stack_kind == StackKind.NONE


def test_response_kinds() -> None:
    async def model() -> Item:
        return Item(name="a")

    async def injected(response: Response) -> None: ...

    def lines() -> Iterator[Item]:
        yield Item(name="a")

    async def events() -> AsyncIterator[int]:
        yield 1

    kind = lambda **kw: compile_route(Decl(path="/", **kw)).route_plan.response_kind  # noqa: E731
    assert kind(endpoint=model) == ResponseKind.MODEL
    assert kind(endpoint=no_inputs, status_code=204) == ResponseKind.GENERAL
    assert kind(endpoint=injected) == ResponseKind.GENERAL
    assert kind(endpoint=no_inputs, response_class=PlainTextResponse) == ResponseKind.GENERAL
    assert kind(endpoint=lines) == ResponseKind.JSONL
    assert kind(endpoint=events, response_class=EventSourceResponse) == ResponseKind.SSE
    assert kind(endpoint=events, response_class=PlainTextResponse) == ResponseKind.RAW
    compiled = compile_route(Decl(lines, path="/"))
    assert compiled.is_json_stream and compiled.stream_item_type is Item
    assert compiled.route_plan.stream is not None and not compiled.route_plan.stream.is_async


async def shared_client() -> str:
    return "client"


def test_app_scoped_dependencies_are_data_read_first() -> None:
    def sync_dep() -> int:
        return 1

    async def read(
        a: Annotated[int, Depends(sync_dep)],
        c: Annotated[str, Depends(shared_client, scope="app")],
    ) -> None: ...

    steps = compile_route(Decl(read, path="/")).route_plan.plan.steps
    assert steps[0].kind == APP and steps[0].recipe is not None
    assert steps[0].recipe.call is shared_client
    assert steps[1].recipe is None


def test_security_scopes_are_not_an_argument_key() -> None:
    def needs(scopes: SecurityScopes) -> list[str]:
        return scopes.scopes

    async def read(v: Annotated[list[str], Security(needs, scopes=["read"])]) -> None: ...

    step = compile_route(Decl(read, path="/")).route_plan.plan.steps[0]
    assert step.scopes == ("scopes", ("read",))
    assert all(not key.startswith("!scopes") for _, key in step.args)


@pytest.mark.parametrize(
    ("option", "value", "text"),
    [
        ("max_body_size", -1, "max_body_size must be a number of bytes"),
        ("max_body_size", True, "max_body_size must be a number of bytes"),
        ("form_limits", 10, "form_limits must be an accord.limits.FormLimits"),
        ("error_format", "xml", "error_format must be"),
    ],
)
def test_configuration_mistakes_fail_naming_the_route(option: str, value: Any, text: str) -> None:
    with pytest.raises(AccordError) as caught:
        compile_route(Decl(no_inputs, path="/", **{option: value}))
    assert text in str(caught.value)
    assert "path operation ['GET'] '/' (endpoint)" in str(caught.value)


def test_overrides_replan_the_kinds() -> None:
    async def plain_dep() -> int:
        return 1

    async def read(v: Annotated[int, Depends(plain_dep)]) -> None: ...

    compiled = compile_route(Decl(read, path="/"))
    assert compiled.route_plan.stack_kind == StackKind.NONE
    overridden = compile_overrides(
        compiled.route_plan, compiled.dependant, {plain_dep: request_yield}
    )
    assert overridden.stack_kind == StackKind.REQUEST
    assert replan(overridden, compiled.route_plan.plan).stack_kind == StackKind.NONE
