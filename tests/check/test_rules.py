"""Every `accord check` rule fires on an app that makes the mistake on purpose, with the
expected route, parameter, line and text; the valid counterparts in the same apps stay silent."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from accord._compiler.findings import RULES

WRONG = Path(__file__).parent / "wrong"

RESPONSE_FIX = (
    "make them agree: return what response_model= says, or drop response_model= so that the "
    "return annotation is the response model (annotate `-> Any` when the model is meant to "
    "filter a wider object)."
)


def _blocking(route: str, function: str, name: str, line: int, advice: str) -> dict[str, Any]:
    return {
        "level": "warning",
        "rule": "blocking-call",
        "route": route,
        "parameter": None,
        "line": line,
        "message": f"{route}: {function!r} is async but calls {name}() on line {line}, which "
        "blocks the event loop: no other request is served until it returns.",
        "fix": f"use {advice}, or run it in a thread (`await run_in_threadpool(func, ...)`), "
        f"or declare {function!r} with `def` so that Accord runs it in the thread pool.",
    }


HTTP = "an async HTTP client: `async with httpx.AsyncClient() as client: await client.get(...)`"

EXPECTED: dict[str, list[dict[str, Any]]] = {
    "implicit_body": [
        {
            "level": "warning",
            "rule": "implicit-body",
            "route": "GET /search",
            "parameter": "filters",
            "line": 18,
            "message": "GET /search: parameter 'filters' (Filters) of 'search' is read from the "
            "request body, which GET requests normally do not carry (clients, proxies and "
            "caches may drop it).",
            "fix": "if you meant query parameters, declare `filters: Annotated[Filters, "
            "Query()]`; if a body is intended, declare it explicitly: `filters: "
            "Annotated[Filters, Body()]`.",
        },
        {
            "level": "warning",
            "rule": "implicit-body",
            "route": "GET /search",
            "parameter": "page",
            "line": 14,
            "message": "GET /search: parameter 'page' (Filters) of 'paging' is read from the "
            "request body, which GET requests normally do not carry (clients, proxies and "
            "caches may drop it).",
            "fix": "if you meant query parameters, declare `page: Annotated[Filters, Query()]`; "
            "if a body is intended, declare it explicitly: `page: Annotated[Filters, Body()]`.",
        },
        {
            "level": "warning",
            "rule": "implicit-body",
            "route": "DELETE /items",
            "parameter": "ids",
            "line": 22,
            "message": "DELETE /items: parameter 'ids' (list[int]) of 'delete_items' is read from "
            "the request body, which DELETE requests normally do not carry (clients, proxies "
            "and caches may drop it).",
            "fix": "if you meant query parameters, declare `ids: Annotated[list[int], Query()]`; "
            "if a body is intended, declare it explicitly: `ids: Annotated[list[int], Body()]`.",
        },
    ],
    "path_params": [
        {
            "level": "error",
            "rule": "path-param-not-in-path",
            "route": "GET /items",
            "parameter": "item_id",
            "line": 13,
            "message": "GET /items: parameter 'item_id' of 'items' is declared with Path(), but "
            "the path has no {item_id}; the parameter never gets a value, so every request "
            "fails with 422.",
            "fix": "add {item_id} to the path, or declare the parameter with Query() if it "
            "comes from the query string.",
        },
        {
            "level": "warning",
            "rule": "undeclared-path-param",
            "route": "GET /tenants/{tenant}/orders/{order_id}",
            "parameter": "tenant",
            "line": 9,
            "message": "GET /tenants/{tenant}/orders/{order_id}: the path parameter {tenant} is "
            "not declared by 'order' or its dependencies, so its value is neither validated "
            "nor passed to the endpoint.",
            "fix": "add a parameter `tenant: str` (or the type it has) to the endpoint or to a "
            "dependency; or take it out of the path.",
        },
    ],
    "none_default": [
        {
            "level": "warning",
            "rule": "none-default",
            "route": "GET /items",
            "parameter": name,
            "line": 6,
            "message": f"GET /items: parameter {name!r} of 'items' is annotated str but defaults "
            "to None, so it is None in code typed as str and the OpenAPI document does not "
            "say it may be missing.",
            "fix": f"annotate it `{name}: str | None = None`, or give it a default of type str.",
        }
        for name in ("q", "x_token")
    ],
    "operation_ids": [
        {
            "level": "error",
            "rule": "duplicate-operation-id",
            "route": "GET /archive",
            "parameter": None,
            "line": 10,
            "message": "GET /archive ('archive') has the operation id 'list_orders', already "
            "used by GET /orders ('orders'); operation ids must be unique in the OpenAPI "
            "document (client generators name functions after them).",
            "fix": "pass a different operation_id=..., or adjust generate_unique_id_function.",
        }
    ],
    "shadowed": [
        {
            "level": "error",
            "rule": "shadowed-route",
            "route": "GET /users/me",
            "parameter": None,
            "line": 11,
            "message": "GET /users/me ('me') is unreachable: the earlier route GET "
            "/users/{user_id} ('user') matches every request it would match, and routes are "
            "tried in the order they are registered.",
            "fix": "register GET /users/me before GET /users/{user_id} (define it earlier, or "
            "include its router first), or change one of the paths.",
        }
    ],
    "response_models": [
        {
            "level": "error",
            "rule": "response-model-mismatch",
            "route": route,
            "parameter": None,
            "line": line,
            "message": f"{route}: the response model {model} cannot validate what {name!r} is "
            f"annotated to return ({returned}): {reason}; every such response fails with a "
            "500 (ResponseValidationError).",
            "fix": RESPONSE_FIX,
        }
        for route, line, model, name, returned, reason in [
            ("GET /items", 24, "list[Item]", "items", "Item", "a single Item is not a list"),
            ("GET /count", 29, "str", "count", "int", "an int is not a str"),
            (
                "POST /items",
                34,
                "Item",
                "create",
                "ItemIn",
                "ItemIn has no field 'id', which Item requires",
            ),
            (
                "GET /maybe",
                39,
                "Item",
                "maybe",
                "Item | None",
                "it may return None, which Item does not admit",
            ),
        ]
    ],
    "blocking": [
        _blocking("GET /report", "report", "time.sleep", 25, "`await asyncio.sleep(...)`"),
        _blocking("GET /report", "report", "time.sleep", 26, "`await asyncio.sleep(...)`"),
        _blocking("GET /report", "report", "time.sleep", 27, "`await asyncio.sleep(...)`"),
        _blocking("GET /report", "report", "requests.get", 28, HTTP),
        _blocking("GET /report", "report", "httpx.post", 29, HTTP),
        _blocking("GET /report", "report", "urllib.request.urlopen", 30, HTTP),
        _blocking(
            "GET /report",
            "database",
            "sqlite3.connect",
            18,
            "an async driver (aiosqlite), or SQLAlchemy's async engine",
        ),
        _blocking(
            "GET /legacy",
            "legacy",
            "psycopg2.connect",
            37,
            "an async driver (asyncpg, or `await psycopg.AsyncConnection.connect()`)",
        ),
    ],
}


def _check_json(invoke: Callable[..., Any], name: str) -> tuple[int, list[dict[str, Any]]]:
    result = invoke("check", str(WRONG / f"{name}.py"), "--format", "json")
    document = json.loads(result.stdout)
    return result.exit_code, document["findings"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_rule_fires_with_the_expected_text(
    name: str, invoke: Callable[..., Any], project: Path
) -> None:
    status, findings = _check_json(invoke, name)
    for finding in findings:
        assert finding.pop("file") == str(WRONG / f"{name}.py")
    assert findings == EXPECTED[name]
    assert status == (1 if any(f["level"] == "error" for f in EXPECTED[name]) else 0)


def test_the_wrong_apps_cover_every_rule() -> None:
    assert {f["rule"] for found in EXPECTED.values() for f in found} == set(RULES)


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/items", 500),
        ("/count", 500),
        ("/maybe", 500),
        ("/summary", 200),
        ("/number", 200),
        ("/filtered", 200),
    ],
)
def test_a_response_model_mismatch_is_a_500_and_the_silent_ones_serve(
    path: str, status: int
) -> None:
    from tests.check.wrong.response_models import app

    client = TestClient(app, raise_server_exceptions=False)
    assert client.get(path).status_code == status
    created = client.post("/items", json={"name": "n", "password": "p"})
    assert created.status_code == 500
