"""A FastAPI app with N similar routes, for the scale measurements (also run as Accord)."""

from typing import Any

from fastapi import FastAPI

from benchmarks.apps.scale_models import ScaleItem


def _add_route(app: FastAPI, i: int) -> None:
    @app.get(f"/resource{i}/items/{{item_id}}", response_model=ScaleItem)
    async def read_resource_item(item_id: int, q: str | None = None) -> Any:
        return {"id": item_id, "resource": i, "q": q}


def build(n_routes: int) -> FastAPI:
    app = FastAPI()
    for i in range(n_routes):
        _add_route(app, i)
    return app
