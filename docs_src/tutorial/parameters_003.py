from typing import Annotated

from accord import Cookie, FastAPI, Header

app = FastAPI(title="Bookshop")


@app.get("/basket")
def read_basket(
    basket_id: Annotated[str | None, Cookie()] = None,
    accept_language: Annotated[str, Header()] = "en",
    x_gift_wrap: Annotated[list[str] | None, Header()] = None,
) -> dict[str, object]:
    return {
        "basket_id": basket_id,
        "language": accept_language,
        "gift_wrap": x_gift_wrap or [],
    }
