"""Routes of one router share the analysis of their dependencies, each with its own tree."""

from __future__ import annotations

import inspect
from typing import Annotated, Any

import pytest

from accord import APIRouter, Depends, FastAPI, Header
from accord._compiler import dependant as analysis
from accord.testclient import TestClient


def settings() -> dict[str, int]:
    return {"limit": 10}


def database(config: Annotated[dict[str, int], Depends(settings)]) -> dict[str, Any]:
    return {"config": config}


def current_user(
    db: Annotated[dict[str, Any], Depends(database)], x_user: Annotated[str, Header()]
) -> str:
    return x_user


def item_owner(item_id: int, user: Annotated[str, Depends(current_user)]) -> str:
    return f"{user}:{item_id}"


@pytest.fixture
def analysed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    typed = analysis.typed_signature

    def counted(call: Any) -> inspect.Signature:
        seen.append(getattr(call, "__name__", repr(call)))
        return typed(call)

    monkeypatch.setattr(analysis, "typed_signature", counted)
    return seen


def test_a_chain_is_analysed_once_per_router(analysed: list[str]) -> None:
    router = APIRouter()
    for i in range(5):
        router.add_api_route(f"/r{i}", lambda user=Depends(current_user): user, name=f"r{i}")
    assert analysed.count("current_user") == 1
    assert analysed.count("database") == 1 and analysed.count("settings") == 1
    trees = [route.dependant.dependencies[0] for route in router.routes]  # type: ignore[attr-defined]
    assert len({id(tree) for tree in trees}) == 5
    assert len({id(tree.dependencies) for tree in trees}) == 5
    assert {tree.path for tree in trees} == {f"/r{i}" for i in range(5)}
    trees[0].dependencies.clear()  # what an extension may do to one route
    assert all(len(tree.dependencies) == 1 for tree in trees[1:])
    app = FastAPI()
    app.include_router(router)
    assert TestClient(app).get("/r3", headers={"x-user": "ada"}).json() == "ada"


def test_a_path_parameter_is_told_by_each_route_path(analysed: list[str]) -> None:
    router = APIRouter()
    router.add_api_route("/items/{item_id}", lambda owner=Depends(item_owner): owner)
    router.add_api_route("/owned", lambda owner=Depends(item_owner): owner)
    router.add_api_route("/other/{item_id}", lambda owner=Depends(item_owner): owner)
    assert analysed.count("item_owner") == 2  # one per set of path parameter names
    app = FastAPI()
    app.include_router(router)
    client = TestClient(app)
    headers = {"x-user": "ada"}
    assert client.get("/items/3", headers=headers).json() == "ada:3"
    assert client.get("/other/4", headers=headers).json() == "ada:4"
    assert client.get("/owned?item_id=5", headers=headers).json() == "ada:5"
    assert client.get("/owned", headers=headers).status_code == 422
    parameters = app.openapi()["paths"]["/owned"]["get"]["parameters"]
    assert {p["name"]: p["in"] for p in parameters} == {"item_id": "query", "x-user": "header"}


def test_a_changed_signature_is_analysed_again(analysed: list[str]) -> None:
    def dependency(a: int) -> int:
        return a

    router = APIRouter()
    router.add_api_route("/one", lambda value=Depends(dependency): value)
    dependency.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter("b", inspect.Parameter.KEYWORD_ONLY, annotation=int)]
    )
    router.add_api_route("/two", lambda value=Depends(dependency): value)
    assert analysed.count("dependency") == 2
    first, second = (route.dependant.dependencies[0] for route in router.routes)  # type: ignore[attr-defined]
    assert [f.name for f in first.query_params] == ["a"]
    assert [f.name for f in second.query_params] == ["b"]


def test_routers_do_not_share(analysed: list[str]) -> None:
    for _ in range(2):
        APIRouter().add_api_route("/a", lambda user=Depends(current_user): user)
    assert analysed.count("current_user") == 2
