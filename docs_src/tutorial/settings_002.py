from collections.abc import Iterator

import pytest

from accord.testclient import TestClient
from docs_src.tutorial.settings_001 import Settings, app, get_settings


@pytest.fixture
def client() -> Iterator[TestClient]:
    app.dependency_overrides[get_settings] = lambda: Settings(free_shipping_from=10)
    yield TestClient(app)
    app.dependency_overrides.clear()


def test_shipping_threshold_from_the_test_settings(client: TestClient) -> None:
    assert client.get("/shipping?total=12").json()["free_shipping"] is True


def test_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOOKSHOP_SHOP_NAME", "Night Owl Books")
    get_settings.cache_clear()
    try:
        answer = TestClient(app).get("/shipping?total=12").json()
    finally:
        get_settings.cache_clear()
    assert answer == {"shop": "Night Owl Books", "free_shipping": False}
