from pydantic import BaseModel, Field

from accord import FastAPI, Request
from accord.exceptions import RequestValidationError
from accord.responses import JSONResponse

app = FastAPI(title="Bookshop")


class Review(BaseModel):
    stars: int = Field(ge=1, le=5)
    text: str = Field(max_length=500)


@app.exception_handler(RequestValidationError)
async def friendly_validation_errors(
    request: Request, exc: RequestValidationError
) -> JSONResponse:
    problems = [
        {
            "field": ".".join(str(part) for part in error["loc"][1:]),
            "problem": error["msg"],
        }
        for error in exc.errors()
    ]
    return JSONResponse(status_code=400, content={"problems": problems})


@app.post("/books/{book_id}/reviews", status_code=201)
def add_review(book_id: int, review: Review) -> Review:
    return review
