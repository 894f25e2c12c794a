from pydantic import BaseModel

from accord import FastAPI, Response, status
from accord.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
)

app = FastAPI(title="Bookshop")


class Book(BaseModel):
    title: str
    price: float


SHELF: dict[int, Book] = {1: Book(title="Dune", price=9.5)}


@app.post("/books", status_code=status.HTTP_201_CREATED)
def add_book(book: Book, response: Response) -> Book:
    book_id = max(SHELF) + 1
    SHELF[book_id] = book
    response.headers["Location"] = f"/books/{book_id}"
    return book


@app.delete("/books/{book_id}", status_code=status.HTTP_204_NO_CONTENT)
def remove_book(book_id: int) -> None:
    SHELF.pop(book_id, None)


@app.get(
    "/books/{book_id}/price",
    response_model=None,
    responses={404: {"description": "No such book"}},
)
def read_price(book_id: int) -> JSONResponse | dict[str, float]:
    if book_id not in SHELF:
        return JSONResponse({"error": "no such book"}, status_code=404)
    return {"price": SHELF[book_id].price}


@app.get("/books/{book_id}/label", response_class=PlainTextResponse)
def print_label(book_id: int) -> str:
    book = SHELF[book_id]
    return f"{book.title} - EUR {book.price:.2f}"


@app.get("/books/{book_id}/card", response_class=HTMLResponse)
def book_card(book_id: int) -> str:
    return f"<article><h1>{SHELF[book_id].title}</h1></article>"


@app.get("/shop")
def shop_front() -> RedirectResponse:
    return RedirectResponse("/books/1/card")
