"""An included copy is checked at `include_router` and compiled when it is first used."""

from __future__ import annotations

from typing import Annotated, Any

import pytest
from pydantic import BaseModel

from accord import APIRouter, Depends, FastAPI, Query
from accord.exceptions import AccordError
from accord.testclient import TestClient


class Item(BaseModel):
    name: str


def _router() -> APIRouter:
    router = APIRouter()

    @router.get("/items/{item_id}", response_model=Item)
    def read(item_id: int) -> Any:
        return {"name": f"item {item_id}"}

    @router.get("/other")
    def other(q: Annotated[int, Query(le=5)] = 1) -> dict[str, int]:
        return {"q": q}

    return router


def _compiled(route: Any) -> bool:
    return "route_plan" in vars(route)


def test_a_copy_compiles_on_its_first_request_only() -> None:
    app = FastAPI(openapi_url=None)
    app.include_router(_router())  # two first segments: the table builds each when asked
    read, other = app.router.routes
    assert not _compiled(read) and not _compiled(other)
    client = TestClient(app)
    assert client.get("/items/3").json() == {"name": "item 3"}
    assert _compiled(read) and not _compiled(other)
    assert client.get("/other?q=9").status_code == 422
    assert _compiled(other)


def test_reading_what_compiling_sets_compiles_it() -> None:
    app = FastAPI()
    app.include_router(_router(), prefix="/v1")
    read = app.router.routes[-2]
    assert not _compiled(read)
    assert read.response_model is Item  # type: ignore[attr-defined]
    assert read.dependant.path_params[0].name == "item_id"  # type: ignore[attr-defined]
    assert _compiled(read)
    fresh = FastAPI()
    fresh.include_router(_router(), prefix="/v2")
    assert "/v2/items/{item_id}" in fresh.openapi()["paths"]
    assert all(_compiled(route) for route in fresh.router.routes[-2:])


def test_what_an_extension_sets_before_the_first_use_is_kept() -> None:
    app = FastAPI(openapi_url=None)
    app.include_router(_router(), prefix="/v1")
    read = app.router.routes[0]

    async def replaced(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 299, "headers": []})
        await send({"type": "http.response.body", "body": b"mine"})

    read.app = replaced  # type: ignore[attr-defined]
    response = TestClient(app).get("/v1/items/1")
    assert (response.status_code, response.text) == (299, "mine")
    assert _compiled(read) and read.app is replaced  # type: ignore[attr-defined]





def test_mistakes_of_the_include_fail_at_include_router() -> None:
    def bad_dependency(item_id: Annotated[int, Query()]) -> int:  # `item_id` is a path parameter
        return item_id

    app = FastAPI()
    with pytest.raises(AccordError, match="item_id"):
        app.include_router(_router(), dependencies=[Depends(bad_dependency)])
    with pytest.raises(AccordError, match="must be a dict"):
        FastAPI().include_router(_router(), responses={404: "missing"})  # type: ignore[dict-item]
    with pytest.raises(AccordError, match="max_body_size"):
        FastAPI().include_router(_router(), max_body_size=-1)
    with pytest.raises(AccordError, match="error_format"):
        FastAPI().include_router(_router(), error_format="yaml")  # type: ignore[arg-type]
