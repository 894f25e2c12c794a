from typing import Annotated

from pydantic import BaseModel

from accord import Accord, Body, Depends

app = Accord()


class Filters(BaseModel):
    name: str


def paging(page: Filters) -> Filters:
    return page


@app.get("/search")
def search(filters: Filters, p: Annotated[Filters, Depends(paging)]) -> None: ...


@app.delete("/items")
def delete_items(ids: list[int]) -> None: ...


@app.get("/explicit")  # silent: the body is declared on purpose
def explicit(filters: Annotated[Filters, Body()]) -> None: ...
