"""The OAuth2-with-scopes tutorial flow end to end: login form, JWT tokens, scopes.

Passwords are hashed with argon2 (pwdlib), tokens are PyJWT HS256 tokens, and the
`Security(..., scopes=[...])` requirements accumulate through the dependency chain into
`SecurityScopes`. The same app is built on Accord and on FastAPI: each expectation is
asserted on both, and the OpenAPI documents must be equal.
"""

import importlib
import types
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import jwt
import pytest
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from pydantic import BaseModel, ValidationError
from starlette.testclient import TestClient

SECRET_KEY = "3f1c0b9e4d7a62f8e5c1a9b7d3e6f0a2c4b8d1e7f9a3c5b2d6e8f0a1c3b5d7e9"
ALGORITHM = "HS256"
# Real argon2id, with a small cost so the suite stays fast (the tutorial uses the defaults).
HASHER = PasswordHash((Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1),))
USERS = {
    "johndoe": {"username": "johndoe", "hash": HASHER.hash("secret"), "disabled": False},
    "alice": {"username": "alice", "hash": HASHER.hash("wonderland"), "disabled": True},
}
SCOPES = {"me": "Read information about the current user.", "items": "Read items."}


class Token(BaseModel):
    access_token: str
    token_type: str


class TokenData(BaseModel):
    username: str
    scopes: list[str] = []


class User(BaseModel):
    username: str
    disabled: bool


def make_token(data: dict[str, Any], expires: timedelta) -> str:
    claims = {**data, "exp": datetime.now(UTC) + expires}
    return jwt.encode(claims, SECRET_KEY, algorithm=ALGORITHM)


def build_app(fw: types.ModuleType) -> Any:
    sec = fw.security
    oauth2_scheme = sec.OAuth2PasswordBearer(tokenUrl="token", scopes=SCOPES)
    app = fw.FastAPI()

    def authenticate(username: str, password: str) -> User | None:
        record = USERS.get(username)
        if record is None or not HASHER.verify(password, record["hash"]):
            return None
        return User(username=username, disabled=record["disabled"])

    def current_user(
        security_scopes: sec.SecurityScopes, token: Annotated[str, fw.Depends(oauth2_scheme)]
    ) -> User:
        scope_str = security_scopes.scope_str
        challenge = f'Bearer scope="{scope_str}"' if security_scopes.scopes else "Bearer"

        def refuse(detail: str) -> Exception:
            headers = {"WWW-Authenticate": challenge}
            return fw.HTTPException(fw.status.HTTP_401_UNAUTHORIZED, detail, headers)

        try:
            payload = jwt.decode(token, SECRET_KEY, algorithms=[ALGORITHM])
            data = TokenData(username=payload.get("sub", ""), scopes=payload.get("scopes", []))
        except (jwt.InvalidTokenError, ValidationError):
            raise refuse("Could not validate credentials") from None
        if data.username not in USERS:
            raise refuse("Could not validate credentials")
        missing = [scope for scope in security_scopes.scopes if scope not in data.scopes]
        if missing:
            raise refuse("Not enough permissions")
        return User(username=data.username, disabled=USERS[data.username]["disabled"])

    def active_user(user: Annotated[User, fw.Security(current_user, scopes=["me"])]) -> User:
        if user.disabled:
            raise fw.HTTPException(status_code=400, detail="Inactive user")
        return user

    @app.post("/token")
    def login(form: Annotated[sec.OAuth2PasswordRequestForm, fw.Depends()]) -> Token:
        user = authenticate(form.username, form.password)
        if user is None:
            raise fw.HTTPException(status_code=400, detail="Incorrect username or password")
        token = make_token({"sub": user.username, "scopes": form.scopes}, timedelta(minutes=30))
        return Token(access_token=token, token_type="bearer")

    @app.post("/token-strict")
    def login_strict(form: Annotated[sec.OAuth2PasswordRequestFormStrict, fw.Depends()]) -> Any:
        return {"grant_type": form.grant_type, "scopes": form.scopes, "client": form.client_id}

    @app.get("/users/me/")
    def read_me(user: Annotated[User, fw.Depends(active_user)]) -> User:
        return user

    @app.get("/users/me/items/")
    def read_items(user: Annotated[User, fw.Security(active_user, scopes=["items"])]) -> Any:
        return [{"item_id": "Foo", "owner": user.username}]

    @app.get("/status/")
    def read_status(user: Annotated[User, fw.Depends(current_user)]) -> Any:
        return {"status": "ok", "user": user.username}

    return app


@pytest.fixture(scope="module", params=["accord", "fastapi"])
def client(request: pytest.FixtureRequest) -> TestClient:
    fw = importlib.import_module(request.param)
    importlib.import_module(f"{request.param}.security")
    return TestClient(build_app(fw))


def login(client: TestClient, username: str, password: str, scope: str = "") -> Any:
    return client.post("/token", data={"username": username, "password": password, "scope": scope})


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_login_issues_a_jwt_with_the_requested_scopes(client: TestClient) -> None:
    response = login(client, "johndoe", "secret", "me items")
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    claims = jwt.decode(body["access_token"], SECRET_KEY, algorithms=[ALGORITHM])
    assert claims["sub"] == "johndoe"
    assert claims["scopes"] == ["me", "items"]


@pytest.mark.parametrize(("username", "password"), [("johndoe", "wrong"), ("nobody", "secret")])
def test_bad_credentials_are_refused(client: TestClient, username: str, password: str) -> None:
    response = login(client, username, password)
    assert response.status_code == 400
    assert response.json() == {"detail": "Incorrect username or password"}


def test_login_form_is_validated(client: TestClient) -> None:
    response = client.post("/token", data={"username": "johndoe"})
    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["detail"]] == [["body", "password"]]
    bad_grant = {"username": "johndoe", "password": "secret", "grant_type": "code"}
    response = client.post("/token", data=bad_grant)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "grant_type"]


def test_strict_form_requires_grant_type(client: TestClient) -> None:
    fields = {"username": "johndoe", "password": "secret", "scope": "a  b", "client_id": "c"}
    response = client.post("/token-strict", data=fields)
    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["detail"]] == [["body", "grant_type"]]
    response = client.post("/token-strict", data={**fields, "grant_type": "password"})
    assert response.json() == {"grant_type": "password", "scopes": ["a", "b"], "client": "c"}


def test_scoped_token_reaches_scoped_routes(client: TestClient) -> None:
    token = login(client, "johndoe", "secret", "me items").json()["access_token"]
    assert client.get("/users/me/", headers=bearer(token)).json() == {
        "username": "johndoe",
        "disabled": False,
    }
    items = client.get("/users/me/items/", headers=bearer(token))
    assert items.json() == [{"item_id": "Foo", "owner": "johndoe"}]
    assert client.get("/status/", headers=bearer(token)).json() == {
        "status": "ok",
        "user": "johndoe",
    }


def test_missing_scope_is_401_naming_all_accumulated_scopes(client: TestClient) -> None:
    token = login(client, "johndoe", "secret", "me").json()["access_token"]
    assert client.get("/users/me/", headers=bearer(token)).status_code == 200
    response = client.get("/users/me/items/", headers=bearer(token))
    assert response.status_code == 401
    assert response.json() == {"detail": "Not enough permissions"}
    # The endpoint's "items" comes before the dependency's own "me".
    assert response.headers["www-authenticate"] == 'Bearer scope="items me"'


def test_no_token_and_bad_tokens(client: TestClient) -> None:
    response = client.get("/users/me/")
    assert (response.status_code, response.json()) == (401, {"detail": "Not authenticated"})
    assert response.headers["www-authenticate"] == "Bearer"
    expired = make_token({"sub": "johndoe", "scopes": ["me"]}, timedelta(minutes=-5))
    forged = jwt.encode({"sub": "johndoe", "scopes": ["me"]}, "x" * 64, algorithm=ALGORITHM)
    unknown = make_token({"sub": "mallory", "scopes": ["me"]}, timedelta(minutes=5))
    for token in (expired, forged, unknown, "not.a.jwt"):
        response = client.get("/users/me/", headers=bearer(token))
        assert response.status_code == 401
        assert response.json() == {"detail": "Could not validate credentials"}
        assert response.headers["www-authenticate"] == 'Bearer scope="me"'
    response = client.get("/status/", headers=bearer("not.a.jwt"))
    assert response.headers["www-authenticate"] == "Bearer"


def test_inactive_user(client: TestClient) -> None:
    token = login(client, "alice", "wonderland", "me").json()["access_token"]
    response = client.get("/users/me/", headers=bearer(token))
    assert (response.status_code, response.json()) == (400, {"detail": "Inactive user"})


def test_openapi_documents_match() -> None:
    documents = []
    for name in ("accord", "fastapi"):
        fw = importlib.import_module(name)
        importlib.import_module(f"{name}.security")
        documents.append(build_app(fw).openapi())
    ours, theirs = documents
    assert ours == theirs
    flows = ours["components"]["securitySchemes"]["OAuth2PasswordBearer"]["flows"]
    assert flows == {"password": {"scopes": SCOPES, "tokenUrl": "token"}}
    security = ours["paths"]["/users/me/items/"]["get"]["security"]
    assert security == [{"OAuth2PasswordBearer": ["items", "me"]}]
