from accord import Accord, Header

app = Accord()


@app.get("/items")
def items(q: str = None, x_token: str = Header(None), ok: str | None = None) -> None: ...  # type: ignore[assignment]
