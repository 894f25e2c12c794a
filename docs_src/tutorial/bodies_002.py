from typing import Literal

from pydantic import BaseModel, Field

from accord import FastAPI

app = FastAPI(title="Bookshop")


class Author(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    born: int | None = Field(None, ge=1000, le=2100)


class Edition(BaseModel):
    isbn: str = Field(
        pattern=r"^\d{13}$",
        description="ISBN-13, digits only",
        examples=["9780441013593"],
    )
    format: Literal["hardcover", "paperback", "ebook"] = "paperback"


class Book(BaseModel):
    title: str
    authors: list[Author] = Field(min_length=1)
    editions: list[Edition] = []
    tags: set[str] = set()


@app.post("/books")
def add_book(book: Book) -> Book:
    return book
