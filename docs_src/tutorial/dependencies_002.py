from collections.abc import Iterator
from typing import Annotated

from accord import Depends, FastAPI, HTTPException

app = FastAPI(title="Bookshop")
events: list[str] = []


class Session:
    """Stands in for a database session."""

    rows = {1: "Dune", 2: "Emma"}


class BookRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def title(self, book_id: int) -> str | None:
        return self.session.rows.get(book_id)


def get_session() -> Iterator[Session]:
    events.append("session: open")
    try:
        yield Session()
    except HTTPException as exc:
        events.append(f"session: rollback after {exc.status_code}")
        raise
    finally:
        events.append("session: close")


def get_repository(
    session: Annotated[Session, Depends(get_session)],
) -> Iterator[BookRepository]:
    events.append("repository: ready")
    yield BookRepository(session)
    events.append("repository: done")


@app.get("/books/{book_id}")
def read_book(
    book_id: int, books: Annotated[BookRepository, Depends(get_repository)]
) -> dict[str, str]:
    events.append("endpoint")
    title = books.title(book_id)
    if title is None:
        raise HTTPException(status_code=404, detail="No such book")
    return {"title": title}
