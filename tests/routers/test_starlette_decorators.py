"""The Starlette decorators FastAPI 0.163 still offers: `app.websocket_route`, `router.route`
and `router.websocket_route`; the same app on both frameworks answers the same. (As in FastAPI, the router's own prefix does not apply to these plain routes; the include's does.)"""

from typing import Any

import fastapi
import pytest
from fastapi.testclient import TestClient as FastAPIClient
from starlette.responses import PlainTextResponse
from starlette.websockets import WebSocketDisconnect

import accord
from accord.testclient import TestClient

FRAMEWORKS = [
    pytest.param((accord, TestClient), id="accord"),
    pytest.param((fastapi, FastAPIClient), id="fastapi"),
]


def build(fw: Any) -> Any:
    app = fw.FastAPI()
    router = fw.APIRouter(prefix="/r")

    @router.route("/plain", methods=["GET", "POST"], name="plain", include_in_schema=False)
    async def plain(request: Any) -> PlainTextResponse:
        return PlainTextResponse(f"{request.method} {request.url.path}")

    @router.websocket_route("/ws", name="router_ws")
    async def router_ws(websocket: Any) -> None:
        await websocket.accept()
        await websocket.send_text("router " + await websocket.receive_text())
        await websocket.close()

    @app.websocket_route("/ws", name="app_ws")
    async def app_ws(websocket: Any) -> None:
        await websocket.accept()
        await websocket.send_text("app " + await websocket.receive_text())
        await websocket.close(code=4001)

    app.include_router(router, prefix="/v1")
    return app


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_the_decorators_register_working_routes(framework: Any) -> None:
    fw, client_class = framework
    app = build(fw)
    client = client_class(app)
    assert client.get("/v1/plain").text == "GET /v1/plain"
    assert client.post("/v1/plain").text == "POST /v1/plain"
    assert client.put("/v1/plain").status_code == 405
    assert client.get("/v1/plain/extra").status_code == 404
    with client.websocket_connect("/v1/ws") as ws:
        ws.send_text("hi")
        assert ws.receive_text() == "router hi"
    with client.websocket_connect("/ws") as ws:
        ws.send_text("hi")
        assert ws.receive_text() == "app hi"
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_text()
        assert closed.value.code == 4001
    assert app.url_path_for("app_ws") == "/ws"
    assert "/v1/plain" not in client.get("/openapi.json").json()["paths"]


def test_both_frameworks_answer_alike() -> None:
    answers = []
    for fw, client_class in ((accord, TestClient), (fastapi, FastAPIClient)):
        client = client_class(build(fw))
        answers.append(
            [
                (r.status_code, r.text, sorted(r.headers.items()))
                for r in (
                    client.get("/v1/plain"),
                    client.delete("/v1/plain"),
                    client.get("/ws"),
                    client.get("/openapi.json"),
                )
            ]
        )
    assert answers[0] == answers[1]
