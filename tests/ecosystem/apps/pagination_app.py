"""fastapi-pagination on Accord: a paginated list of SQLite rows through SQLAlchemy.

Run as a script (the alias on from its first line); prints what the requests answered as JSON.
`add_pagination` appends a dependency to each paginated route's `dependant` and rebuilds its
handler, which Accord has to follow.
"""

import accord.as_fastapi  # noqa: F401, I001 - first: fastapi_pagination imports fastapi

import json
from collections.abc import Iterator

from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient
from fastapi_pagination import Page, add_pagination
from fastapi_pagination.ext.sqlalchemy import paginate
from fastapi_pagination.limit_offset import LimitOffsetPage
from pydantic import BaseModel, ConfigDict
from sqlalchemy import String, create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from sqlalchemy.pool import StaticPool


class Base(DeclarativeBase):
    pass


class Book(Base):
    __tablename__ = "books"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(50))


class BookOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    title: str


engine = create_engine(
    "sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool
)
Base.metadata.create_all(engine)
with Session(engine) as session:
    session.add_all(Book(id=i, title=f"Book {i:02d}") for i in range(1, 24))
    session.commit()


def get_session() -> Iterator[Session]:
    with Session(engine) as session:
        yield session


app = FastAPI()


@app.get("/books")
def list_books(session: Session = Depends(get_session)) -> Page[BookOut]:
    return paginate(session, select(Book).order_by(Book.id))


@app.get("/offset/books")
def offset_books(session: Session = Depends(get_session)) -> LimitOffsetPage[BookOut]:
    return paginate(session, select(Book).order_by(Book.id.desc()))


add_pagination(app)

with TestClient(app) as client:
    first = client.get("/books")
    third = client.get("/books", params={"page": 3, "size": 10})
    offset = client.get("/offset/books", params={"limit": 2, "offset": 1})
    bad = client.get("/books", params={"size": 0})
    schema = app.openapi()

parameters = schema["paths"]["/books"]["get"]["parameters"]
print(json.dumps({
    "first": first.json(),
    "third": third.json(),
    "offset": offset.json(),
    "bad": [bad.status_code, [e["loc"] for e in bad.json()["detail"]]],
    "parameters": sorted(p["name"] for p in parameters),
    "framework": type(app).__module__.split(".")[0],
}))
