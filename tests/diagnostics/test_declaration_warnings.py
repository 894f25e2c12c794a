"""Declaration mistakes FastAPI accepts silently: with ``Accord(diagnostics="warn")``, a
`DeclarationWarning` at registration that names the route, the parameter and the fix, and
silence for the valid counterpart. (The default, silent mode is tested in test_modes.py.)

Diagnostics are reported once per app and function.
"""

import warnings
from typing import Annotated, Literal, NewType, TypeVar

import pytest
from pydantic import BaseModel
from starlette.testclient import TestClient

from accord import Accord, APIRouter, Body, Depends, Path, Query, Request
from accord.exceptions import DeclarationWarning

from .conftest import declaration_warnings


class Filters(BaseModel):
    name: str
    limit: int = 10


# -- a body parameter on GET/HEAD/DELETE ----------------------------------------------------


@pytest.mark.parametrize("method", ["get", "head", "delete"])
def test_implicit_body_on_bodyless_method_warns(method: str) -> None:
    app = Accord(diagnostics="warn")
    with declaration_warnings() as messages:

        def search(filters: Filters) -> dict[str, str]:
            return {}

        getattr(app, method)("/search")(search)
    assert len(messages) == 1
    message = messages[0]
    verb = method.upper()
    assert message.startswith(f"{verb} /search: parameter 'filters' (Filters) of 'search'")
    assert f"which {verb} requests normally do not carry" in message
    assert "`filters: Annotated[Filters, Query()]`" in message
    assert "`filters: Annotated[Filters, Body()]`" in message


def test_implicit_body_of_a_dependency_and_a_list_warn() -> None:
    app = Accord(diagnostics="warn")
    with declaration_warnings() as messages:

        def paging(page: Filters) -> Filters:
            return page

        @app.get("/items")
        def items(p: Annotated[Filters, Depends(paging)], tags: list[str]) -> dict[str, str]:
            return {}

    assert len(messages) == 2
    assert any("parameter 'page' (Filters) of 'paging'" in m for m in messages)
    assert any("parameter 'tags' (list[str]) of 'items'" in m for m in messages)
    assert any("`tags: Annotated[list[str], Query()]`" in m for m in messages)


def test_warning_points_at_the_function_that_declares_the_parameter() -> None:
    app = Accord(diagnostics="warn")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")

        @app.get("/search")
        def search(filters: Filters) -> dict[str, str]:
            return {}

    assert [w.category for w in caught] == [DeclarationWarning]
    assert caught[0].filename == __file__
    assert caught[0].lineno == search.__code__.co_firstlineno


def test_explicit_body_or_query_on_get_and_implicit_body_on_post_are_silent() -> None:
    app = Accord(diagnostics="warn")
    with declaration_warnings() as messages:

        @app.get("/a")
        def a(filters: Annotated[Filters, Body()]) -> dict[str, str]:
            return {}

        @app.delete("/a")
        def delete_a(filters: Filters = Body()) -> dict[str, str]:
            return {}

        @app.get("/b")
        def b(filters: Annotated[Filters, Query()], tags: list[str] = Query([])) -> dict:
            return {}

        @app.post("/c")
        def c(filters: Filters) -> dict[str, str]:
            return {}

        @app.api_route("/d", methods=["GET", "POST"])
        def d(filters: Filters) -> dict[str, str]:
            return {}

    assert messages == []


def test_a_flagged_route_still_serves_as_fastapi_does() -> None:
    app = Accord(diagnostics="warn")
    with pytest.warns(DeclarationWarning):

        @app.get("/search")
        def search(filters: Filters) -> Filters:
            return filters

    response = TestClient(app).request("GET", "/search", json={"name": "x"})
    assert response.status_code == 200
    assert response.json() == {"name": "x", "limit": 10}


# -- path parameters ------------------------------------------------------------------------


def test_path_parameter_nothing_declares_warns() -> None:
    app = Accord(diagnostics="warn")
    with declaration_warnings() as messages:

        @app.get("/users/{user_id}/orders/{order_id}")
        def order(order_id: int) -> dict[str, str]:
            return {}

    assert messages == [
        "GET /users/{user_id}/orders/{order_id}: the path parameter {user_id} is not declared "
        "by 'order' or its dependencies, so its value is neither validated nor passed to the "
        "endpoint. Fix: add a parameter `user_id: str` (or the type it has) to the endpoint "
        "or to a dependency; or take it out of the path."
    ]


def test_path_parameter_from_a_router_prefix_warns_once_through_includes() -> None:
    app = Accord(diagnostics="warn")
    with declaration_warnings() as messages:
        router = APIRouter(prefix="/tenants/{tenant}")

        @router.get("/items")
        def items() -> dict[str, str]:
            return {}

        app.include_router(router)

    assert len(messages) == 1
    assert messages[0].startswith("GET /tenants/{tenant}/items: the path parameter {tenant}")


def test_path_parameters_declared_anywhere_or_read_from_the_request_are_silent() -> None:
    app = Accord(diagnostics="warn")
    with declaration_warnings() as messages:

        def tenant(tenant_id: int) -> int:
            return tenant_id

        @app.get("/t/{tenant_id}/items/{item_id:int}")
        def items(item_id: int, t: Annotated[int, Depends(tenant)]) -> dict[str, int]:
            return {}

        @app.get("/aliased/{item_key}")
        def aliased(item_id: Annotated[str, Path(alias="item_key")]) -> dict[str, str]:
            return {}

        @app.get("/proxy/{rest:path}")
        def proxy(request: Request) -> dict[str, str]:
            return dict(request.path_params)

    assert messages == []
    assert TestClient(app).get("/proxy/a/b").json() == {"rest": "a/b"}


def test_path_marker_on_a_name_the_path_lacks_warns() -> None:
    app = Accord(diagnostics="warn")
    with declaration_warnings() as messages:

        @app.get("/items")
        def items(item_id: Annotated[int, Path()]) -> dict[str, str]:
            return {}

    assert messages == [
        "GET /items: parameter 'item_id' of 'items' is declared with Path(), but the path has "
        "no {item_id}; the parameter never gets a value, so every request fails with 422. "
        "Fix: add {item_id} to the path, or declare the parameter with Query() if it comes "
        "from the query string."
    ]
    # The behaviour is FastAPI's: the route exists but can never succeed.
    assert TestClient(app).get("/items?item_id=1").status_code == 422


def test_path_marker_with_an_alias_the_path_lacks_names_the_alias() -> None:
    app = Accord(diagnostics="warn")
    with declaration_warnings() as messages:

        @app.get("/items/{id}")
        def items(id: int, item_id: Annotated[int, Path(alias="item-id")]) -> dict[str, str]:
            return {}

    assert len(messages) == 1
    assert "parameter 'item_id' (alias 'item-id')" in messages[0]
    assert "the path has no {item-id}" in messages[0]


# -- `x: str = None` ------------------------------------------------------------------------


def test_none_default_on_a_type_without_none_warns() -> None:
    app = Accord(diagnostics="warn")
    with declaration_warnings() as messages:

        @app.get("/items")
        def items(q: str = None, limit: Annotated[int, Query()] = None) -> dict:  # type: ignore[assignment]
            return {}

    assert messages == [
        "GET /items: parameter 'q' of 'items' is annotated str but defaults to None, so it is "
        "None in code typed as str and the OpenAPI document does not say it may be missing. "
        "Fix: annotate it `q: str | None = None`, or give it a default of type str.",
        "GET /items: parameter 'limit' of 'items' is annotated int but defaults to None, so it "
        "is None in code typed as int and the OpenAPI document does not say it may be "
        "missing. Fix: annotate it `limit: int | None = None`, or give it a default of type "
        "int.",
    ]


def test_none_default_in_a_dependency_header_or_body_warns() -> None:
    app = Accord(diagnostics="warn")
    with declaration_warnings() as messages:

        def common(x_token: str = Query(None)) -> str:
            return x_token

        @app.post("/items")
        def items(c: Annotated[str, Depends(common)], f: Filters = None) -> dict:  # type: ignore[assignment]
            return {}

    assert len(messages) == 2
    assert any(
        "POST /items: parameter 'x_token' of 'common' is annotated str" in m for m in messages
    )
    assert any("`f: Filters | None = None`" in m for m in messages)


T = TypeVar("T")
UserId = NewType("UserId", int)


def test_none_default_on_types_that_admit_none_is_silent() -> None:
    app = Accord(diagnostics="warn")
    with declaration_warnings() as messages:

        @app.get("/items")
        def items(
            a: str | None = None,
            b: Annotated[int | None, Query()] = None,
            c: Literal["x", None] = None,
            d: object = None,
            e: str = "text",
            f: list[int] | None = Query(None),
        ) -> dict[str, str]:
            return {}

    assert messages == []


def test_none_default_through_newtype_warns_only_when_the_base_lacks_none() -> None:
    app = Accord(diagnostics="warn")
    with declaration_warnings() as messages:

        @app.get("/users")
        def users(user: UserId = None) -> dict[str, str]:  # type: ignore[assignment]
            return {}

    assert len(messages) == 1
    assert "parameter 'user' of 'users' is annotated UserId" in messages[0]


def test_each_function_and_parameter_is_reported_once() -> None:
    app = Accord(diagnostics="warn")
    with declaration_warnings() as messages:

        def shared(q: str = None) -> str:  # type: ignore[assignment]
            return q

        @app.get("/a")
        def a(s: Annotated[str, Depends(shared)]) -> dict[str, str]:
            return {}

        @app.get("/b")
        def b(s: Annotated[str, Depends(shared)]) -> dict[str, str]:
            return {}

    assert len(messages) == 1
    assert messages[0].startswith("GET /a: parameter 'q' of 'shared'")


# -- duplicate operation ids ----------------------------------------------------------------


def test_duplicate_operation_id_warns_at_registration() -> None:
    app = Accord(diagnostics="warn")
    with declaration_warnings() as messages:

        @app.get("/a", operation_id="list_things")
        def a() -> dict[str, str]:
            return {}

        @app.post("/b", operation_id="list_things")
        def b() -> dict[str, str]:
            return {}

    assert messages == [
        "POST /b ('b') has the operation id 'list_things', already used by GET /a ('a'); "
        "operation ids must be unique in the OpenAPI document (client generators name "
        "functions after them). Fix: pass a different operation_id=..., or adjust "
        "generate_unique_id_function."
    ]


def test_duplicate_operation_id_keeps_fastapis_openapi_warning() -> None:
    app = Accord(diagnostics="warn")
    with pytest.warns(DeclarationWarning):

        @app.get("/a", operation_id="same")
        def a() -> None: ...

        @app.get("/b", operation_id="same")
        def b() -> None: ...

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        app.openapi()
    assert [w.category for w in caught] == [UserWarning]
    assert str(caught[0].message).startswith("Duplicate Operation ID same for function b")


def test_unique_operation_ids_and_hidden_routes_are_silent() -> None:
    app = Accord(diagnostics="warn")
    with declaration_warnings() as messages:
        router = APIRouter()

        @router.get("/a", operation_id="same")
        def a() -> None: ...

        @app.get("/hidden", operation_id="same", include_in_schema=False)
        def hidden() -> None: ...

        @app.get("/x")
        def x() -> None: ...

        @app.post("/x")
        def x_post() -> None: ...

        app.include_router(router, prefix="/v1")

    assert messages == []


def test_a_router_included_twice_with_a_fixed_operation_id_warns() -> None:
    app = Accord(diagnostics="warn")
    with declaration_warnings() as messages:
        router = APIRouter()

        @router.get("/a", operation_id="get_a")
        def a() -> None: ...

        app.include_router(router, prefix="/v1")
        app.include_router(router, prefix="/v2")

    assert len(messages) == 1
    assert messages[0].startswith("GET /v2/a ('a') has the operation id 'get_a', already used")


# -- the kinds of callables a declaration can come from ------------------------------------


def test_class_and_callable_instance_dependencies_are_located_and_reported() -> None:
    app = Accord(diagnostics="warn")

    class Paging:
        def __init__(self, page: Filters) -> None:
            self.page = page

    class Checker:
        __slots__ = ()  # not weak-referenceable: reported once all the same

        def __call__(self, token: str = None) -> str:  # type: ignore[assignment]
            return token

    checker = Checker()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")

        @app.get("/a")
        def a(p: Annotated[Paging, Depends()], t: Annotated[str, Depends(checker)]) -> None: ...

        @app.get("/b")
        def b(t: Annotated[str, Depends(checker)]) -> None: ...

    messages = [str(w.message) for w in caught]
    assert len(messages) == 2
    assert "parameter 'page' (Filters) of 'Paging'" in messages[0]
    assert caught[0].lineno == Paging.__init__.__code__.co_firstlineno
    assert "parameter 'token' of " in messages[1]
    assert caught[1].lineno == Checker.__call__.__code__.co_firstlineno


def test_a_partial_dependency_is_located_at_its_function() -> None:
    from functools import partial

    app = Accord(diagnostics="warn")

    def lookup(kind: str, q: str = None) -> str:  # type: ignore[assignment]
        return kind + q

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")

        @app.get("/a")
        def a(found: Annotated[str, Depends(partial(lookup, "x"))]) -> None: ...

    assert [w.lineno for w in caught] == [lookup.__code__.co_firstlineno]
    assert "parameter 'q' of " in str(caught[0].message)


def test_an_unevaluable_annotation_keeps_the_body_check_silent() -> None:
    app = Accord(diagnostics="warn")
    with declaration_warnings() as messages:

        @app.get("/a", response_model=None)
        def a(filters: Filters) -> "NotDefinedAnywhere":  # type: ignore[name-defined] # noqa: F821
            return None

    assert messages == []


def test_which_annotations_admit_none() -> None:
    from typing import Any, Optional, Union

    from typing_extensions import TypeAliasType

    from accord._compiler.diagnostics import _admits_none

    maybe = TypeAliasType("Maybe", int | None)
    number = TypeAliasType("Number", int)
    yes = [
        Any,
        object,
        None,
        type(None),
        Optional[int],
        Union[int, str, None],
        int | None,
        Annotated[int | None, "x"],
        Literal[1, None],
        T,
        "int",
        maybe,
    ]
    no = [
        int,
        str,
        Filters,
        list[int],
        Union[int, str],
        Annotated[int, "x"],
        Literal[1, 2],
        UserId,
        number,
    ]
    assert [_admits_none(a) for a in yes] == [True] * len(yes)
    assert [_admits_none(a) for a in no] == [False] * len(no)
