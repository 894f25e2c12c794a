"""A Litestar app with N similar routes, for the scale measurements."""

from typing import Any

from litestar import Litestar, get
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath, FromQuery

from benchmarks.apps.scale_models import ScaleItem


def _route(i: int) -> HTTPRouteHandler:
    @get(f"/resource{i}/items/{{item_id:int}}", name=f"read_resource_{i}")
    async def read_resource_item(
        item_id: FromPath[int], q: FromQuery[str | None] = None
    ) -> ScaleItem:
        return ScaleItem(id=item_id, resource=i, q=q)

    return read_resource_item


def build(n_routes: int) -> Litestar:
    return Litestar(route_handlers=[_route(i) for i in range(n_routes)])


def openapi(app: Any) -> dict[str, Any]:
    """Build the OpenAPI document as a plain dict (what Litestar serves)."""
    document: dict[str, Any] = app.openapi_schema.to_schema()
    return document
