"""The documentation pages render in headless Chromium with no network but the app's.

Chromium resolves every host except 127.0.0.1 to nothing, so a page that still needed a CDN
would stay blank. Needs the ``chromium`` system package (``apt-get install -y chromium``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import BaseModel

import accord
from tests.browser import needs_chromium, rendered_dom, serve

OPTIONS: dict[str, object] = {}
pytestmark = needs_chromium


class Item(BaseModel):
    name: str
    price: float | None = None


def _app() -> accord.FastAPI:
    app = accord.FastAPI(title="Browser Check", **OPTIONS)

    @app.post("/items/{item_id}", summary="Create a shop item")
    def create(item_id: int, item: Item) -> Item:
        return item

    return app


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with serve(_app()) as url:
        yield url


def test_swagger_ui_renders_the_document(base_url: str) -> None:
    dom = rendered_dom(base_url + "/docs")
    assert "Create a shop item" in dom  # only present once Swagger UI rendered the operation
    assert "OAS 3.1" in dom
    assert "/items/{item_id}" in dom


def test_redoc_renders_the_document(base_url: str) -> None:
    dom = rendered_dom(base_url + "/redoc")
    assert "Create a shop item" in dom
    assert "Browser Check" in dom
