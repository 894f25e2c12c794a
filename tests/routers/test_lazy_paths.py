"""A route's path regex is compiled on first use; its format and convertors at registration."""

from __future__ import annotations

import gc
import re

import pytest
from starlette.routing import compile_path

from accord import APIRouter, FastAPI
from accord._compiler import calls
from accord._routing.paths import parse_path
from accord.testclient import TestClient

PATHS = [
    "/",
    "/items",
    "/items/{item_id}",
    "/a/{x}/b/{y}",
    "/a/{x:int}",
    "/{x}/{rest:path}",
    "/a/{x}{y}",
    "/a/{",
    "/a/{1x}",
    "/a/{x}/{y:int}",
    "{sub}.example.com",
]


@pytest.mark.parametrize("path", PATHS)
def test_format_and_convertors_are_starlettes(path: str) -> None:
    _, path_format, convertors = compile_path(path)
    assert parse_path(path) == (path_format, convertors)


def test_a_parameter_named_twice_fails_at_registration_with_starlettes_message() -> None:
    router = APIRouter()
    with pytest.raises(ValueError, match="Duplicated param name x at path /a/{x}/{x}"):
        router.add_api_route("/a/{x}/{x}", lambda x: x)


def test_an_unknown_convertor_fails_at_registration() -> None:
    with pytest.raises(AssertionError, match="Unknown path convertor 'nope'"):
        APIRouter().add_api_route("/a/{x:nope}", lambda x: x)


def test_the_regex_is_compiled_on_first_match_and_can_be_replaced() -> None:
    router = APIRouter()
    router.add_api_route("/items/{item_id}", lambda item_id: {"id": item_id})
    app = FastAPI(openapi_url=None)
    app.include_router(router, prefix="/v1")
    declared, served = router.routes[0], app.router.routes[0]
    assert "_path_regex" not in vars(declared) and "_path_regex" not in vars(served)
    client = TestClient(app)
    assert client.get("/v1/items/5").json() == {"id": "5"}
    assert served.path_regex.pattern == compile_path("/v1/items/{item_id}")[0].pattern
    assert "_path_regex" not in vars(declared)  # the router's own copy is never matched
    served.path_regex = re.compile("^/v1/other/(?P<item_id>[^/]+)$")
    app.router._table = None
    assert client.get("/v1/other/6").json() == {"id": "6"}
    assert client.get("/v1/items/5").status_code == 404


def test_a_callable_is_judged_once_and_forgotten_with_it() -> None:
    def make() -> object:
        def dependency() -> int:
            return 1

        return dependency

    dependency = make()
    key = id(dependency)
    assert calls.step_kind(dependency) == calls.SYNC  # type: ignore[arg-type]
    ref, judged = calls._JUDGED[key]
    assert ref() is dependency and judged == (False, False, False)
    assert calls.is_coroutine_callable(dependency) is False  # type: ignore[arg-type]
    del dependency
    gc.collect()
    assert ref() is None  # the cache does not keep it alive
    calls._sweep()
    assert key not in calls._JUDGED
