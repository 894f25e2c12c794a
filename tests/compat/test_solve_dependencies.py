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
from pydantic_core import PydanticUndefined

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
        body = await request.json() if await request.body() else PydanticUndefined
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
    # The whole body that failed is named with None, as FastAPI's solver names it.
    assert answer["values"] == {"resource": "resource", "x_token": "none", "item": None}


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


def build_bodies(fw: Any) -> Any:
    """Solves one tree per body shape with the body the request names: none (FastAPI's
    `Undefined`, its default), a JSON null (None), or an object, as cadwyn passes them."""

    def whole(payload: dict[str, int] | None = fw.Body({"default": 1})) -> None:
        raise AssertionError("solve_dependencies never calls the endpoint")

    def embedded(name: str | None = fw.Body(None), age: int | None = fw.Body(None)) -> None:
        raise AssertionError("solve_dependencies never calls the endpoint")

    trees = {
        name: (fw.dependencies.utils.get_dependant(path="/run", call=call), embed)
        for name, call, embed in (("whole", whole, False), ("embedded", embedded, True))
    }
    bodies = {"none": PydanticUndefined, "null": None, "object": {"name": "n", "age": 1}}
    app = fw.FastAPI()

    @app.get("/run/{tree}/{body}")
    async def run(request: fw.Request, tree: str, body: str) -> dict[str, Any]:
        dependant, embed = trees[tree]
        async with AsyncExitStack() as stack:
            solved = await fw.dependencies.utils.solve_dependencies(
                request=request, dependant=dependant, body=bodies[body],
                async_exit_stack=stack, embed_body_fields=embed,
            )
        return {"values": solved.values, "errors": [(e["type"], e["loc"]) for e in solved.errors]}

    return app


def test_a_null_body_is_a_value_and_an_undefined_one_is_none_as_in_fastapi() -> None:
    # cadwyn passes `Undefined` for a request without a body and None for a JSON null: the
    # null is validated (a nullable body gets None, not its default; embedded fields find no
    # object to read), as FastAPI 0.151+ does (28 of cadwyn's body-parsing tests).
    found = []
    for fw, client_class in ((accord, TestClient), (fastapi, FastAPIClient)):
        client = client_class(build_bodies(fw))
        found.append({
            (tree, body): client.get(f"/run/{tree}/{body}").json()
            for tree in ("whole", "embedded") for body in ("none", "null", "object")
        })
    assert found[0] == found[1]
    assert found[0][("whole", "none")]["values"] == {"payload": {"default": 1}}
    assert found[0][("whole", "null")]["values"] == {"payload": None}
    assert found[0][("embedded", "null")]["errors"] == [
        ["missing", ["body", "name"]], ["missing", ["body", "age"]]
    ]
