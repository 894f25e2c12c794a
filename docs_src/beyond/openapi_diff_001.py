from pydantic import BaseModel

from accord import Accord

app = Accord(title="Orders", version="1.4.0")


class Order(BaseModel):
    id: int
    status: str


@app.get("/orders/{order_id}")
async def read_order(order_id: int) -> Order:
    return Order(id=order_id, status="open")


@app.delete("/orders/{order_id}", status_code=204)
async def cancel_order(order_id: int) -> None:
    return None
