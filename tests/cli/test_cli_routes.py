"""``accord routes``: every route, mount and WebSocket route, in a table."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal, Optional, TypeVar, Union

import pytest
from pydantic import BaseModel
from starlette.applications import Starlette
from starlette.routing import Host, Mount, Route, Router, WebSocketRoute

from accord import Depends, Security
from accord._cli.routes import RouteRow, format_type, route_rows

from .conftest import APP_SOURCE, write

EXTRA_ROUTES = """

from accord import WebSocket


@app.websocket("/ws")
async def echo(websocket: WebSocket) -> None:
    await websocket.accept()


@app.get("/internal", include_in_schema=False)
def internal() -> dict[str, bool]:
    return {"ok": True}


admin = Accord()


@admin.delete("/users/{user_id}", name="remove_user")
def delete_user(user_id: int) -> None:
    return None


async def raw_asgi(scope, receive, send) -> None:
    return None


app.mount("/admin", admin)
app.mount("/raw", raw_asgi, name="raw")
"""


def row_for(rows: list[RouteRow], path: str) -> RouteRow:
    matches = [row for row in rows if row.path == path]
    assert len(matches) == 1, [row.path for row in rows]
    return matches[0]


@pytest.fixture
def listed(project: Path) -> list[RouteRow]:
    write(project / "main.py", APP_SOURCE + EXTRA_ROUTES)
    from accord._cli.discovery import find_app

    return route_rows(find_app("main.py", None).app.routes)  # type: ignore[attr-defined]


def test_api_routes_carry_their_fastapi_attributes(listed: list[RouteRow]) -> None:
    assert row_for(listed, "/items/{item_id}") == RouteRow(
        methods="GET",
        path="/items/{item_id}",
        name="read_item",
        endpoint="main.read_item",
        response_model="Item",
        dependencies="main.audit, main.get_token",
    )
    created = row_for(listed, "/items/")
    assert (created.methods, created.name, created.response_model) == (
        "POST",
        "create_item",
        "Item",
    )
    assert created.dependencies == "main.audit"


def test_websocket_mount_and_hidden_routes(listed: list[RouteRow]) -> None:
    assert row_for(listed, "/ws") == RouteRow("WS", "/ws", "echo", "main.echo")
    assert row_for(listed, "/internal").hidden
    assert not row_for(listed, "/whoami").hidden
    # A mounted Accord app is listed route by route, under its prefix.
    removed = row_for(listed, "/admin/users/{user_id}")
    assert (removed.methods, removed.name, removed.endpoint) == (
        "DELETE",
        "remove_user",
        "main.delete_user",
    )
    # A mounted app without routes is one opaque entry.
    assert row_for(listed, "/raw") == RouteRow("MOUNT", "/raw", "raw", "builtins.function")


def test_docs_routes_are_listed_as_hidden(listed: list[RouteRow]) -> None:
    assert row_for(listed, "/openapi.json").hidden
    assert row_for(listed, "/docs").hidden


def test_routes_command_prints_a_table(project: Path, invoke: Callable[..., Any]) -> None:
    write(project / "main.py", APP_SOURCE + EXTRA_ROUTES)
    result = invoke("routes")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].strip() == "Routes of main:app"

    def cells(path: str) -> list[str]:
        [line] = [line for line in lines if f" {path} " in line]
        return [cell.strip() for cell in line.strip("│ ").split("│")]

    assert cells("/items/{item_id}") == [
        "GET",
        "/items/{item_id}",
        "read_item",
        "main.read_item",
        "Item",
        "main.audit, main.get_token",
    ]
    assert cells("/ws")[:4] == ["WS", "/ws", "echo", "main.echo"]
    assert cells("/admin/users/{user_id}")[0] == "DELETE"
    assert cells("/raw")[0] == "MOUNT"
    hidden = sum(row.hidden for row in route_rows(_app_routes(project)))
    assert lines[-1].strip() == (
        f"{len(route_rows(_app_routes(project)))} routes; "
        f"{hidden} not in the OpenAPI document (dimmed)"
    )


def _app_routes(project: Path) -> Any:
    from accord._cli.discovery import find_app

    return find_app(str(project / "main.py"), None).app.routes  # type: ignore[attr-defined]


def test_routes_of_a_starlette_app(project: Path, invoke: Callable[..., Any]) -> None:
    write(
        project / "main.py",
        """
        from starlette.applications import Starlette
        from starlette.responses import PlainTextResponse
        from starlette.routing import Route

        async def hello(request):
            return PlainTextResponse("hi")

        app = Starlette(routes=[Route("/hello", hello)])
        """,
    )
    result = invoke("routes", "--app", "app")
    assert result.exit_code == 0, result.output
    assert "│ GET, HEAD │ /hello │ hello │ main.hello │" in result.stdout
    assert "1 routes" in result.stdout


def test_an_app_without_routes_is_an_error(project: Path, invoke: Callable[..., Any]) -> None:
    write(project / "main.py", "async def app(scope, receive, send):\n    pass\n")
    result = invoke("routes", "--app", "app")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "Error: main:app has no routes to list."


def endpoint(request: Any) -> None:
    """An endpoint for hand-built Starlette routes."""


class Handler:
    """A callable-object dependency."""

    def __call__(self) -> int:
        return 1


def test_starlette_route_kinds() -> None:
    inner = Router(routes=[Route("/deep", endpoint, methods=["PATCH", "GET", "PURGE"])])
    routes = [
        Route("/any", Starlette),  # a class endpoint accepts every method
        WebSocketRoute("/socket", endpoint),
        Mount("/outer", routes=[Mount("/inner", app=inner)]),
        Host("api.example.com", app=Router(routes=[Route("/status", endpoint)])),
    ]
    rows = route_rows(routes)
    assert [(row.methods, row.path) for row in rows] == [
        ("ANY", "/any"),
        ("WS", "/socket"),
        ("GET, HEAD, PATCH, PURGE", "/outer/inner/deep"),  # Starlette adds HEAD to GET
        ("GET, HEAD", "api.example.com/status"),
    ]


def test_unknown_route_types_are_still_listed() -> None:
    from starlette.routing import BaseRoute

    class Custom(BaseRoute):
        pass

    [row] = route_rows([Custom()])
    assert row.methods == "?"
    assert row.endpoint.endswith("Custom")


def db() -> str:
    return "db"


class Settings:
    pass


def view_with_dependencies(
    a: Annotated[str, Depends(db)],
    b: str = Depends(db),
    c: Annotated[Settings, Depends()] = None,  # type: ignore[assignment]
    d: Settings = Depends(),
    e: Annotated[int, Security(Handler())] = 0,
    f: int = 0,
) -> None:
    return None


def test_parameter_dependencies_in_every_form() -> None:
    [row] = route_rows([Route("/", view_with_dependencies)])
    assert row.dependencies.split(", ") == [
        f"{__name__}.db",
        f"{__name__}.db",
        f"{__name__}.Settings",
        f"{__name__}.Settings",
        f"{__name__}.Handler",
    ]


def test_unresolvable_string_annotations_still_show_default_dependencies() -> None:
    # With `from __future__ import annotations` these are strings naming nothing.
    def view(x: Missing = Depends(db), y: Missing = Depends()) -> None:  # noqa: F821
        return None

    [row] = route_rows([Route("/", view)])
    # The annotation of `Depends()` cannot be resolved: it is shown as written.
    assert row.dependencies == f"{__name__}.db, Missing"


class Item(BaseModel):
    id: int


@pytest.mark.parametrize(
    ("annotation", "expected"),
    [
        (None, ""),
        (type(None), "None"),
        (Item, "Item"),
        (list[Item], "list[Item]"),
        (dict[str, list[Item]], "dict[str, list[Item]]"),
        (Optional[Item], "Item | None"),
        (Union[Item, int], "Item | int"),
        (Item | None, "Item | None"),
        (Annotated[Item, "meta"], "Item"),
        (Literal["a", 1], "Literal['a', 1]"),
        (Any, "Any"),
        ("Item", "Item"),
        (TypeVar("T"), "~T"),
    ],
)
def test_format_type(annotation: object, expected: str) -> None:
    assert format_type(annotation) == expected


def test_an_endpoint_without_a_signature_has_no_parameter_dependencies() -> None:
    [row] = route_rows([Route("/", max)])  # a builtin: inspect.signature cannot read it
    assert (row.endpoint, row.dependencies) == ("builtins.max", "")
