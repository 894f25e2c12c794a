"""A hand-written Starlette app with N similar routes, for the scale measurements."""

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


def _route(i: int) -> Route:
    async def read_resource_item(request: Request) -> Response:
        try:
            item_id = int(request.path_params["item_id"])
        except ValueError:
            return JSONResponse({"detail": "item_id must be an integer"}, status_code=422)
        return JSONResponse({"id": item_id, "resource": i, "q": request.query_params.get("q")})

    return Route(f"/resource{i}/items/{{item_id}}", read_resource_item)


def build(n_routes: int) -> Starlette:
    return Starlette(routes=[_route(i) for i in range(n_routes)])
