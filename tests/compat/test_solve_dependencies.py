"""`accord.dependencies.utils.solve_dependencies`: FastAPI's solver, over Accord's plans.

An extension (cadwyn) calls it inside a request with a body it read itself and calls the
endpoint with the values; these tests do the same from a custom route handler.
"""

from contextlib import AsyncExitStack
from typing import Annotated, Any

import fastapi
import fastapi.dependencies.utils
from fastapi.testclient import TestClient as FastAPIClient
from pydantic import BaseModel

import accord
import accord.dependencies.utils
from accord import Accord, Depends, Header, Request
from accord.dependencies.utils import SolvedDependency, get_dependant, solve_dependencies
from accord.testclient import TestClient


class Item(BaseModel):
    name: str
    price: float


def build(events: list[str]) -> Accord:
    async def tracked() -> Any:
        events.append("enter")
        yield "resource"
        events.append("exit")

    def endpoint(
        item_id: int,
        item: Item,
        request: Request,
        resource: Annotated[str, Depends(tracked)],
        x_token: Annotated[str, Header()] = "none",
    ) -> None:
        raise AssertionError("solve_dependencies never calls the endpoint")

    dependant = get_dependant(path="/items/{item_id}", call=endpoint)
    app = Accord()

    @app.post("/solve/{item_id}")
    async def solve(request: Request) -> dict[str, Any]:
        body = await request.json() if await request.body() else None
        async with AsyncExitStack() as stack:
            solved = await solve_dependencies(
                request=request,
                dependant=dependant,
                body=body,
                async_exit_stack=stack,
                embed_body_fields=False,
            )
            assert isinstance(solved, SolvedDependency)
            values = {k: v for k, v in solved.values.items() if k != "request"}
            events.append("solved")
        return {
            "values": {k: v.model_dump() if isinstance(v, Item) else v for k, v in values.items()},
            "request_passed": solved.values.get("request") is request,
            "errors": [(e["type"], list(e["loc"])) for e in solved.errors],
            "status": solved.response.status_code,
        }

    return app


def test_values_of_a_valid_request() -> None:
    events: list[str] = []
    client = TestClient(build(events))
    answer = client.post("/solve/3", json={"name": "pen", "price": 2}, headers={"x-token": "t"})
    assert answer.json() == {
        "values": {
            "item_id": 3,
            "item": {"name": "pen", "price": 2.0},
            "resource": "resource",
            "x_token": "t",
        },
        "request_passed": True,
        "errors": [],
        "status": None,
    }
    assert events == ["enter", "solved", "exit"]  # the yield dependency ran on the given stack


def test_errors_in_fastapis_order_and_the_valid_values() -> None:
    events: list[str] = []
    client = TestClient(build(events))
    answer = client.post("/solve/x").json()
    assert answer["errors"] == [["int_parsing", ["path", "item_id"]], ["missing", ["body"]]]
    assert answer["values"] == {"resource": "resource", "x_token": "none"}


def build_on(fw: Any, events: list[str]) -> Any:
    """A route with a yield dependency of its own whose endpoint, like cadwyn's version
    wrapper, solves another tree with a yield dependency on a stack it opens itself."""

    def tracked(name: str) -> Any:
        async def dependency() -> Any:
            events.append(f"enter {name}")
            yield name
            events.append(f"exit {name}")

        return dependency

    def head(resource: Annotated[str, fw.Depends(tracked("head"))]) -> None:
        raise AssertionError("solve_dependencies never calls the endpoint")

    dependant = fw.dependencies.utils.get_dependant(path="/run", call=head)
    app = fw.FastAPI()

    @app.get("/run", dependencies=[fw.Depends(tracked("route"))])
    async def run(request: fw.Request, tasks: fw.BackgroundTasks) -> dict[str, Any]:
        async with AsyncExitStack() as stack:
            solved = await fw.dependencies.utils.solve_dependencies(
                request=request, dependant=dependant, async_exit_stack=stack,
                embed_body_fields=False,
            )
            events.append("solved")
        events.append("returned")
        tasks.add_task(events.append, "background")
        return {"resource": solved.values["resource"]}

    return app


def test_a_solved_yield_dependency_closes_with_the_request_as_in_fastapi() -> None:
    found = []
    for fw, client_class in ((accord, TestClient), (fastapi, FastAPIClient)):
        events: list[str] = []
        answer = client_class(build_on(fw, events)).get("/run")
        found.append((answer.json(), events))
    assert found[0] == found[1]
    # Not when the endpoint's own stack closes: after the response and its background task.
    assert found[0] == (
        {"resource": "head"},
        ["enter route", "enter head", "solved", "returned", "background", "exit head",
         "exit route"],
    )


def build_changed(fw: Any) -> Any:
    """An endpoint that, like cadwyn's request migrations, changes the request's query
    parameters and cookies in place, then solves a tree reading them."""

    def head(
        via: str = "new",
        gone: str | None = None,
        tags: Annotated[list[str], fw.Query()] = [],  # noqa: B006 - FastAPI's spelling
        session: Annotated[str, fw.Cookie()] = "none",
        theme: Annotated[str, fw.Cookie()] = "light",
    ) -> None:
        raise AssertionError("solve_dependencies never calls the endpoint")

    dependant = fw.dependencies.utils.get_dependant(path="/run", call=head)
    app = fw.FastAPI()

    @app.get("/run")
    async def run(request: fw.Request) -> dict[str, Any]:
        before = dict(request.query_params), dict(request.cookies)
        request.query_params._dict["via"] = "old"
        request.query_params._dict.pop("gone", None)
        request.cookies["session"] = "migrated"
        request.cookies.pop("theme", None)
        async with AsyncExitStack() as stack:
            solved = await fw.dependencies.utils.solve_dependencies(
                request=request, dependant=dependant, async_exit_stack=stack,
                embed_body_fields=False,
            )
        return {"before": before, "values": solved.values, "errors": solved.errors}

    return app


def test_query_parameters_and_cookies_changed_in_place_are_solved_as_in_fastapi() -> None:
    found = []
    for fw, client_class in ((accord, TestClient), (fastapi, FastAPIClient)):
        client = client_class(build_changed(fw), cookies={"session": "s1", "theme": "dark"})
        found.append(client.get("/run?gone=1&tags=a&tags=b&via=new").json())
    assert found[0] == found[1]
    assert found[0]["values"] == {
        "via": "old", "gone": None, "tags": ["a", "b"], "session": "migrated", "theme": "light"
    }
