"""Malformed ``Authorization`` headers through a whole app: a clean 401, never a 500.

Each header value goes to every route of the same app built on Accord and on FastAPI;
the answers must be 200 or 401, and identical on both (status, body, challenge).
"""

import base64
import importlib
import types
from typing import Annotated, Any

import pytest
from starlette.testclient import TestClient


def build_app(fw: types.ModuleType) -> Any:
    sec = fw.security
    app = fw.FastAPI()
    schemes = {
        "basic": sec.HTTPBasic(),
        "basic-optional": sec.HTTPBasic(auto_error=False),
        "bearer": sec.HTTPBearer(),
        "bearer-optional": sec.HTTPBearer(auto_error=False),
        "digest": sec.HTTPDigest(),
        "oauth2": sec.OAuth2PasswordBearer(tokenUrl="token"),
        "oauth2-optional": sec.OAuth2PasswordBearer(tokenUrl="token", auto_error=False),
        "oidc": sec.OpenIdConnect(openIdConnectUrl="https://id/.well-known"),
    }
    for path, scheme in schemes.items():

        def endpoint(credentials: Annotated[Any, fw.Depends(scheme)]) -> Any:
            if hasattr(credentials, "model_dump"):
                return credentials.model_dump()
            return {"value": credentials}

        app.get(f"/{path}")(endpoint)
    return app


def b64(raw: bytes) -> bytes:
    return base64.b64encode(raw)


MALFORMED: list[bytes] = [
    b"",
    b" ",
    b"Basic",
    b"Basic ",
    b"Basic !!notbase64",
    b"Basic " + b64(b"nocolon"),
    b"Basic " + b64("jos\u00e9:pw".encode()),  # UTF-8 in the payload
    b"Basic \xc3\xa9\xc3\xa9",  # non-ASCII bytes in the header itself
    b"Basic ====",
    b"Basic " + b"A" * 65_000,  # long, and decodes to NUL bytes
    b"Bearer",
    b"Bearer\ttoken",
    b"Bearer \xff\xfe",
    b"Bearer " + b"x" * 65_000,
    b"Digest",
    b"\x00\x01",
    b"Token",
]
PATHS = [
    "/basic",
    "/basic-optional",
    "/bearer",
    "/bearer-optional",
    "/digest",
    "/oauth2",
    "/oauth2-optional",
    "/oidc",
]


@pytest.fixture(scope="module")
def clients() -> dict[str, TestClient]:
    built = {}
    for name in ("accord", "fastapi"):
        fw = importlib.import_module(name)
        importlib.import_module(f"{name}.security")
        built[name] = TestClient(build_app(fw), raise_server_exceptions=False)
    return built


def answer(client: TestClient, path: str, value: bytes) -> tuple[int, Any, str | None]:
    response = client.get(path, headers={"authorization": value})
    return response.status_code, response.json(), response.headers.get("www-authenticate")


@pytest.mark.parametrize("value", MALFORMED, ids=lambda v: repr(v[:24]))
def test_malformed_header_is_a_clean_answer(clients: dict[str, TestClient], value: bytes) -> None:
    for path in PATHS:
        ours = answer(clients["accord"], path, value)
        theirs = answer(clients["fastapi"], path, value)
        assert ours[0] in (200, 401), (path, ours)
        if ours[0] == 401:
            assert ours[1] == {"detail": "Not authenticated"}
            assert ours[2] in ("Basic", "Bearer", "Digest")
        assert ours == theirs, path


def test_malformed_basic_payload_is_401_even_when_optional(clients: dict[str, TestClient]) -> None:
    # The header names Basic, so it is not "absent": a broken payload is refused outright.
    for value in (b"Basic !!notbase64", b"Basic " + b64(b"nocolon"), b"Basic \xc3\xa9"):
        status, body, challenge = answer(clients["accord"], "/basic-optional", value)
        assert (status, body, challenge) == (401, {"detail": "Not authenticated"}, "Basic")


def test_other_scheme_is_none_when_optional(clients: dict[str, TestClient]) -> None:
    assert answer(clients["accord"], "/basic-optional", b"Bearer x") == (200, {"value": None}, None)
    assert answer(clients["accord"], "/bearer-optional", b"Basic x") == (200, {"value": None}, None)
    assert answer(clients["accord"], "/oauth2-optional", b"Basic x") == (200, {"value": None}, None)
