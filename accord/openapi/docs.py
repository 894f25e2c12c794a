"""The HTML of the interactive documentation pages: Swagger UI, ReDoc, the OAuth2 redirect.

The pages have FastAPI's structure; the asset URLs default to FastAPI's CDN URLs here, and
:mod:`accord.openapi.setup` passes the app's locally served copies instead when they exist.

Unlike FastAPI, every value written into the HTML is escaped for where it lands (element
text, attribute, JavaScript string), so a title such as ``</title><script>...`` taken from
configuration shows as text instead of running. Ordinary titles and URLs come out byte for
byte as FastAPI writes them.
"""

from __future__ import annotations

import html
import json
from typing import Any

from starlette.responses import HTMLResponse

from accord.encoders import jsonable_encoder

__all__ = [
    "get_redoc_html",
    "get_swagger_ui_html",
    "get_swagger_ui_oauth2_redirect_html",
    "swagger_ui_default_parameters",
]

SWAGGER_JS_CDN = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js"
SWAGGER_CSS_CDN = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui.css"
SWAGGER_REDIRECT_JS_CDN = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/oauth2-redirect.js"
REDOC_JS_CDN = "https://cdn.jsdelivr.net/npm/redoc@2/bundles/redoc.standalone.js"
FAVICON_CDN = "https://fastapi.tiangolo.com/img/favicon.png"

swagger_ui_default_parameters: dict[str, Any] = {
    "dom_id": "#swagger-ui",
    "layout": "BaseLayout",
    "deepLinking": True,
    "showExtensions": True,
    "showCommonExtensions": True,
}
"""Swagger UI's configuration before the app's `swagger_ui_parameters` are applied."""


def _script_json(value: Any) -> str:
    """JSON that cannot end the surrounding ``<script>`` element (``<``, ``>``, ``&`` escaped)."""
    text = json.dumps(jsonable_encoder(value))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _text(value: str) -> str:
    """Escaped for element text (``<title>``): ``&``, ``<`` and ``>``."""
    return html.escape(value, quote=False)


def _attr(value: str) -> str:
    """Escaped for a double-quoted attribute value."""
    return html.escape(value, quote=True)


def _js_string(value: str) -> str:
    """The inside of a single-quoted JavaScript string that cannot end its ``<script>``."""
    text = json.dumps(value, ensure_ascii=False)[1:-1].replace("'", "\\u0027")
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def get_swagger_ui_html(
    *,
    openapi_url: str,
    title: str,
    swagger_js_url: str = SWAGGER_JS_CDN,
    swagger_css_url: str = SWAGGER_CSS_CDN,
    swagger_favicon_url: str = FAVICON_CDN,
    oauth2_redirect_url: str | None = None,
    init_oauth: dict[str, Any] | None = None,
    swagger_ui_parameters: dict[str, Any] | None = None,
) -> HTMLResponse:
    """The Swagger UI page for the document at `openapi_url`.

    Args:
        openapi_url: Where the page loads the OpenAPI document from.
        title: The page's ``<title>``.
        swagger_js_url: URL of ``swagger-ui-bundle.js``.
        swagger_css_url: URL of ``swagger-ui.css``.
        swagger_favicon_url: URL of the page's icon.
        oauth2_redirect_url: Path of the OAuth2 redirect page, for the "Authorize" dialog.
        init_oauth: Options passed to Swagger UI's ``initOAuth`` (client id, scopes...).
        swagger_ui_parameters: Swagger UI options, over `swagger_ui_default_parameters`.

    Returns:
        The page as an `HTMLResponse`.
    """
    parameters = {**swagger_ui_default_parameters, **(swagger_ui_parameters or {})}
    options = "".join(
        f"{_script_json(key)}: {_script_json(value)},\n" for key, value in parameters.items()
    )
    if oauth2_redirect_url:
        redirect = _js_string(oauth2_redirect_url)
        options += f"oauth2RedirectUrl: window.location.origin + '{redirect}',"
    oauth = f"\n        ui.initOAuth({_script_json(init_oauth)})\n" if init_oauth else ""
    html = f"""
    <!DOCTYPE html>
    <html>
    <head>
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <link type="text/css" rel="stylesheet" href="{_attr(swagger_css_url)}">
    <link rel="shortcut icon" href="{_attr(swagger_favicon_url)}">
    <title>{_text(title)}</title>
    </head>
    <body>
    <div id="swagger-ui">
    </div>
    <script src="{_attr(swagger_js_url)}"></script>
    <!-- `SwaggerUIBundle` is now available on the page -->
    <script>
    const ui = SwaggerUIBundle({{
        url: '{_js_string(openapi_url)}',
    {options}
    presets: [
        SwaggerUIBundle.presets.apis,
        SwaggerUIBundle.SwaggerUIStandalonePreset
        ],
    }})
{oauth}
    </script>
    </body>
    </html>
    """
    return HTMLResponse(html)


def get_redoc_html(
    *,
    openapi_url: str,
    title: str,
    redoc_js_url: str = REDOC_JS_CDN,
    redoc_favicon_url: str = FAVICON_CDN,
    with_google_fonts: bool = True,
) -> HTMLResponse:
    """The ReDoc page for the document at `openapi_url`.

    Args:
        openapi_url: Where the page loads the OpenAPI document from.
        title: The page's ``<title>``.
        redoc_js_url: URL of ``redoc.standalone.js``.
        redoc_favicon_url: URL of the page's icon.
        with_google_fonts: Load the Montserrat and Roboto fonts from Google Fonts.

    Returns:
        The page as an `HTMLResponse`.
    """
    fonts = (
        '\n    <link href="https://fonts.googleapis.com/css?family=Montserrat:300,400,700|'
        'Roboto:300,400,700" rel="stylesheet">\n    '
        if with_google_fonts
        else ""
    )
    html = f"""
    <!DOCTYPE html>
    <html>
    <head>
    <title>{_text(title)}</title>
    <!-- needed for adaptive design -->
    <meta charset="utf-8"/>
    <meta name="viewport" content="width=device-width, initial-scale=1">
    {fonts}
    <link rel="shortcut icon" href="{_attr(redoc_favicon_url)}">
    <!--
    ReDoc doesn't change outer page styles
    -->
    <style>
      body {{
        margin: 0;
        padding: 0;
      }}
    </style>
    </head>
    <body>
    <noscript>
        ReDoc requires Javascript to function. Please enable it to browse the documentation.
    </noscript>
    <redoc spec-url="{_attr(openapi_url)}"></redoc>
    <script src="{_attr(redoc_js_url)}"> </script>
    </body>
    </html>
    """
    return HTMLResponse(html)


def get_swagger_ui_oauth2_redirect_html(
    *, redirect_js_url: str = SWAGGER_REDIRECT_JS_CDN
) -> HTMLResponse:
    """The page Swagger UI's OAuth2 popup is redirected to; it passes the result back.

    Args:
        redirect_js_url: URL of Swagger UI's ``oauth2-redirect.js``, which reads the code or
            token from the URL and hands it to the window that opened the popup.

    Returns:
        The page as an `HTMLResponse`.
    """
    html = f"""
    <!doctype html>
    <html lang="en-US">
    <head>
        <title>Swagger UI: OAuth2 Redirect</title>
    </head>
    <body>
    <script src="{_attr(redirect_js_url)}"></script>
    </body>
    </html>
    """
    return HTMLResponse(content=html)
