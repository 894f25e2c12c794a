from pydantic import BaseModel

from accord import FastAPI

app = FastAPI(title="Bookshop")


class BookIn(BaseModel):
    title: str
    price: float
    supplier_cost: float


class BookOut(BaseModel):
    id: int
    title: str
    price: float


class StockedBook(BookOut):
    supplier_cost: float
    shelf: str


CATALOGUE = {
    1: StockedBook(id=1, title="Dune", price=9.5, supplier_cost=4.1, shelf="B3")
}


@app.post("/books", response_model=BookOut)
def add_book(book: BookIn) -> dict[str, object]:
    new_id = max(CATALOGUE) + 1
    return {"id": new_id, **book.model_dump()}


@app.get("/books/{book_id}")
def read_book(book_id: int) -> BookOut:
    return CATALOGUE[book_id]


@app.get("/books", response_model=list[BookOut])
def list_books() -> list[StockedBook]:
    return list(CATALOGUE.values())
