"""One app, built on either framework, exercising every kind of telemetry FastAPI 0.163 emits.

`build(fw, telemetry)` takes the framework package (`accord` or `fastapi`) and the telemetry
settings; the routes are defined inside it so that both copies are independent and their
functions have the same qualified names (``code.function.name`` is compared).
"""

from typing import Any

from pydantic import BaseModel


class Item(BaseModel):
    name: str
    price: float


def build(fw: Any, telemetry: dict[str, Any]) -> Any:
    responses = __import__(f"{fw.__name__}.responses", fromlist=["StreamingResponse"])
    app = fw.FastAPI(telemetry=telemetry)
    done: list[str] = []

    def current_user(x_user: str = fw.Header("anonymous")) -> str:
        return x_user

    def notify(name: str) -> None:
        done.append(name)

    @app.get("/plain")
    async def plain() -> dict[str, str]:
        return {"hello": "world"}

    @app.get("/items/{item_id}")
    def read_item(item_id: int, q: str | None = None) -> dict[str, Any]:
        return {"item_id": item_id, "q": q}

    @app.post("/items")
    async def create_item(item: Item) -> Item:
        return item

    @app.get("/boom")
    async def boom() -> None:
        raise ValueError("exploded")

    @app.get("/missing")
    async def missing() -> None:
        raise fw.HTTPException(status_code=404, detail="nope")

    @app.get("/me")
    async def me(user: str = fw.Depends(current_user)) -> dict[str, str]:
        return {"user": user}

    @app.post("/notify/{name}", status_code=202)
    async def send_notification(name: str, tasks: fw.BackgroundTasks) -> dict[str, str]:
        tasks.add_task(notify, name)
        return {"queued": name}

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/stream")
    async def stream() -> Any:
        async def chunks() -> Any:
            for part in (b"a", b"b", b"c"):
                yield part

        return responses.StreamingResponse(chunks(), media_type="text/plain")

    @app.websocket("/ws/{room}")
    async def chat(websocket: fw.WebSocket, room: str) -> None:
        await websocket.accept()
        message = await websocket.receive_text()
        await websocket.send_text(f"{room}:{message}")
        await websocket.close()

    router = fw.APIRouter(prefix="/v1")

    @router.get("/orders/{order_id}")
    def read_order(order_id: int, user: str = fw.Depends(current_user)) -> dict[str, Any]:
        return {"order_id": order_id, "user": user}

    app.include_router(router)
    sub = fw.FastAPI()

    @sub.get("/status/{code}")
    async def status(code: int) -> dict[str, int]:
        return {"code": code}

    app.mount("/sub", sub)
    app.state.done = done
    return app
