"""The app under attack: one route per input kind, small echoing endpoints."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field

from accord import Accord, Body, File, Form, Header, Query, UploadFile


class Item(BaseModel):
    name: Annotated[str, Field(max_length=100)]
    count: Annotated[int, Field(le=10**6)] = 0
    price: Annotated[float, Field(le=1e6)] = 0.0


class Note(BaseModel):
    text: str


def build() -> Accord:
    app = Accord()

    @app.post("/item")
    def item(body: Item) -> Item:
        return body

    @app.post("/note")
    def note(body: Note) -> Note:
        return body

    @app.post("/any")
    def anything(body: Annotated[Any, Body()] = None) -> Any:
        return body

    @app.post("/json-dict")
    def json_dict(body: dict[str, int]) -> dict[str, int]:
        return body

    @app.get("/query")
    def query(n: int = 0, tags: Annotated[list[int], Query()] = []) -> dict[str, int]:
        return {"n": n, "tags": len(tags)}

    @app.get("/text")
    def text(q: str = "") -> dict[str, int]:
        return {"length": len(q)}

    @app.get("/path/{value}")
    def path(value: str) -> dict[str, str]:
        return {"value": value}

    @app.get("/number/{value}")
    def number(value: int) -> dict[str, int]:
        return {"value": value}

    @app.get("/header")
    def header(
        x_token: Annotated[str, Header()] = "", x_count: Annotated[int, Header()] = 0
    ) -> dict[str, Any]:
        return {"token": x_token, "count": x_count}

    @app.post("/form")
    def form(
        name: Annotated[str, Form()], tags: Annotated[list[str], Form()] = []
    ) -> dict[str, int]:
        return {"tags": len(tags)}

    @app.post("/upload")
    async def upload(
        file: UploadFile, files: Annotated[list[bytes], File()] = []
    ) -> dict[str, int]:
        return {"size": len(await file.read())}

    @app.get("/nobody")
    def nobody() -> dict[str, bool]:
        return {"ok": True}

    return app
