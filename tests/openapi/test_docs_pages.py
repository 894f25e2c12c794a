"""The documentation routes and pages, compared with FastAPI's where FastAPI defines them."""

from __future__ import annotations

import inspect
import re
from typing import Any

import fastapi
import fastapi.openapi.constants
import fastapi.openapi.docs
import fastapi.openapi.utils
import pytest
from starlette.testclient import TestClient

import accord
from accord.openapi import assets, constants, docs, utils

CDN = {
    "/docs/static/swagger-ui-bundle.js": docs.SWAGGER_JS_CDN,
    "/docs/static/swagger-ui.css": docs.SWAGGER_CSS_CDN,
    "/docs/static/favicon.png": docs.FAVICON_CDN,
    "/docs/static/redoc.standalone.js": docs.REDOC_JS_CDN,
}


def _tokens(html: str) -> list[str]:
    return html.split()


def _make(framework: Any, **options: Any) -> Any:
    if options.get("root_path"):
        # Deprecated since FastAPI 0.163 (the server's root path replaces it): both warn.
        with pytest.warns(framework.exceptions.FastAPIDeprecationWarning, match="`root_path`"):
            app = framework.FastAPI(title="Pages", **options)
    else:
        app = framework.FastAPI(title="Pages", **options)

    @app.get("/items/{item_id}")
    def read(item_id: int) -> dict[str, int]:
        return {"item_id": item_id}

    return app


def _pair(**options: Any) -> tuple[TestClient, TestClient]:
    return TestClient(_make(fastapi, **options)), TestClient(_make(accord, **options))


def _with_cdn_urls(html: str) -> str:
    for local, cdn in CDN.items():
        html = html.replace(local, cdn)
    return html


def test_constants_match_fastapi() -> None:
    assert constants.METHODS_WITH_BODY == fastapi.openapi.constants.METHODS_WITH_BODY
    assert constants.REF_PREFIX == fastapi.openapi.constants.REF_PREFIX
    assert constants.REF_TEMPLATE == fastapi.openapi.constants.REF_TEMPLATE


@pytest.mark.parametrize(
    "function", ["get_openapi", "get_swagger_ui_html", "get_redoc_html"]
)
def test_signatures_match_fastapi(function: str) -> None:
    ours_module = utils if function == "get_openapi" else docs
    theirs_module = fastapi.openapi.utils if function == "get_openapi" else fastapi.openapi.docs
    ours = inspect.signature(getattr(ours_module, function)).parameters
    theirs = inspect.signature(getattr(theirs_module, function)).parameters
    assert list(ours) == list(theirs)
    for name, parameter in theirs.items():
        assert ours[name].default == parameter.default, name


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"swagger_ui_parameters": {"syntaxHighlight": False, "deepLinking": False}},
        {"swagger_ui_parameters": {"x": "</script><script>alert(1)</script>&"}},
        {"init_oauth": {"clientId": "abc", "scopes": ["read", "write"], "usePkce": True}},
        {"oauth2_redirect_url": "/docs/oauth2-redirect"},
    ],
)
def test_swagger_html_matches_fastapi(options: dict[str, Any]) -> None:
    theirs = fastapi.openapi.docs.get_swagger_ui_html(openapi_url="/o.json", title="T", **options)
    ours = docs.get_swagger_ui_html(openapi_url="/o.json", title="T", **options)
    assert _tokens(ours.body.decode()) == _tokens(theirs.body.decode())
    assert ours.media_type == theirs.media_type


@pytest.mark.parametrize("fonts", [True, False])
def test_redoc_html_matches_fastapi(fonts: bool) -> None:
    theirs = fastapi.openapi.docs.get_redoc_html(
        openapi_url="/o.json", title="T", with_google_fonts=fonts
    )
    ours = docs.get_redoc_html(openapi_url="/o.json", title="T", with_google_fonts=fonts)
    assert _tokens(ours.body.decode()) == _tokens(theirs.body.decode())


def test_route_names_and_order_match_fastapi() -> None:
    theirs, ours = _pair()
    their_names = [route.name for route in theirs.app.routes]
    our_names = [route.name for route in ours.app.routes if route.name != "docs_static"]
    assert our_names == their_names
    assert [r.name for r in ours.app.routes][:4] == [
        "openapi",
        "swagger_ui_html",
        "swagger_ui_redirect",
        "redoc_html",
    ]


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"swagger_ui_init_oauth": {"clientId": "c", "appName": "A"}},
        {"swagger_ui_parameters": {"defaultModelsExpandDepth": -1}},
        {"swagger_ui_oauth2_redirect_url": None},
        {"swagger_ui_oauth2_redirect_url": "/auth/redirect"},
        {"root_path": "/api/v1"},
        {"openapi_url": "/spec.json", "docs_url": "/documentation", "redoc_url": "/rd"},
    ],
)
def test_pages_match_fastapi_apart_from_asset_urls(options: dict[str, Any]) -> None:
    theirs, ours = _pair(**options)
    root = options.get("root_path", "")
    for url in (options.get("docs_url", "/docs"), options.get("redoc_url", "/redoc")):
        expected = theirs.get(url)
        got = ours.get(url)
        assert got.status_code == expected.status_code == 200
        assert got.headers["content-type"] == expected.headers["content-type"]
        html = _with_cdn_urls(got.text.replace(root + "/docs/static/", "/docs/static/"))
        expected_tokens = _tokens(expected.text)
        if url.endswith(("redoc", "rd")):
            # Served locally, ReDoc's page leaves out the Google Fonts stylesheet link.
            fonts = ["<link", 'href="https://fonts.googleapis.com/css?family=Montserrat:300,400,700|Roboto:300,400,700"', 'rel="stylesheet">']
            start = expected_tokens.index(fonts[1]) - 1
            assert expected_tokens[start : start + 3] == fonts
            assert _tokens(html) == expected_tokens[:start] + expected_tokens[start + 3 :]
        else:
            assert _tokens(html) == expected_tokens


def test_assets_are_served_locally_and_swagger_ui_is_v5() -> None:
    client = TestClient(_make(accord))
    page = client.get("/docs").text
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(s.startswith("/docs/static/") for s in sources)
    for source in sources:
        response = client.get(source)
        assert response.status_code == 200
        assert len(response.content) > 100
    bundle = client.get("/docs/static/swagger-ui-bundle.js").text
    assert "SwaggerUIBundle" in bundle
    assert assets._swagger_dir() is not None
    assert assets._version(assets._swagger_dir())[0] >= 5  # OpenAPI 3.1 needs Swagger UI 5
    redoc_page = client.get("/redoc").text
    (redoc_src,) = re.findall(r'<script src="([^"]+)"', redoc_page)
    assert redoc_src == "/docs/static/redoc.standalone.js"
    assert "Redoc" in client.get(redoc_src).text
    assert "fonts.googleapis" not in redoc_page
    assert client.get("/docs/static/unknown.js").status_code == 404


def test_oauth2_redirect_page_loads_swagger_redirect_script() -> None:
    client = TestClient(_make(accord))
    page = client.get("/docs/oauth2-redirect")
    assert page.status_code == 200
    (source,) = re.findall(r'<script src="([^"]+)"', page.text)
    assert "swaggerUIRedirectOauth2" in client.get(source).text
    assert "<title>Swagger UI: OAuth2 Redirect</title>" in page.text


def test_cdn_setting() -> None:
    client = TestClient(_make(accord, docs_static_url=None))
    page = client.get("/docs").text
    assert docs.SWAGGER_JS_CDN in page and docs.SWAGGER_CSS_CDN in page
    assert docs.REDOC_JS_CDN in client.get("/redoc").text
    assert "docs_static" not in [route.name for route in client.app.routes]
    theirs = TestClient(_make(fastapi))
    assert _tokens(client.get("/redoc").text) == _tokens(theirs.get("/redoc").text)
    assert _tokens(page) == _tokens(theirs.get("/docs").text)


def test_root_path_prefixes_asset_urls() -> None:
    client = TestClient(_make(accord, root_path="/api"))
    page = client.get("/docs").text
    assert 'src="/api/docs/static/swagger-ui-bundle.js"' in page
    assert "url: '/api/openapi.json'" in page
    assert "window.location.origin + '/api/docs/oauth2-redirect'" in page


@pytest.mark.parametrize(
    "options",
    [
        {"docs_url": None},
        {"redoc_url": None},
        {"docs_url": None, "redoc_url": None},
        {"openapi_url": None},
    ],
)
def test_pages_can_be_switched_off(options: dict[str, Any]) -> None:
    theirs, ours = _pair(**options)
    for url in ("/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"):
        assert ours.get(url).status_code == theirs.get(url).status_code, url
    if options.get("openapi_url", "") is None or options == {"docs_url": None, "redoc_url": None}:
        assert ours.get("/docs/static/swagger-ui.css").status_code == 404


@pytest.mark.parametrize("root_path", ["", "/api", "/api/"])
@pytest.mark.parametrize("servers", [None, [{"url": "/api"}], [{"url": "https://x.example"}]])
def test_openapi_route_matches_fastapi(root_path: str, servers: Any) -> None:
    theirs, ours = _pair(root_path=root_path, servers=servers)
    expected = theirs.get("/openapi.json")
    got = ours.get("/openapi.json")
    assert got.status_code == expected.status_code == 200
    assert got.json() == expected.json()
    assert got.text == expected.text
    # The cached document is never changed by the per-request servers entry.
    assert ours.app.openapi() == theirs.app.openapi()


def test_document_is_built_once_and_overridable() -> None:
    app = _make(accord)
    first = app.openapi()
    assert app.openapi() is first
    app.openapi = lambda: {"openapi": "3.1.0", "custom": True}  # type: ignore[method-assign]
    assert TestClient(app).get("/openapi.json").json() == {"openapi": "3.1.0", "custom": True}


def test_bad_urls_are_rejected() -> None:
    with pytest.raises(accord.exceptions.AccordError, match="docs_static_url"):
        accord.FastAPI(docs_static_url="static")
    with pytest.raises(accord.exceptions.AccordError, match="openapi_url"):
        accord.FastAPI(openapi_url="openapi.json")
