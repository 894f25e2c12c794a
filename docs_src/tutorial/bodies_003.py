from typing import Annotated

from pydantic import BaseModel, Field

from accord import Body, FastAPI

app = FastAPI(title="Bookshop")


class Book(BaseModel):
    title: str
    price: float = Field(gt=0)


class Editor(BaseModel):
    name: str


class Discount(BaseModel):
    percent: int = Field(ge=1, le=90)


@app.put("/books/{book_id}")
def edit_book(
    book_id: int,
    book: Book,
    editor: Editor,
    reason: Annotated[str, Body(max_length=200)],
) -> dict[str, object]:
    return {
        "book_id": book_id,
        "title": book.title,
        "by": editor.name,
        "reason": reason,
    }


@app.post("/books/{book_id}/discount")
def discount_book(
    book_id: int, discount: Annotated[Discount, Body(embed=True)]
) -> Discount:
    return discount
