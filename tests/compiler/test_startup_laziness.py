"""What registration builds and what it leaves for later (issue 19's start-up work).

A parameter's own pydantic adapter (used for its error text and its OpenAPI schema) is built
when first needed, not at registration; a type pydantic cannot handle still fails at
registration, through the route's combined validator. The endpoint's line for error context is
read from its code object, without reading its source file.
"""

import inspect
from typing import Annotated, Any

import pytest

from accord import FastAPI, Query
from accord.exceptions import AccordError
from accord.testclient import TestClient


def test_parameter_adapters_wait_for_their_first_use() -> None:
    app = FastAPI()

    @app.get("/items")
    def items(q: Annotated[int, Query(ge=1)] = 1) -> int:
        return q

    route = app.routes[-1]
    field = route.dependant.query_params[0]  # type: ignore[attr-defined]
    assert "type_adapter" not in field.__dict__
    client = TestClient(app)
    assert client.get("/items?q=3").json() == 3
    assert "type_adapter" not in field.__dict__  # a valid request needs only the combined one
    error = client.get("/items?q=0").json()["detail"][0]
    assert error["loc"] == ["query", "q"] and error["type"] == "greater_than_equal"
    client.get("/openapi.json")
    assert "type_adapter" in field.__dict__


def test_an_unusable_parameter_type_still_fails_at_registration() -> None:
    class Opaque:
        pass

    app = FastAPI()
    with pytest.raises(AccordError, match="Invalid type for .thing."):

        @app.get("/opaque")
        def opaque(thing: Annotated[Opaque, Query()]) -> None:
            return None


def decorated(function: Any) -> Any:
    return function


@decorated
def endpoint_with_a_decorator() -> None:
    raise ValueError


def test_the_error_context_line_is_the_one_inspect_reads() -> None:
    from accord._compiler.response import endpoint_context

    context = endpoint_context(endpoint_with_a_decorator, "GET /x")
    assert context["line"] == inspect.getsourcelines(endpoint_with_a_decorator)[1]
    assert context["file"] == __file__ and context["function"] == "endpoint_with_a_decorator"
    assert endpoint_context(len, None) == {}  # a builtin has no source: no context, no error
