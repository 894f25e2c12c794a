from typing import Annotated

from pydantic import BaseModel

from accord import Depends, FastAPI, Header, HTTPException


class Wish(BaseModel):
    title: str


class WishStore:
    """Stands in for a database table of wishlists."""

    def __init__(self) -> None:
        self.wishes: dict[str, list[str]] = {}

    def add(self, customer: str, title: str) -> list[str]:
        self.wishes.setdefault(customer, []).append(title)
        return self.wishes[customer]


_store = WishStore()


def get_store() -> WishStore:
    return _store


def current_customer(x_customer: Annotated[str | None, Header()] = None) -> str:
    if x_customer is None:
        raise HTTPException(status_code=401, detail="Who are you?")
    return x_customer


app = FastAPI(title="Bookshop")


@app.post("/wishlist", status_code=201)
def add_wish(
    wish: Wish,
    customer: Annotated[str, Depends(current_customer)],
    store: Annotated[WishStore, Depends(get_store)],
) -> list[str]:
    return store.add(customer, wish.title)
