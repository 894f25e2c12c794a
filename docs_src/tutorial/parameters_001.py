from accord import FastAPI

app = FastAPI(title="Bookshop")

BOOKS = {
    1: {"title": "Dune", "author": "Frank Herbert"},
    2: {"title": "Emma", "author": "Jane Austen"},
}


@app.get("/books/latest")
def latest_book() -> dict[str, object]:
    return {"book_id": max(BOOKS), **BOOKS[max(BOOKS)]}


@app.get("/books/{book_id}")
def read_book(
    book_id: int, currency: str = "EUR", with_reviews: bool = False
) -> dict[str, object]:
    return {
        "book_id": book_id,
        "title": BOOKS.get(book_id, {}).get("title"),
        "currency": currency,
        "with_reviews": with_reviews,
    }


@app.get("/authors/{name}/books")
def books_by(name: str, limit: int | None = None) -> list[str]:
    titles = [book["title"] for book in BOOKS.values() if book["author"] == name]
    return titles[:limit]
