from accord import Accord

app = Accord()


@app.get("/orders", operation_id="list_orders")
def orders() -> None: ...


@app.get("/archive", operation_id="list_orders")
def archive() -> None: ...
