"""WebSocket routes: parameters, dependencies, errors and close codes.

An app module: ``tests/streaming/_compare.py`` loads it on FastAPI and on Accord through
``tests/oracle.py``. ``LOG`` records what the dependencies and endpoints saw.
"""

from typing import Annotated, Any

import fw

app = fw.FastAPI()
router = fw.APIRouter(prefix="/room")
LOG: list[str] = []


async def session(token: Annotated[str, fw.Header()] = "none") -> Any:
    LOG.append("session open")
    try:
        yield f"user-{token}"
    finally:
        LOG.append("session closed")


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
        LOG.append(f"disconnect {exc.code}")


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
