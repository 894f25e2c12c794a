"""The routes an application adds for its OpenAPI document and documentation pages.

In FastAPI's order and with its route names: ``openapi`` (`openapi_url`), ``swagger_ui_html``
(`docs_url`), ``swagger_ui_redirect`` (`swagger_ui_oauth2_redirect_url`) and ``redoc_html``
(`redoc_url`), each left out when its URL is `None`. Accord adds ``docs_static`` after them:
the pages' JavaScript and CSS, served from installed packages under `docs_static_url`
(``/docs/static`` unless the app sets it; `None` loads every asset from the CDN).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse

from accord.exceptions import AccordError
from accord.openapi.assets import DocsAssets, asset_urls, find_local_assets
from accord.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)

if TYPE_CHECKING:
    from accord.applications import Accord

__all__ = ["DEFAULT_DOCS_STATIC_URL", "add_documentation_routes", "docs_static_url"]

DEFAULT_DOCS_STATIC_URL = "/docs/static"


def _check_url(setting: str, url: str | None) -> None:
    if url is not None and not url.startswith("/"):
        raise AccordError(f"{setting} must start with '/' (got {url!r}); or set it to None.")


def docs_static_url(app: Accord) -> str | None:
    """The path the app serves documentation assets under (`None`: the CDN is used)."""
    url: Any = app.docs_static_url
    _check_url("docs_static_url", url)
    return url.rstrip("/") if url else None


def _root_path(request: Request) -> str:
    return str(request.scope.get("root_path", "")).rstrip("/")


def _assets(request: Request, static_url: str | None) -> DocsAssets:
    return asset_urls(None if static_url is None else _root_path(request) + static_url)


def add_documentation_routes(app: Accord) -> None:
    """Adds the document and page routes the app's URL settings ask for."""
    for setting in ("openapi_url", "docs_url", "redoc_url", "swagger_ui_oauth2_redirect_url"):
        _check_url(setting, getattr(app, setting))
    if not app.openapi_url:
        return
    _add_openapi_route(app, app.openapi_url)
    static_url = docs_static_url(app)
    if app.docs_url:
        _add_swagger_routes(app, app.openapi_url, app.docs_url, static_url)
    if app.redoc_url:
        _add_redoc_route(app, app.openapi_url, app.redoc_url, static_url)
    if (app.docs_url or app.redoc_url) and static_url and find_local_assets():
        _add_static_route(app, static_url)


def _add_openapi_route(app: Accord, openapi_url: str) -> None:
    async def openapi(request: Request) -> JSONResponse:
        root_path = _root_path(request)
        schema = app.openapi()
        if root_path and app.root_path_in_servers:
            servers = schema.get("servers", [])
            if root_path not in {server.get("url") for server in servers}:
                # A copy: the cached document stays the one `app.openapi()` returns.
                schema = {**schema, "servers": [{"url": root_path}, *servers]}
        return JSONResponse(schema)

    app.add_route(openapi_url, openapi, include_in_schema=False)


def _add_swagger_routes(
    app: Accord, openapi_url: str, docs_url: str, static_url: str | None
) -> None:
    async def swagger_ui_html(request: Request) -> HTMLResponse:
        root_path = _root_path(request)
        redirect_url = app.swagger_ui_oauth2_redirect_url
        assets = _assets(request, static_url)
        return get_swagger_ui_html(
            openapi_url=root_path + openapi_url,
            title=f"{app.title} - Swagger UI",
            swagger_js_url=assets.swagger_js,
            swagger_css_url=assets.swagger_css,
            swagger_favicon_url=assets.favicon,
            oauth2_redirect_url=root_path + redirect_url if redirect_url else None,
            init_oauth=app.swagger_ui_init_oauth,
            swagger_ui_parameters=app.swagger_ui_parameters,
        )

    app.add_route(docs_url, swagger_ui_html, include_in_schema=False)
    if not app.swagger_ui_oauth2_redirect_url:
        return

    async def swagger_ui_redirect(request: Request) -> HTMLResponse:
        assets = _assets(request, static_url)
        return get_swagger_ui_oauth2_redirect_html(redirect_js_url=assets.swagger_redirect_js)

    app.add_route(app.swagger_ui_oauth2_redirect_url, swagger_ui_redirect, include_in_schema=False)


def _add_redoc_route(
    app: Accord, openapi_url: str, redoc_url: str, static_url: str | None
) -> None:
    async def redoc_html(request: Request) -> HTMLResponse:
        assets = _assets(request, static_url)
        return get_redoc_html(
            openapi_url=_root_path(request) + openapi_url,
            title=f"{app.title} - ReDoc",
            redoc_js_url=assets.redoc_js,
            redoc_favicon_url=assets.favicon,
            # Served locally, the page must not wait on a font service it may not reach.
            with_google_fonts=assets.redoc_js == DocsAssets.redoc_js,
        )

    app.add_route(redoc_url, redoc_html, include_in_schema=False)


def _add_static_route(app: Accord, static_url: str) -> None:
    files = find_local_assets()

    async def docs_static(request: Request) -> FileResponse:
        path = files.get(request.path_params["name"])
        if path is None:
            raise HTTPException(status_code=404)
        # Assets change only with the installed package; let browsers keep them a day.
        return FileResponse(path, headers={"Cache-Control": "public, max-age=86400"})

    app.add_route(static_url + "/{name}", docs_static, include_in_schema=False)
