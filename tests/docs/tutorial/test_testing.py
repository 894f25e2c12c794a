"""docs/tutorial/testing.md: the page's test modules are collected and run here as they are
(TestClient with fixtures and dependency overrides, an async test over httpx's ASGITransport,
WebSocket tests), plus checks that they test what the page says."""

import pytest

from accord.testclient import TestClient
from docs_src.tutorial import testing_001, testing_002, testing_003, testing_004
from docs_src.tutorial.testing_002 import (  # noqa: F401  (collected by pytest from here)
    client,
    store,
    test_a_wish_is_stored,
    test_an_anonymous_wish_is_refused,
    test_as_a_known_customer,
)
from docs_src.tutorial.testing_003 import test_with_an_async_client  # noqa: F401
from docs_src.tutorial.testing_004 import (  # noqa: F401
    test_a_bad_token_is_refused,
    test_the_chat_answers,
)


def test_the_app_without_overrides_uses_its_own_store() -> None:
    response = TestClient(testing_001.app).post(
        "/wishlist", json={"title": "Middlemarch"}, headers={"x-customer": "eve"}
    )
    assert response.status_code == 201
    assert testing_001.get_store().wishes["eve"][-1] == "Middlemarch"


def test_the_fixture_removes_its_override_afterwards() -> None:
    fixture = testing_002.store.__wrapped__  # the function under pytest's fixture decorator
    steps = fixture()
    fresh = next(steps)
    assert testing_001.app.dependency_overrides[testing_001.get_store]() is fresh
    with pytest.raises(StopIteration):
        next(steps)
    assert testing_001.app.dependency_overrides == {}


def test_the_async_example_is_an_anyio_test() -> None:
    marks = [m.name for m in testing_003.test_with_an_async_client.pytestmark]
    assert "anyio" in marks


def test_the_websocket_tests_talk_to_the_streaming_example() -> None:
    from docs_src.tutorial import streaming_003

    assert testing_004.app is streaming_003.app
