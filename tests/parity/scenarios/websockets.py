"""WebSockets: echo, parameters and their validation, dependencies, exceptions, routers."""

from typing import Annotated

import fw

EVENTS: list[str] = []

app = fw.FastAPI()


@app.get("/events")
def read_events():
    events = list(EVENTS)
    EVENTS.clear()
    return events


@app.websocket("/echo")
async def echo(websocket: fw.WebSocket):
    await websocket.accept()
    while True:
        try:
            text = await websocket.receive_text()
        except fw.WebSocketDisconnect as exc:
            EVENTS.append(f"client left {exc.code}")
            return
        if text == "bye":
            await websocket.close(code=4000, reason="bye")
            return
        await websocket.send_text(f"echo: {text}")


@app.websocket("/json")
async def json_ws(websocket: fw.WebSocket):
    await websocket.accept(subprotocol="v1" if "v1" in websocket.scope["subprotocols"] else None)
    data = await websocket.receive_json()
    await websocket.send_json({"got": data, "type": type(data).__name__})
    await websocket.send_bytes(b"\x00bin")
    await websocket.close()


@app.websocket("/items/{item_id}")
async def item_ws(
    websocket: fw.WebSocket,
    item_id: int,
    q: int | None = None,
    token: Annotated[str | None, fw.Header()] = None,
    session: Annotated[str | None, fw.Cookie()] = None,
):
    await websocket.accept()
    await websocket.send_json({"item_id": item_id, "q": q, "token": token, "session": session})
    await websocket.close()


async def require_token(websocket: fw.WebSocket, token: str | None = None):
    if token != "secret":
        raise fw.WebSocketException(code=fw.status.WS_1008_POLICY_VIOLATION, reason="bad token")
    return token


async def yield_dep():
    EVENTS.append("dep enter")
    try:
        yield "resource"
    finally:
        EVENTS.append("dep exit")


@app.websocket("/guarded")
async def guarded(
    websocket: fw.WebSocket,
    token: Annotated[str, fw.Depends(require_token)],
    res: Annotated[str, fw.Depends(yield_dep)],
):
    await websocket.accept()
    await websocket.send_text(f"{token} {res}")
    await websocket.close()


@app.websocket("/http-exception")
async def http_exception_ws(websocket: fw.WebSocket):
    raise fw.HTTPException(403, "no websockets here")


@app.websocket("/crash")
async def crash(websocket: fw.WebSocket):
    await websocket.accept()
    raise RuntimeError("crash after accept")


@app.websocket("/close-early")
async def close_early(websocket: fw.WebSocket):
    await websocket.close(code=4403)


@app.websocket("/deny")
async def deny(websocket: fw.WebSocket):
    await websocket.send_denial_response(fw.responses.PlainTextResponse("denied", status_code=401))


router = fw.APIRouter(prefix="/r", dependencies=[fw.Depends(yield_dep)])


@router.websocket("/ws")
async def router_ws(websocket: fw.WebSocket, n: int = 0):
    await websocket.accept()
    await websocket.send_text(str(n * 2))
    await websocket.close()


app.include_router(router)
