"""docs/tutorial/lifespan.md: the lifespan context manager runs around the app's life, its
yielded state reaches each request, app.state holds app-wide values; FastAPI's on_event is
deprecated."""

import warnings

import pytest

from accord import FastAPI
from accord.testclient import TestClient
from docs_src.tutorial import lifespan_001

from ._fastapi import on_fastapi


def test_the_lifespan_runs_around_the_requests() -> None:
    lifespan_001.log.clear()
    with TestClient(lifespan_001.app) as client:
        assert lifespan_001.log == ["starting"]
        response = client.get("/prices/Dune")
        assert response.json() == {"title": "Dune", "price": 9.5, "by": "lifespan"}
        lifespan_001.log.append("served")
    assert lifespan_001.log == ["starting", "served", "price list closed", "stopped"]


def test_without_the_with_block_the_lifespan_does_not_run() -> None:
    lifespan_001.log.clear()
    with pytest.raises(AttributeError):
        TestClient(lifespan_001.app).get("/prices/Dune")
    assert lifespan_001.log == []


def test_the_lifespan_is_fastapis() -> None:
    twin = on_fastapi(lifespan_001)
    with TestClient(twin.app) as client:
        assert client.get("/prices/Emma").json() == {"title": "Emma", "price": 7.0, "by": "lifespan"}
    assert twin.log == ["starting", "price list closed", "stopped"]


def test_on_event_is_deprecated() -> None:
    app = FastAPI()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        app.on_event("startup")(lambda: None)
    assert caught
    assert all(issubclass(w.category, DeprecationWarning) for w in caught)
    assert all("on_event is deprecated, use lifespan" in str(w.message) for w in caught)
