"""Diagnostics are silent at registration by default (as FastAPI is), warnings with
``Accord(diagnostics="warn")``, always collectable after import, and keep no app alive."""

import gc
import warnings
import weakref
from typing import Annotated

import pytest
from pydantic import BaseModel

from accord import Accord, APIRouter, Path
from accord._compiler.diagnostics import collect_findings, route_findings, router_findings
from accord.exceptions import AccordError, DeclarationWarning


class Filters(BaseModel):
    name: str


def _declare_every_mistake(app: Accord) -> None:
    router = APIRouter(prefix="/r")

    @router.get("/{item_id}")
    def item(item_id: str) -> None: ...

    @router.get("/me")
    def me() -> None: ...

    @app.get("/search")
    def search(filters: Filters, q: str = None) -> None: ...  # type: ignore[assignment]

    @app.get("/t/{tenant}")
    def tenant(item_id: Annotated[int, Path()]) -> None: ...

    @app.get("/a", operation_id="same")
    def a() -> None: ...

    @app.get("/b", operation_id="same")
    def b() -> None: ...

    app.include_router(router)


RULES = [
    "implicit-body",
    "none-default",
    "path-param-not-in-path",
    "undeclared-path-param",
    "duplicate-operation-id",
    "shadowed-route",
]


def test_the_default_registers_every_mistake_silently() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        app = Accord()
        _declare_every_mistake(app)
    assert caught == []
    assert app.diagnostics == "off"
    # ... and the findings are still there for `accord check` and `accord dev`.
    assert sorted(f.rule for f in collect_findings(app)) == sorted(RULES)


def test_warn_mode_warns_what_collect_finds() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        app = Accord(diagnostics="warn")
        _declare_every_mistake(app)
    assert {w.category for w in caught} == {DeclarationWarning}
    assert sorted(str(w.message) for w in caught) == sorted(f.text for f in collect_findings(app))


def test_warnings_as_errors_fail_only_in_warn_mode() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _declare_every_mistake(Accord())  # a FastAPI user's suite: nothing raised
        with pytest.raises(DeclarationWarning, match="is read from the request body"):
            _declare_every_mistake(Accord(diagnostics="warn"))


@pytest.mark.parametrize("value", ["on", "WARN", True, None, "error"])
def test_an_unknown_mode_is_refused_with_the_choices(value: object) -> None:
    with pytest.raises(AccordError) as error:
        Accord(diagnostics=value)  # type: ignore[arg-type]
    message = str(error.value)
    assert message.startswith(f"Accord(diagnostics=...) must be 'off' or 'warn', got {value!r}.")
    assert "accord check" in message


def test_findings_carry_rule_route_parameter_place_and_fix() -> None:
    app = Accord()

    @app.get("/t/{tenant}")
    def tenant(q: str = None) -> None: ...  # type: ignore[assignment]

    found = {f.rule: f for f in collect_findings(app)}
    none_default = found["none-default"]
    assert none_default.route == "GET /t/{tenant}"
    assert none_default.parameter == "q"
    assert none_default.file == __file__
    assert none_default.line == tenant.__code__.co_firstlineno
    assert none_default.fix == "annotate it `q: str | None = None`, or give it a default of type str."
    assert none_default.text == f"{none_default.message} Fix: {none_default.fix}"
    assert none_default.as_dict()["level"] == "warning"
    assert found["undeclared-path-param"].parameter == "tenant"
    route = app.routes[-1]
    assert [f.rule for f in route_findings(route)] == ["undeclared-path-param", "none-default"]
    assert [f.route for f in route_findings(route, "/v1")] == ["GET /v1/t/{tenant}"] * 2


def test_mounted_apps_are_collected_with_the_mount_prefix() -> None:
    inner = Accord(openapi_url=None)

    @inner.get("/items/{item_id}")
    def item(item_id: str) -> None: ...

    @inner.get("/items/me")
    def me() -> None: ...

    outer = Accord(openapi_url=None)
    outer.mount("/v2", inner)
    assert [f.route for f in collect_findings(outer)] == ["GET /v2/items/me"]
    assert [f.route for f in router_findings(inner.routes, "/x")] == ["GET /x/items/me"]


def _make_and_drop(mode: str) -> weakref.ref[Accord]:
    app = Accord(diagnostics=mode)  # type: ignore[arg-type]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeclarationWarning)
        _declare_every_mistake(app)
    collect_findings(app)
    return weakref.ref(app)


def test_apps_are_freed_when_the_last_reference_goes() -> None:
    refs = [_make_and_drop("warn" if i % 2 else "off") for i in range(100)]
    gc.collect()
    alive = [ref for ref in refs if ref() is not None]
    assert alive == []
