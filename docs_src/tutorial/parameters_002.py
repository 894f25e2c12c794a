from typing import Annotated

from accord import FastAPI, Path, Query

app = FastAPI(title="Bookshop")


@app.get("/books/{book_id}")
def read_book(
    book_id: Annotated[int, Path(ge=1, title="The book's number")],
) -> dict[str, int]:
    return {"book_id": book_id}


@app.get("/search")
def search(
    q: Annotated[
        str, Query(min_length=2, max_length=50, description="Words in the title")
    ],
    page: Annotated[int, Query(ge=1)] = 1,
    tag: Annotated[list[str] | None, Query()] = None,
    in_stock: Annotated[bool | None, Query(alias="in-stock")] = None,
) -> dict[str, object]:
    return {"q": q, "page": page, "tags": tag or [], "in_stock": in_stock}
