"""Where the documentation pages' JavaScript and CSS come from.

The files are shipped by PyPI packages (never copied into Accord): Swagger UI 5 by
``swagger-ui-bundle-v2`` (imported as ``swagger_ui_bundle``), ReDoc 2 by ``mkdocs-redoc-tag``;
``drf-spectacular-sidecar`` is accepted for both. Packages are located without being imported.
An asset no package provides is loaded from FastAPI's CDN URLs instead.
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from accord.openapi import docs

__all__ = ["DocsAssets", "find_local_assets"]

_SIDECAR = "static/drf_spectacular_sidecar"
_SWAGGER_FILES = {
    "swagger-ui-bundle.js": "swagger-ui-bundle.js",
    "swagger-ui.css": "swagger-ui.css",
    "oauth2-redirect.js": "oauth2-redirect.js",
    "favicon.png": "favicon-32x32.png",
}


@dataclass(frozen=True)
class DocsAssets:
    """The URLs the documentation pages load their scripts, styles and icon from."""

    swagger_js: str = docs.SWAGGER_JS_CDN
    swagger_css: str = docs.SWAGGER_CSS_CDN
    swagger_redirect_js: str = docs.SWAGGER_REDIRECT_JS_CDN
    redoc_js: str = docs.REDOC_JS_CDN
    favicon: str = docs.FAVICON_CDN


def _package_dir(name: str) -> Path | None:
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _version(path: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", path.name))


def _swagger_dir() -> Path | None:
    bundle = _package_dir("swagger_ui_bundle")
    if bundle is not None:
        # Only Swagger UI 5 renders OpenAPI 3.1; older bundles are passed over.
        found = [p for p in (bundle / "vendor").glob("swagger-ui-*") if _version(p)[:1] >= (5,)]
        if found:
            return max(found, key=_version)
    sidecar = _package_dir("drf_spectacular_sidecar")
    if sidecar is not None and (sidecar / _SIDECAR / "swagger-ui-dist").is_dir():
        return sidecar / _SIDECAR / "swagger-ui-dist"
    return None


def _redoc_file() -> Path | None:
    candidates = []
    tag = _package_dir("mkdocs_redoc_tag")
    if tag is not None:
        candidates.append(tag / "redoc" / "javascripts" / "redoc.standalone.js")
    sidecar = _package_dir("drf_spectacular_sidecar")
    if sidecar is not None:
        candidates.append(sidecar / _SIDECAR / "redoc" / "bundles" / "redoc.standalone.js")
    return next((path for path in candidates if path.is_file()), None)


@cache
def find_local_assets() -> dict[str, Path]:
    """The asset files installed packages provide, by the name they are served under."""
    files: dict[str, Path] = {}
    swagger = _swagger_dir()
    if swagger is not None:
        for served, shipped in _SWAGGER_FILES.items():
            if (swagger / shipped).is_file():
                files[served] = swagger / shipped
    redoc = _redoc_file()
    if redoc is not None:
        files["redoc.standalone.js"] = redoc
    return files


def asset_urls(prefix: str | None) -> DocsAssets:
    """The pages' asset URLs: served under `prefix` when installed, else the CDN's.

    Args:
        prefix: The URL path the app serves local assets under, or `None` to always use
            the CDN.
    """
    if prefix is None:
        return DocsAssets()
    local = find_local_assets()
    cdn = DocsAssets()

    def url(name: str, fallback: str) -> str:
        return f"{prefix}/{name}" if name in local else fallback

    return DocsAssets(
        swagger_js=url("swagger-ui-bundle.js", cdn.swagger_js),
        swagger_css=url("swagger-ui.css", cdn.swagger_css),
        swagger_redirect_js=url("oauth2-redirect.js", cdn.swagger_redirect_js),
        redoc_js=url("redoc.standalone.js", cdn.redoc_js),
        favicon=url("favicon.png", cdn.favicon),
    )
