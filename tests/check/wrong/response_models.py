from typing import Any

from pydantic import BaseModel

from accord import Accord

app = Accord()


class Item(BaseModel):
    id: int
    name: str


class Summary(BaseModel):
    id: int


class ItemIn(BaseModel):
    name: str
    password: str


@app.get("/items", response_model=list[Item])
def items() -> Item:
    return Item(id=1, name="x")


@app.get("/count", response_model=str)
def count() -> int:
    return 3


@app.post("/items", response_model=Item)
def create(item: ItemIn) -> ItemIn:
    return item


@app.get("/maybe", response_model=Item)
def maybe() -> Item | None:
    return None


@app.get("/summary", response_model=Summary)  # silent: Item has every field Summary needs
def summary() -> Item:
    return Item(id=1, name="x")


@app.get("/number", response_model=int)  # silent: "3" is a valid int in lax mode
def number() -> str:
    return "3"


@app.get("/filtered", response_model=Summary)  # silent: `Any` says nothing
def filtered() -> Any:
    return {"id": 1}
