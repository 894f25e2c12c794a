from typing import Annotated, Literal

from pydantic import BaseModel, Field

from accord import FastAPI, Header, Query

app = FastAPI(title="Bookshop")


class CatalogueFilter(BaseModel):
    model_config = {"extra": "forbid"}

    page: int = Field(1, ge=1)
    size: int = Field(20, ge=1, le=100)
    sort: Literal["title", "price"] = "title"
    tag: list[str] = []


class ClientHeaders(BaseModel):
    user_agent: str
    x_shop_region: str = "eu"


@app.get("/books")
def list_books(filters: Annotated[CatalogueFilter, Query()]) -> CatalogueFilter:
    return filters


@app.get("/whoami")
def who_am_i(headers: Annotated[ClientHeaders, Header()]) -> ClientHeaders:
    return headers
