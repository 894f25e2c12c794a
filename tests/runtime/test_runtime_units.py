"""`accord._runtime` driven with hand-built plans: no decorator, no compiler, no client.

Each test builds the `_plan` records a compiler would write and checks what the runtime does
with them: extractors per location, the body stream, app-step binding, encoders, runners.
"""

import asyncio
from typing import Any

import pytest
from pydantic import TypeAdapter
from pydantic.fields import FieldInfo
from starlette.requests import ClientDisconnect
from typing_extensions import TypedDict

from accord._plan import (
    APP,
    ASYNC,
    AppRecipe,
    BodyKind,
    BodyLimits,
    Location,
    ModelField,
    Plan,
    ResponseKind,
    ResponsePlan,
    RoutePlan,
    Slot,
    StackKind,
    Step,
)
from accord._runtime.body import BodyStream
from accord._runtime.encode import ENCODERS
from accord._runtime.extract import extractors, validate_one_by_one
from accord._runtime.lifetime import AppValue, bind_app_steps
from accord._runtime.runner import make_runner
from accord.exceptions import ContentTooLargeError
from accord.responses import JSONResponse


def slot(key: str, location: Location, alias: str, annotation: Any = str, sequence: bool = False) -> Slot:
    field = ModelField(FieldInfo(annotation=annotation), alias)
    return Slot(key, field, location, alias, sequence, (location.value, alias))


def endpoint(call: Any, args: tuple[tuple[str, str], ...] = ()) -> Step:
    return Step(call=call, kind=ASYNC, args=args, result_key="", function_scope=False, subtree=frozenset())


def plan(slots: tuple[Slot, ...] = (), steps: tuple[Step, ...] = (), end: Step | None = None) -> Plan:
    validator = None
    if slots:
        typed: Any = TypedDict("_In", {s.key: s.field.field_info.annotation for s in slots}, total=False)  # type: ignore[operator]
        validator = TypeAdapter(typed)
    return Plan(
        slots=slots,
        validator=validator,
        locations=frozenset(s.location for s in slots),
        body=None,
        steps=steps,
        endpoint=end or endpoint(lambda: None),
        error_order=tuple(s.key for s in slots),
        needs_request=False,
        needs_response=False,
        needs_background=False,
        has_exit_stack=False,
        stages=tuple((s,) for s in steps),
    )


def scope(query: bytes = b"", headers: list[tuple[bytes, bytes]] | None = None, **params: str) -> dict[str, Any]:
    return {"type": "http", "query_string": query, "headers": headers or [], "path_params": params}


def test_one_extractor_per_declared_location() -> None:
    p = plan((slot("p0", Location.PATH, "id"), slot("p1", Location.QUERY, "tag", list[str], True)))
    found = extractors(p)
    assert [f.__name__ for f in found] == ["extract_path", "extract_query"]
    raw: dict[str, Any] = {}
    for extract in found:
        extract(scope(b"tag=a&tag=b&other=1", id="7"), raw)
    assert raw == {"p0": "7", "p1": ["a", "b"]}
    assert extractors(plan()) == ()


def test_header_and_cookie_extractors_read_their_source_only() -> None:
    p = plan((slot("p0", Location.HEADER, "x-token"), slot("p1", Location.COOKIE, "session")))
    raw: dict[str, Any] = {}
    headers = [(b"X-Token", b"first"), (b"x-token", b"second"), (b"cookie", b"session=abc; a=b")]
    for extract in extractors(p):
        extract(scope(b"session=query", headers), raw)
    assert raw == {"p0": "first", "p1": "abc"}


def test_the_slow_path_reports_each_input() -> None:
    p = plan((slot("p0", Location.QUERY, "n", int),))
    errors: dict[str, list[Any]] = {}
    assert validate_one_by_one(p, {}, errors) == {}
    assert errors["p0"][0]["type"] == "missing"
    assert errors["p0"][0]["loc"] == ("query", "n")


def _receive(*messages: dict[str, Any]) -> Any:
    queue = list(messages)

    async def receive() -> dict[str, Any]:
        return queue.pop(0)

    return receive


def test_body_stream_ends_with_an_empty_chunk() -> None:
    receive = _receive(
        {"type": "http.request", "body": b"a=1", "more_body": True},
        {"type": "http.request", "body": b"&b=2", "more_body": False},
    )

    async def collect() -> list[bytes]:
        return [chunk async for chunk in BodyStream(receive, None).chunks()]

    assert asyncio.run(collect()) == [b"a=1", b"&b=2", b""]


def test_body_stream_stops_at_the_first_chunk_past_the_limit() -> None:
    calls: list[int] = []

    async def endless() -> dict[str, Any]:
        calls.append(1)
        return {"type": "http.request", "body": b"x" * 1024, "more_body": True}

    with pytest.raises(ContentTooLargeError):
        asyncio.run(BodyStream(endless, 10 * 1024).read())
    assert len(calls) == 11
    with pytest.raises(ClientDisconnect):
        asyncio.run(BodyStream(_receive({"type": "http.disconnect"}), None).read())


def test_app_steps_are_bound_into_a_new_plan() -> None:
    async def make() -> str:
        return "value"

    recipe = AppRecipe("make", make, ASYNC, None, (), (make, ()))
    step = Step(call=make, kind=APP, args=(), result_key="d0", function_scope=False, subtree=frozenset(), recipe=recipe)
    original = plan(steps=(step,))

    class App:
        pass

    bound = bind_app_steps(original, App())
    assert original.steps[0].kind == APP  # the compiled plan is never mutated
    assert bound.steps[0].kind == ASYNC and isinstance(bound.steps[0].call, AppValue)
    assert bound.stages[0][0] is bound.steps[0]
    assert bind_app_steps(plan(), App()).steps == ()


def response_plan(**kw: Any) -> ResponsePlan:
    defaults: dict[str, Any] = dict(
        status_code=None, field=None, response_class=JSONResponse, class_is_default=True,
        dump_options={}, endpoint_ctx={},
    )
    return ResponsePlan(**{**defaults, **kw})


def test_encoders_by_kind() -> None:
    json_response = ENCODERS[ResponseKind.JSON](response_plan(status_code=201), {"a": 1}, None, None)
    assert (json_response.status_code, json_response.body) == (201, b'{"a":1}')
    field = ModelField(FieldInfo(annotation=dict[str, int]), "r", mode="serialization")
    model = ENCODERS[ResponseKind.MODEL](response_plan(field=field), {"a": "2"}, None, None)
    assert model.body == b'{"a":2}'
    general = ENCODERS[ResponseKind.GENERAL](response_plan(status_code=204), {"a": 1}, None, None)
    assert (general.status_code, general.body) == (204, b"")


def route_plan(p: Plan, **kw: Any) -> RoutePlan:
    values: dict[str, Any] = dict(
        plan=p, response=response_plan(), response_kind=ResponseKind.JSON, body_kind=BodyKind.NONE,
        stack_kind=StackKind.NONE, limits=BodyLimits(None, None), error_format="fastapi",
        strict_content_type=True,
    )
    return RoutePlan(**{**values, **kw})


def serve(runner: Any, s: dict[str, Any]) -> tuple[int, bytes]:
    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(runner(s, _receive({"type": "http.request", "body": b""}), send))
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


def test_a_runner_serves_a_hand_built_plan() -> None:
    async def echo(n: int) -> dict[str, int]:
        return {"n": n * 2}

    p = plan((slot("p0", Location.QUERY, "n", int),), end=endpoint(echo, (("n", "p0"),)))
    runner = make_runner(route_plan(p))
    assert type(runner).__name__ == "RouteRunner"
    assert serve(runner, scope(b"n=21")) == (200, b'{"n":42}')


def test_a_simple_runner_calls_the_endpoint_with_nothing() -> None:
    async def hello() -> str:
        return "hi"

    runner = make_runner(route_plan(plan(end=endpoint(hello)), simple=True))
    assert type(runner).__name__ == "_SimpleRunner"
    assert runner.extract == ()
    assert serve(runner, scope()) == (200, b'"hi"')
