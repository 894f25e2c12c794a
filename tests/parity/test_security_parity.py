"""Parity: Security() scopes, SecurityScopes, and the fw.security schemes' 401/403 answers."""

import base64

from .harness import get, parity_test, post


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def basic(user: str, password: str) -> dict[str, str]:
    raw = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"authorization": f"Basic {raw}"}


CASES = [
    get("/me"),
    get("/me", headers=bearer("alice")),
    get("/me", headers=bearer("nobody")),
    get("/me", headers={"authorization": "Basic abc"}),
    get("/me", headers={"authorization": "bearer alice"}),
    get("/me/items", headers=bearer("alice")),
    get("/admin", headers=bearer("alice")),
    get("/admin", headers=bearer("root")),
    get("/admin"),
    get("/scopes"),
    get("/token-optional"),
    get("/token-optional", headers=bearer("t")),
    get("/token-optional", headers={"authorization": "Token t"}),
    get("/basic"),
    get("/basic", headers=basic("ann", "secret")),
    get("/basic", headers=basic("ann", "pa:ss")),
    get("/basic", headers={"authorization": "Basic !!notbase64"}),
    get("/basic", headers={"authorization": "Basic " + base64.b64encode(b"nocolon").decode()}),
    get("/basic", headers={"authorization": "Bearer x"}),
    get("/basic-realm"),
    get("/bearer"),
    get("/bearer", headers=bearer("tok")),
    get("/bearer", headers={"authorization": "Basic tok"}),
    get("/bearer", headers={"authorization": "Bearer"}),
    get("/bearer-optional"),
    get("/bearer-optional", headers=bearer("tok")),
    get("/digest"),
    get("/digest", headers={"authorization": "Digest abc"}),
    get("/key-header"),
    get("/key-header", headers={"x-api-key": "k1"}),
    get("/key-query"),
    get("/key-query?api_key=q1"),
    get("/key-cookie"),
    get("/key-cookie", headers={"cookie": "session=c1"}),
    get("/oidc"),
    get("/oidc", headers=bearer("x")),
    get("/auth-code"),
    get("/auth-code", headers=bearer("code")),
    post("/token", data={"username": "u", "password": "p", "scope": "me items"}),
    post("/token", data={"username": "u"}),
    post("/token", json={"username": "u", "password": "p"}),
]

test_security = parity_test("security", CASES)
