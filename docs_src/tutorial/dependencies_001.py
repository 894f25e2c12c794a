from typing import Annotated

from accord import Depends, FastAPI, Query

app = FastAPI(title="Bookshop")

TITLES = ["Dune", "Emma", "Ulysses", "Beloved", "Middlemarch", "Dracula"]


class Page:
    def __init__(
        self, offset: int = 0, limit: Annotated[int, Query(ge=1, le=50)] = 3
    ) -> None:
        self.offset = offset
        self.limit = limit

    def of(self, items: list[str]) -> list[str]:
        return items[self.offset : self.offset + self.limit]


def search_words(q: str | None = None) -> list[str]:
    return q.lower().split() if q else []


PageDep = Annotated[Page, Depends()]
Words = Annotated[list[str], Depends(search_words)]


@app.get("/books")
def list_books(page: PageDep, words: Words) -> list[str]:
    found = [t for t in TITLES if not words or any(w in t.lower() for w in words)]
    return page.of(found)


@app.get("/authors")
def list_authors(page: PageDep) -> list[str]:
    return page.of(["Herbert", "Austen", "Joyce", "Morrison"])
