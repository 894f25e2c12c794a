"""Security schemes on WebSocket routes (FastAPI 0.163 types them on `HTTPConnection`): the same
app on both frameworks; a missing or malformed credential is the same HTTP denial (401 with the
scheme's challenge) before the handshake, a good one reaches the endpoint."""

import base64
from typing import Annotated, Any

import fastapi
import pytest
from fastapi.testclient import TestClient as FastAPIClient
from starlette.testclient import WebSocketDenialResponse
from starlette.websockets import WebSocketDisconnect

import accord
from accord.testclient import TestClient


def build(fw: Any) -> Any:
    app = fw.FastAPI()
    bearer = fw.security.HTTPBearer()
    key = fw.security.APIKeyHeader(name="x-key")
    optional_key = fw.security.APIKeyQuery(name="k", auto_error=False)
    cookie_key = fw.security.APIKeyCookie(name="session")
    oauth = fw.security.OAuth2PasswordBearer(tokenUrl="token", scopes={"read": "Read"})
    basic = fw.security.HTTPBasic(realm="chat")

    async def echo(websocket: Any, text: str) -> None:
        await websocket.accept()
        await websocket.send_text(text)
        await websocket.close()

    @app.websocket("/bearer")
    async def on_bearer(
        websocket: fw.WebSocket,
        credentials: Annotated[fw.security.HTTPAuthorizationCredentials, fw.Depends(bearer)],
    ) -> None:
        await echo(websocket, credentials.credentials)

    @app.websocket("/key")
    async def on_key(websocket: fw.WebSocket, value: Annotated[str, fw.Security(key)]) -> None:
        await echo(websocket, value)

    @app.websocket("/optional")
    async def on_optional(
        websocket: fw.WebSocket, value: Annotated[str | None, fw.Depends(optional_key)]
    ) -> None:
        await echo(websocket, str(value))

    @app.websocket("/cookie")
    async def on_cookie(websocket: fw.WebSocket, value: Annotated[str, fw.Depends(cookie_key)]) -> None:
        await echo(websocket, value)

    @app.websocket("/oauth")
    async def on_oauth(
        websocket: fw.WebSocket, token: Annotated[str, fw.Security(oauth, scopes=["read"])]
    ) -> None:
        await echo(websocket, token)

    @app.websocket("/basic")
    async def on_basic(
        websocket: fw.WebSocket,
        credentials: Annotated[fw.security.HTTPBasicCredentials, fw.Depends(basic)],
    ) -> None:
        await echo(websocket, credentials.username)

    return app


BASIC = "Basic " + base64.b64encode(b"ann:secret").decode()
CASES = [
    ("/bearer", {}),
    ("/bearer", {"authorization": "Bearer tok"}),
    ("/bearer", {"authorization": "Basic tok"}),
    ("/bearer", {"authorization": "Bearer"}),
    ("/key", {}),
    ("/key", {"x-key": "v"}),
    ("/optional", {}),
    ("/optional?k=1", {}),
    ("/cookie", {}),
    ("/cookie", {"cookie": "session=s"}),
    ("/oauth", {}),
    ("/oauth", {"authorization": "Bearer z"}),
    ("/oauth", {"authorization": "bearer z"}),
    ("/basic", {}),
    ("/basic", {"authorization": BASIC}),
    ("/basic", {"authorization": "Basic !!!"}),
    ("/basic", {"authorization": "Basic " + base64.b64encode(b"no-colon").decode()}),
]


def outcome(client: Any, path: str, headers: dict[str, str]) -> tuple[Any, ...]:
    try:
        with client.websocket_connect(path, headers=headers) as websocket:
            return ("message", websocket.receive_text())
    except WebSocketDenialResponse as denied:
        return ("denied", denied.status_code, denied.content, sorted(denied.headers.items()))
    except WebSocketDisconnect as closed:
        return ("closed", closed.code, closed.reason)


@pytest.mark.parametrize(("path", "headers"), CASES)
def test_the_same_answer_as_fastapi(path: str, headers: dict[str, str]) -> None:
    ours = outcome(TestClient(build(accord)), path, headers)
    theirs = outcome(FastAPIClient(build(fastapi)), path, headers)
    assert ours == theirs


def test_a_good_credential_reaches_the_endpoint_and_a_missing_one_is_denied() -> None:
    client = TestClient(build(accord))
    assert outcome(client, "/basic", {"authorization": BASIC}) == ("message", "ann")
    denied = outcome(client, "/basic", {})
    assert denied[:2] == ("denied", 401)
    assert ("www-authenticate", 'Basic realm="chat"') in denied[3]
