import time

from pydantic import BaseModel

from accord import Accord

app = Accord()


class Filters(BaseModel):
    tag: str


@app.get("/items/{item_id}")
async def read_item(item_id: int) -> dict[str, int]:
    time.sleep(0.1)
    return {"item_id": item_id}


@app.get("/items/me")
async def read_me() -> dict[str, str]:
    return {"item_id": "me"}


@app.get("/search")
async def search(filters: Filters, q: str = None) -> list[str]:
    return []
