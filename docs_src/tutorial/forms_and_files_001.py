from typing import Annotated

from pydantic import BaseModel, Field

from accord import FastAPI, Form

app = FastAPI(title="Bookshop")


@app.post("/newsletter")
def subscribe(
    email: Annotated[str, Form(pattern=r"^[^@\s]+@[^@\s]+$")],
    topics: Annotated[list[str], Form()],
) -> dict[str, object]:
    return {"email": email, "topics": topics}


class ReviewForm(BaseModel):
    model_config = {"extra": "forbid"}

    book_id: int
    stars: int = Field(ge=1, le=5)
    text: str = ""


@app.post("/reviews")
def post_review(review: Annotated[ReviewForm, Form()]) -> ReviewForm:
    return review
