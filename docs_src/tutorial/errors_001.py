from accord import FastAPI, HTTPException

app = FastAPI(title="Bookshop")

STOCK = {"dune": 3, "emma": 0}


@app.get("/books/{slug}/stock")
def read_stock(slug: str) -> dict[str, int]:
    if slug not in STOCK:
        raise HTTPException(status_code=404, detail=f"No book called {slug!r}")
    return {"copies": STOCK[slug]}


@app.post("/books/{slug}/reserve")
def reserve(slug: str, copies: int = 1) -> dict[str, int]:
    available = STOCK.get(slug, 0)
    if copies > available:
        raise HTTPException(
            status_code=409,
            detail={"reason": "not enough copies", "available": available},
            headers={"Retry-After": "3600"},
        )
    STOCK[slug] = available - copies
    return {"left": STOCK[slug]}
