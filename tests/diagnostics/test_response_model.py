"""A response model pydantic cannot handle fails at registration with a clear message, in
exactly the cases where FastAPI fails too (FastAPI's message is about "Invalid args")."""

import dataclasses
import sys
import typing
from collections.abc import Callable
from typing import Any

import fastapi
import pytest
from starlette.responses import JSONResponse
from typing_extensions import TypedDict

import accord
from accord.exceptions import AccordError, FastAPIError, ResponseModelError


class Opaque:
    """Not a type pydantic knows."""


@dataclasses.dataclass
class Point:
    x: int


class Movie(TypedDict):
    title: str


def _register(framework: Any, declare: Callable[[Any], None]) -> BaseException | None:
    app = framework.FastAPI()
    try:
        declare(app)
    except Exception as exc:
        return exc
    return None


def _by_response_model(app: Any) -> None:
    @app.get("/things", response_model=Opaque)
    def things() -> Any:
        return Opaque()


def _by_return_annotation(app: Any) -> None:
    @app.get("/things")
    def things() -> Opaque:
        return Opaque()


def _in_a_list(app: Any) -> None:
    @app.post("/things", response_model=list[Opaque])
    def things() -> Any:
        return []


def _in_responses(app: Any) -> None:
    @app.get("/things", responses={404: {"model": Opaque}})
    def things() -> None: ...


def _response_model_none(app: Any) -> None:
    @app.get("/things", response_model=None)
    def things() -> Opaque:
        return Opaque()


def _response_class(app: Any) -> None:
    @app.get("/things")
    def things() -> JSONResponse:
        return JSONResponse({})


def _dataclass_and_typeddict(app: Any) -> None:
    @app.get("/point")
    def point() -> Point:
        return Point(1)

    @app.get("/movies", response_model=list[Movie])
    def movies() -> Any:
        return []


REJECTED = [_by_response_model, _by_return_annotation, _in_a_list, _in_responses]
ACCEPTED = [_response_model_none, _response_class, _dataclass_and_typeddict]


@pytest.mark.parametrize("declare", REJECTED, ids=lambda f: f.__name__)
def test_rejected_as_fastapi_rejects_it_with_route_type_and_fix(declare: Callable) -> None:
    assert isinstance(_register(fastapi, declare), fastapi.exceptions.FastAPIError)
    error = _register(accord, declare)
    assert isinstance(error, ResponseModelError)
    assert isinstance(error, AccordError) and isinstance(error, FastAPIError)
    message = str(error)
    assert "'/things'" in message
    assert "['GET']" in message or "['POST']" in message
    assert "Opaque" in message
    assert "is not a type pydantic can validate or serialize" in message
    assert "Unable to generate pydantic-core schema" in message
    assert "arbitrary_types_allowed" not in message  # pydantic's advice does not apply here
    assert "response_model=None" in message


@pytest.mark.parametrize("declare", ACCEPTED, ids=lambda f: f.__name__)
def test_accepted_where_fastapi_accepts_it(declare: Callable) -> None:
    assert _register(fastapi, declare) is None
    assert _register(accord, declare) is None


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="pydantic accepts it from 3.12 on")
def test_pydantic_reason_is_kept_when_it_is_the_fix() -> None:
    class Legacy(typing.TypedDict):
        title: str

    def declare(app: Any) -> None:
        @app.get("/legacy")
        def legacy() -> Legacy:
            return {"title": "x"}

    assert _register(fastapi, declare) is not None
    error = _register(accord, declare)
    assert isinstance(error, ResponseModelError)
    assert "Please use `typing_extensions.TypedDict` instead of `typing.TypedDict`" in str(error)
