from pydantic import BaseModel

from accord import FastAPI

app = FastAPI(title="Bookshop")


class Book(BaseModel):
    title: str
    author: str
    price: float
    summary: str | None = None


@app.post("/books")
def add_book(book: Book) -> dict[str, object]:
    return {"added": book.title, "price_with_vat": round(book.price * 1.2, 2)}


@app.put("/books/{book_id}")
def replace_book(
    book_id: int, book: Book, notify: bool = False
) -> dict[str, object]:
    return {"book_id": book_id, "notify": notify, **book.model_dump()}
