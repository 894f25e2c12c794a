from pydantic import BaseModel

from accord import FastAPI

app = FastAPI(title="Bookshop")


class Book(BaseModel):
    title: str
    price: float
    discount: float = 0.0
    tags: list[str] = []
    note: str | None = None


BOOKS = {
    "dune": {"title": "Dune", "price": 9.5},
    "emma": {"title": "Emma", "price": 7.0, "discount": 0.0, "tags": ["classic"]},
}


@app.get("/books/{slug}", response_model=Book, response_model_exclude_unset=True)
def read_book(slug: str) -> dict[str, object]:
    return BOOKS[slug]


@app.get(
    "/books/{slug}/full", response_model=Book, response_model_exclude_none=True
)
def read_book_full(slug: str) -> dict[str, object]:
    return BOOKS[slug]
