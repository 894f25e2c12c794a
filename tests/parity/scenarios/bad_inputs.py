"""Bad inputs: malformed bodies, content types, encodings, extremes, nesting, odd queries."""

from typing import Annotated, Any

import fw
from pydantic import BaseModel, ConfigDict, Field


class Item(BaseModel):
    name: str
    count: int = 0
    price: float = 0.0
    active: bool = True
    tags: list[str] = []


class StrictItem(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    name: str
    count: int


class Node(BaseModel):
    value: int
    child: "Node | None" = None


class Bounded(BaseModel):
    small: int = Field(0, ge=-128, le=127)
    positive: float = Field(1.0, gt=0)
    text: str = Field("x", max_length=10)


app = fw.FastAPI()


@app.post("/item")
def post_item(item: Item):
    return item


@app.post("/item-optional")
def post_item_optional(item: Item | None = None):
    return {"item": item}


@app.post("/strict")
def post_strict(item: StrictItem):
    return item


@app.post("/node")
def post_node(node: Node):
    depth = 0
    while node is not None:
        depth += 1
        node = node.child
    return {"depth": depth}


@app.post("/any")
def post_any(payload: Annotated[Any, fw.Body()]):
    depth = 0
    while isinstance(payload, list) and payload:
        depth += 1
        payload = payload[0]
    return {"depth": depth, "leaf": payload}


@app.post("/echo")
def post_echo(payload: Annotated[Any, fw.Body()] = None):
    return {"payload": payload}


@app.post("/text")
def post_text(text: Annotated[str, fw.Body()]):
    return {"text": text, "len": len(text)}


@app.post("/bounded")
def post_bounded(value: Bounded):
    return value


@app.post("/ints")
def post_ints(values: list[int]):
    return {"n": len(values), "sum": sum(values)}


@app.get("/q")
def get_q(n: int = 0, f: float = 0.0, s: str = "", b: bool = False):
    return {"n": n, "f": f, "s": s, "b": b}


@app.get("/q-list")
def get_q_list(v: Annotated[list[str], fw.Query()] = []):
    return {"v": v}


@app.get("/path/{value}")
def get_path(value: str):
    return {"value": value}


@app.get("/header")
def get_header(x_text: Annotated[str | None, fw.Header()] = None):
    return {"x_text": x_text}
