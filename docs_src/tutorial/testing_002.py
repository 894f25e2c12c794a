from collections.abc import Iterator

import pytest

from accord.testclient import TestClient
from docs_src.tutorial.testing_001 import (
    WishStore,
    app,
    current_customer,
    get_store,
)


@pytest.fixture
def store() -> Iterator[WishStore]:
    fresh = WishStore()
    app.dependency_overrides[get_store] = lambda: fresh
    yield fresh
    app.dependency_overrides.clear()


@pytest.fixture
def client() -> TestClient:
    return TestClient(app)


def test_a_wish_is_stored(client: TestClient, store: WishStore) -> None:
    response = client.post(
        "/wishlist", json={"title": "Dune"}, headers={"x-customer": "ada"}
    )
    assert response.status_code == 201
    assert response.json() == ["Dune"]
    assert store.wishes == {"ada": ["Dune"]}


def test_an_anonymous_wish_is_refused(client: TestClient, store: WishStore) -> None:
    response = client.post("/wishlist", json={"title": "Dune"})
    assert response.status_code == 401
    assert store.wishes == {}


def test_as_a_known_customer(client: TestClient, store: WishStore) -> None:
    app.dependency_overrides[current_customer] = lambda: "bob"
    client.post("/wishlist", json={"title": "Emma"})
    client.post("/wishlist", json={"title": "Ulysses"})
    assert store.wishes == {"bob": ["Emma", "Ulysses"]}
