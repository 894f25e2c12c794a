from collections.abc import AsyncIterator, Iterator

from pydantic import BaseModel

from accord import FastAPI
from accord.responses import StreamingResponse

app = FastAPI(title="Bookshop")

BOOKS = [("Dune", 9.5), ("Emma", 7.0), ("Ulysses", 12.0)]


class Book(BaseModel):
    title: str
    price: float


@app.get("/export.csv")
def export_csv() -> StreamingResponse:
    def rows() -> Iterator[str]:
        yield "title,price\n"
        for title, price in BOOKS:
            yield f"{title},{price:.2f}\n"

    return StreamingResponse(
        rows(),
        media_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="books.csv"'},
    )


@app.get("/books/stream")
async def stream_books() -> AsyncIterator[Book]:
    for title, price in BOOKS:
        yield Book(title=title, price=price)
