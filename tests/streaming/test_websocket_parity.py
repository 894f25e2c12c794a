"""WebSocket routes compared with FastAPI: parameters, dependencies, errors and close codes."""

# No `from __future__ import annotations`: the endpoints annotate with `fw.` names local to build().

from types import ModuleType
from typing import Annotated, Any

import pytest
from starlette.testclient import TestClient, WebSocketDenialResponse

from ._compare import FRAMEWORKS

LOG: dict[str, list[str]] = {}


def build(fw: ModuleType) -> Any:
    app = fw.FastAPI()
    router = fw.APIRouter(prefix="/room")
    log = LOG.setdefault(fw.__name__, [])

    async def session(token: Annotated[str, fw.Header()] = "none") -> Any:
        log.append("session open")
        try:
            yield f"user-{token}"
        finally:
            log.append("session closed")

    def api_key(key: Annotated[str | None, fw.Query()] = None) -> str:
        if key == "bad":
            raise fw.WebSocketException(code=fw.status.WS_1008_POLICY_VIOLATION, reason="key")
        return key or "anonymous"

    @app.websocket("/items/{item_id}")
    async def items(
        websocket: fw.WebSocket,
        item_id: int,
        q: int,
        user: Annotated[str, fw.Depends(session)],
        key: Annotated[str, fw.Security(api_key, scopes=["items"])],
        flavour: Annotated[str | None, fw.Cookie()] = None,
    ) -> None:
        await websocket.accept()
        await websocket.send_json(
            {"item_id": item_id, "q": q, "user": user, "key": key, "flavour": flavour}
        )
        await websocket.close(code=1000, reason="done")

    @app.websocket("/echo")
    async def echo(websocket: fw.WebSocket) -> None:
        await websocket.accept()
        try:
            while True:
                text = await websocket.receive_text()
                if text == "fail":
                    raise fw.WebSocketException(code=1013, reason="try later")
                await websocket.send_text(text.upper())
        except fw.WebSocketDisconnect as exc:
            log.append(f"disconnect {exc.code}")

    @app.websocket("/denied")
    async def denied(websocket: fw.WebSocket) -> None:
        raise fw.HTTPException(status_code=403, detail="nope")

    def real_dependency() -> str:
        return "real"

    @router.websocket("/{name}")
    async def room(websocket: fw.WebSocket, name: str, dep: str = fw.Depends(real_dependency)):
        await websocket.accept()
        await websocket.send_text(f"{name}:{dep}")
        await websocket.close()

    app.include_router(router, prefix="/v1")
    app.state.real_dependency = real_dependency
    return app


def run(client: TestClient, url: str, sent: list[str], **kwargs: Any) -> list[Any]:
    """Everything the client saw: messages, then the close code and reason, or a denial."""
    seen: list[Any] = []
    try:
        with client.websocket_connect(url, **kwargs) as ws:
            for text in sent:
                ws.send_text(text)
            while True:
                message = ws.receive()
                seen.append((message["type"], message.get("text"), message.get("code")))
                if message["type"] == "websocket.close":
                    seen.append(message.get("reason"))
                    break
    except WebSocketDenialResponse as denial:
        seen.append(("denied", denial.status_code, denial.content))
    except Exception as exc:  # the app ended the session the way this framework does
        seen.append(
            ("raised", type(exc).__name__, getattr(exc, "code", None), getattr(exc, "reason", ""))
        )
    return seen


CASES = [
    ("/items/3?q=5", [], {"headers": {"token": "t"}, "cookies": None}),
    ("/items/3?q=5&key=k", [], {"headers": {"token": "t", "cookie": "flavour=mint"}}),
    ("/items/x?q=y", [], {}),
    ("/items/3", [], {}),
    ("/items/3?q=5&key=bad", [], {}),
    ("/echo", ["a", "b", "fail"], {}),
    ("/denied", [], {}),
    ("/v1/room/lobby", [], {}),
]


@pytest.mark.parametrize(("url", "sent", "kwargs"), CASES, ids=[c[0] for c in CASES])
def test_session_matches_fastapi(url: str, sent: list[str], kwargs: dict[str, Any]) -> None:
    kwargs = {k: v for k, v in kwargs.items() if v is not None}
    outcomes = []
    for fw in FRAMEWORKS:
        LOG[fw.__name__] = []
        client = TestClient(build(fw))
        outcomes.append((run(client, url, sent, **kwargs), LOG[fw.__name__]))
    ours, theirs = outcomes
    assert ours == theirs
    assert ours[0], "the session produced nothing to compare"


def test_validation_error_closes_with_1008_and_the_errors() -> None:
    for fw in FRAMEWORKS:
        [(kind, name, code, reason)] = run(TestClient(build(fw)), "/items/x?q=5", [])
        assert (kind, name, code) == ("raised", "WebSocketDisconnect", 1008), fw.__name__
        assert [(e["type"], e["loc"]) for e in reason] == [("int_parsing", ["path", "item_id"])]


def test_client_disconnect_reaches_the_endpoint_then_teardown() -> None:
    for fw in FRAMEWORKS:
        LOG[fw.__name__] = []
        with TestClient(build(fw)).websocket_connect("/echo") as ws:
            ws.send_text("hi")
            assert ws.receive_text() == "HI"
            ws.close(code=1001)
        assert LOG[fw.__name__] == ["disconnect 1001"], fw.__name__


def test_dependency_override_applies_to_websockets() -> None:
    for fw in FRAMEWORKS:
        app = build(fw)
        app.dependency_overrides[app.state.real_dependency] = lambda: "override"
        assert run(TestClient(app), "/v1/room/x", [])[0] == ("websocket.send", "x:override", None)
