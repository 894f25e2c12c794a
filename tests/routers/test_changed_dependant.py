"""A route an extension changed after registration, then included into another router: the
copy serves the changed route, as in FastAPI 0.163 (which analyses every included copy afresh
from its endpoint).

This is what cadwyn does to each route of each API version: it wraps the endpoint in a
function whose signature gains a keyword-only `Request` parameter, puts the wrapper in
`route.endpoint` and `route.dependant.call`, names the parameter in
`route.dependant.request_param_name`, and then includes the router with the version header
as an added dependency.
"""

import functools
import inspect
from typing import Any

import fastapi
import pytest
from fastapi.testclient import TestClient as FastAPIClient

import accord
from accord.testclient import TestClient


def wrap(endpoint: Any, fw: Any) -> Any:
    @functools.wraps(endpoint)
    async def wrapper(**kwargs: Any) -> Any:
        request = kwargs.pop("ext_request")
        found = await endpoint(**kwargs)
        return {**found, "seen_by": request.url.path}

    signature = inspect.signature(endpoint)
    extra = inspect.Parameter("ext_request", inspect.Parameter.KEYWORD_ONLY, annotation=fw.Request)
    wrapper.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[*signature.parameters.values(), extra]
    )
    return wrapper


def build(fw: Any, *, include_dependencies: bool) -> Any:
    router = fw.APIRouter()

    @router.get("/items/{item_id}")
    async def read_item(item_id: int, q: str = "") -> dict[str, Any]:
        return {"item_id": item_id, "q": q}

    route = router.routes[-1]
    route.endpoint = wrap(route.endpoint, fw)
    route.dependant.call = route.endpoint
    route.dependant.request_param_name = "ext_request"

    def version(x_version: str = fw.Header()) -> None:
        if x_version != "2":
            raise fw.HTTPException(404, "no such version")

    app = fw.FastAPI()
    dependencies = [fw.Depends(version)] if include_dependencies else []
    app.include_router(router, prefix="/v", dependencies=dependencies)
    return app


def answers(client: Any, include_dependencies: bool) -> list[Any]:
    headers = {"x-version": "2"}
    found = [client.get("/v/items/3?q=a", headers=headers), client.get("/v/items/x", headers=headers)]
    if include_dependencies:
        found.append(client.get("/v/items/3", headers={"x-version": "1"}))
    return [(r.status_code, r.json()) for r in found]


@pytest.mark.parametrize("include_dependencies", [True, False], ids=["with", "without"])
def test_the_included_copy_serves_the_changed_route(include_dependencies: bool) -> None:
    ours = answers(TestClient(build(accord, include_dependencies=include_dependencies)),
                   include_dependencies)
    theirs = answers(FastAPIClient(build(fastapi, include_dependencies=include_dependencies)),
                     include_dependencies)
    assert ours == theirs
    assert ours[0] == (200, {"item_id": 3, "q": "a", "seen_by": "/v/items/3"})
    assert ours[1][0] == 422
    if include_dependencies:
        assert ours[2] == (404, {"detail": "no such version"})
