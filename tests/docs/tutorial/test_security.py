"""docs/tutorial/security.md: the OAuth2 password flow with JWT (pyjwt) and hashed passwords
(pwdlib), an API key in a header, and scopes, as the page states them."""

from datetime import UTC, datetime, timedelta

import jwt

from accord.testclient import TestClient
from docs_src.tutorial import security_001, security_002, security_003

from ._fastapi import assert_same_as_fastapi

LOGIN = {"username": "ada", "password": "engine"}


def test_the_password_flow_issues_a_bearer_jwt() -> None:
    client = TestClient(security_001.app)
    response = client.post("/token", data=LOGIN)
    assert response.status_code == 200
    token = response.json()
    assert token["token_type"] == "bearer"
    claims = jwt.decode(token["access_token"], security_001.SECRET_KEY, algorithms=["HS256"])
    assert claims["sub"] == "ada"
    lifetime = datetime.fromtimestamp(claims["exp"], UTC) - datetime.now(UTC)
    assert timedelta(minutes=29) < lifetime <= timedelta(minutes=30)
    me = client.get("/me", headers={"Authorization": f"Bearer {token['access_token']}"})
    assert me.json() == {"username": "ada", "full_name": "Ada Lovelace"}


def test_passwords_are_stored_hashed() -> None:
    stored = security_001.CUSTOMERS["ada"].password_hash
    assert "engine" not in stored and stored.startswith("$argon2")


def test_a_wrong_password_or_user_is_a_401_with_www_authenticate() -> None:
    client = TestClient(security_001.app)
    for form in [{**LOGIN, "password": "loom"}, {"username": "bob", "password": "engine"}]:
        response = client.post("/token", data=form)
        assert response.status_code == 401
        assert response.json() == {"detail": "Wrong username or password"}
        assert response.headers["www-authenticate"] == "Bearer"


def test_the_protected_route_refuses_no_token_a_forged_and_an_expired_one() -> None:
    client = TestClient(security_001.app)
    missing = client.get("/me")
    assert missing.status_code == 401
    assert missing.json() == {"detail": "Not authenticated"}
    assert missing.headers["www-authenticate"] == "Bearer"
    forged = jwt.encode({"sub": "ada"}, "x" * 32, algorithm="HS256")
    expired = jwt.encode(
        {"sub": "ada", "exp": datetime.now(UTC) - timedelta(minutes=1)},
        security_001.SECRET_KEY,
        algorithm="HS256",
    )
    for token in [forged, expired, "not-a-jwt"]:
        response = client.get("/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401
        assert response.json() == {"detail": "Invalid or expired token"}


def test_the_login_form_needs_python_multipart_fields() -> None:
    response = TestClient(security_001.app).post("/token", data={"username": "ada"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "password"]


def test_the_password_scheme_is_in_openapi() -> None:
    document = security_001.app.openapi()
    assert document["components"]["securitySchemes"] == {
        "OAuth2PasswordBearer": {
            "type": "oauth2",
            "flows": {"password": {"scopes": {}, "tokenUrl": "token"}},
        }
    }
    assert document["paths"]["/me"]["get"]["security"] == [{"OAuth2PasswordBearer": []}]


def test_an_api_key_in_a_header() -> None:
    client = TestClient(security_002.app)
    ok = client.post("/stock/1?count=3", headers={"X-API-Key": "k-till-7"})
    assert ok.json() == {"book_id": 1, "added": 3, "by": "till"}
    missing = client.post("/stock/1?count=3")
    assert (missing.status_code, missing.headers["www-authenticate"]) == (401, "APIKey")
    unknown = client.post("/stock/1?count=3", headers={"X-API-Key": "guess"})
    assert (unknown.status_code, unknown.json()) == (403, {"detail": "Unknown API key"})
    scheme = security_002.app.openapi()["components"]["securitySchemes"]["APIKeyHeader"]
    assert scheme == {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
        "description": "A key issued to a shop system",
    }


def test_scopes() -> None:
    client = TestClient(security_003.app)
    reader = {"Authorization": "Bearer reader-token"}
    editor = {"Authorization": "Bearer editor-token"}
    assert client.get("/books", headers=reader).json() == ["Dune", "Emma"]
    denied = client.post("/books?title=Ulysses", headers=reader)
    assert denied.status_code == 403
    assert denied.json() == {"detail": "Missing scope: books:write"}
    assert denied.headers["www-authenticate"] == 'Bearer scope="books:write"'
    assert client.post("/books?title=Ulysses", headers=editor).json() == "Ulysses"
    paths = security_003.app.openapi()["paths"]
    assert paths["/books"]["post"]["security"] == [{"OAuth2PasswordBearer": ["books:write"]}]
    assert paths["/books"]["get"]["security"] == [{"OAuth2PasswordBearer": ["books:read"]}]


def test_the_examples_behave_as_on_fastapi() -> None:
    assert_same_as_fastapi(
        security_001,
        [
            ("POST", "/token", {"data": {"username": "ada", "password": "x"}}),
            ("POST", "/token", {"data": {}}),
            ("GET", "/me", {"headers": {"Authorization": "Basic abc"}}),
            ("GET", "/me", {"headers": {"Authorization": "Bearer abc"}}),
        ],
    )
    assert_same_as_fastapi(
        security_002,
        [("POST", "/stock/1?count=1", {}), ("POST", "/stock/1?count=1", {"headers": {"x-api-key": "k-warehouse-1"}})],
    )
    assert_same_as_fastapi(
        security_003,
        [
            ("GET", "/books", {}),
            ("GET", "/books", {"headers": {"Authorization": "Bearer nobody"}}),
            ("POST", "/books?title=T", {"headers": {"Authorization": "Bearer editor-token"}}),
        ],
    )
