from typing import Annotated

from pydantic import BaseModel, Field

from accord import Accord, Depends, HTTPException

app = Accord(title="Orders")


class OrderIn(BaseModel):
    customer: str
    amount_cents: int = Field(gt=0)


class Order(OrderIn):
    id: int


ORDERS: dict[int, Order] = {}


def get_store() -> dict[int, Order]:
    return ORDERS


Store = Annotated[dict[int, Order], Depends(get_store)]


@app.post("/orders", status_code=201)
def create_order(order: OrderIn, store: Store) -> Order:
    created = Order(id=len(store) + 1, **order.model_dump())
    store[created.id] = created
    return created


@app.get("/orders/{order_id}")
def read_order(order_id: int, store: Store) -> Order:
    if order_id not in store:
        raise HTTPException(status_code=404, detail="Order not found")
    return store[order_id]
