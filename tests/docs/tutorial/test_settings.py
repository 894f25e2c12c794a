"""docs/tutorial/settings.md: settings from the environment through a cached dependency,
replaced in tests by an override or by the environment plus cache_clear."""

import pytest
from pydantic import ValidationError

from accord.testclient import TestClient
from docs_src.tutorial import settings_001, settings_002
from docs_src.tutorial.settings_002 import (  # noqa: F401  (collected by pytest from here)
    client,
    test_settings_from_the_environment,
    test_shipping_threshold_from_the_test_settings,
)


@pytest.fixture(autouse=True)
def fresh_settings(monkeypatch: pytest.MonkeyPatch):
    for name in ["BOOKSHOP_SHOP_NAME", "BOOKSHOP_FREE_SHIPPING_FROM", "BOOKSHOP_PAYMENT_API_KEY"]:
        monkeypatch.delenv(name, raising=False)
    settings_001.get_settings.cache_clear()
    yield
    settings_001.get_settings.cache_clear()


def test_the_defaults() -> None:
    http = TestClient(settings_001.app)
    assert http.get("/shipping?total=12").json() == {
        "shop": "The Corner Bookshop",
        "free_shipping": False,
    }
    assert http.get("/shipping?total=30").json()["free_shipping"] is True
    assert http.get("/payments/status").json() == {"configured": False}


def test_the_environment_with_its_prefix_and_conversion(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOOKSHOP_FREE_SHIPPING_FROM", "10")
    monkeypatch.setenv("BOOKSHOP_PAYMENT_API_KEY", "sk-live-123")
    http = TestClient(settings_001.app)
    assert http.get("/shipping?total=12").json()["free_shipping"] is True
    assert http.get("/payments/status").json() == {"configured": True}
    assert "sk-live-123" not in repr(settings_001.get_settings())


def test_a_value_that_does_not_convert_fails_when_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOOKSHOP_FREE_SHIPPING_FROM", "lots")
    with pytest.raises(ValidationError) as failed:
        settings_001.get_settings()
    assert failed.value.errors()[0]["loc"] == ("free_shipping_from",)


def test_the_settings_are_read_once() -> None:
    first = settings_001.get_settings()
    assert settings_001.get_settings() is first
    TestClient(settings_001.app).get("/shipping?total=1")
    assert settings_001.get_settings.cache_info().misses == 1


def test_a_settings_change_needs_cache_clear(monkeypatch: pytest.MonkeyPatch) -> None:
    http = TestClient(settings_001.app)
    assert http.get("/shipping?total=1").json()["shop"] == "The Corner Bookshop"
    monkeypatch.setenv("BOOKSHOP_SHOP_NAME", "Night Owl Books")
    assert http.get("/shipping?total=1").json()["shop"] == "The Corner Bookshop"
    settings_001.get_settings.cache_clear()
    assert http.get("/shipping?total=1").json()["shop"] == "Night Owl Books"


def test_the_override_fixture_clears_up() -> None:
    steps = settings_002.client.__wrapped__()
    next(steps)
    assert settings_001.app.dependency_overrides[settings_001.get_settings]().free_shipping_from == 10
    with pytest.raises(StopIteration):
        next(steps)
    assert settings_001.app.dependency_overrides == {}
