from typing import Annotated

from accord import (
    Depends,
    FastAPI,
    Query,
    WebSocket,
    WebSocketDisconnect,
    WebSocketException,
    status,
)

app = FastAPI(title="Bookshop")
CUSTOMERS = {"t-ada": "ada", "t-bob": "bob"}
closed: list[str] = []


def customer(token: Annotated[str | None, Query()] = None) -> str:
    if token not in CUSTOMERS:
        raise WebSocketException(
            code=status.WS_1008_POLICY_VIOLATION, reason="Unknown token"
        )
    return CUSTOMERS[token]


@app.websocket("/orders/{order_id}/chat")
async def order_chat(
    websocket: WebSocket, order_id: int, name: Annotated[str, Depends(customer)]
) -> None:
    await websocket.accept()
    await websocket.send_json({"order": order_id, "hello": name})
    try:
        while True:
            question = await websocket.receive_text()
            await websocket.send_json(
                {"order": order_id, "answer": f"About {question!r}: soon."}
            )
    except WebSocketDisconnect:
        closed.append(f"{name} left order {order_id}")
