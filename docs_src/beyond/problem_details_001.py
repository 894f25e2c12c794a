from accord import Accord, HTTPException

app = Accord(error_format="problem")


@app.get("/orders/{order_id}", responses={404: {"description": "No such order"}})
async def read_order(order_id: int) -> dict[str, int]:
    if order_id != 1:
        raise HTTPException(404, "No such order")
    return {"id": order_id}


@app.post("/orders/{order_id}/pay")
async def pay(order_id: int) -> None:
    raise HTTPException(
        403,
        {"type": "https://example.com/probs/out-of-credit", "title": "Not enough credit",
         "balance": 30},
    )
