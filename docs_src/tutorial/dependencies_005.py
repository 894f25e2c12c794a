from accord.testclient import TestClient
from docs_src.tutorial.dependencies_004 import app, require_staff_key


def no_key_needed() -> None:
    return None


def test_staff_routes_without_the_real_key() -> None:
    app.dependency_overrides[require_staff_key] = no_key_needed
    try:
        client = TestClient(app)
        assert client.delete("/staff/books/1").status_code == 204
    finally:
        app.dependency_overrides.clear()
    assert TestClient(app).delete("/staff/books/1").status_code == 422
