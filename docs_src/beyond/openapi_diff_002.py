from pydantic import BaseModel

from accord import Accord

app = Accord(title="Orders", version="1.5.0")


class Order(BaseModel):
    id: int
    status: str | None = None  # now optional: clients that read it may meet null


@app.get("/orders/{order_id}")
async def read_order(order_id: int, expand: bool = False) -> Order:  # a new optional parameter
    return Order(id=order_id)


# DELETE /orders/{order_id} is gone
