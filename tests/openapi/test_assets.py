"""Locating the documentation assets in installed packages, and the CDN fallback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from accord.openapi import assets, docs


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    assets.find_local_assets.cache_clear()
    yield
    assets.find_local_assets.cache_clear()


def _fake_packages(monkeypatch: pytest.MonkeyPatch, packages: dict[str, Path]) -> None:
    monkeypatch.setattr(assets, "_package_dir", lambda name: packages.get(name))


def _touch(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("x")


def test_installed_packages_provide_every_asset() -> None:
    files = assets.find_local_assets()
    assert set(files) == {
        "swagger-ui-bundle.js",
        "swagger-ui.css",
        "oauth2-redirect.js",
        "favicon.png",
        "redoc.standalone.js",
    }
    urls = assets.asset_urls("/static")
    assert urls.swagger_js == "/static/swagger-ui-bundle.js"
    assert urls.redoc_js == "/static/redoc.standalone.js"


def test_old_swagger_ui_is_passed_over(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _touch(tmp_path / "bundle" / "vendor" / "swagger-ui-4.15.5" / "swagger-ui-bundle.js")
    _fake_packages(monkeypatch, {"swagger_ui_bundle": tmp_path / "bundle"})
    assert assets.find_local_assets() == {}
    assert assets.asset_urls("/static") == assets.DocsAssets()


def test_newest_swagger_ui_5_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for version in ("5.2.0", "5.10.1", "4.99.0"):
        _touch(tmp_path / "b" / "vendor" / f"swagger-ui-{version}" / "swagger-ui.css")
    _fake_packages(monkeypatch, {"swagger_ui_bundle": tmp_path / "b"})
    found = assets.find_local_assets()
    assert found == {"swagger-ui.css": tmp_path / "b/vendor/swagger-ui-5.10.1/swagger-ui.css"}
    urls = assets.asset_urls("/s")
    assert urls.swagger_css == "/s/swagger-ui.css"
    assert urls.swagger_js == docs.SWAGGER_JS_CDN  # not shipped there: the CDN's


def test_sidecar_package_is_accepted(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    root = tmp_path / "sidecar" / "static" / "drf_spectacular_sidecar"
    _touch(root / "swagger-ui-dist" / "swagger-ui-bundle.js")
    _touch(root / "redoc" / "bundles" / "redoc.standalone.js")
    _fake_packages(monkeypatch, {"drf_spectacular_sidecar": tmp_path / "sidecar"})
    assert set(assets.find_local_assets()) == {"swagger-ui-bundle.js", "redoc.standalone.js"}


def test_no_packages_means_cdn(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_packages(monkeypatch, {})
    assert assets.find_local_assets() == {}
    assert assets.asset_urls("/docs/static") == assets.DocsAssets()
    assert assets.asset_urls(None).redoc_js == docs.REDOC_JS_CDN


def test_package_lookup_without_import() -> None:
    assert assets._package_dir("swagger_ui_bundle") is not None
    assert assets._package_dir("no_such_package_for_accord") is None
    assert assets._package_dir("json.decoder") is None  # a module, not a package
    assert assets._package_dir("no_such_package_for_accord.sub") is None
