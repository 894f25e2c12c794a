"""The routes an application adds for its OpenAPI document and documentation pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import JSONResponse

if TYPE_CHECKING:
    from accord.applications import Accord

__all__ = ["add_documentation_routes"]


def add_documentation_routes(app: Accord) -> None:
    """Adds `openapi_url` (and, later, the docs pages) unless switched off with `None`."""
    if app.openapi_url:
        if not app.openapi_url.startswith("/"):
            from accord.exceptions import AccordError

            raise AccordError(f"openapi_url must start with '/' (got {app.openapi_url!r})")

        async def openapi(request: Request) -> JSONResponse:
            root_path = request.scope.get("root_path", "").rstrip("/")
            schema = app.openapi()
            if root_path and app.root_path_in_servers:
                servers = [s.get("url") for s in schema.get("servers", [])]
                if root_path not in servers:
                    schema = {**schema, "servers": [{"url": root_path}, *schema.get("servers", [])]}
            return JSONResponse(schema)

        app.add_route(app.openapi_url, openapi, include_in_schema=False)
