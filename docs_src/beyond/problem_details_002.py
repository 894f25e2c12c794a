from pydantic import BaseModel

from accord import Accord, Request
from accord.exceptions import RequestValidationError
from accord.responses import JSONResponse

app = Accord()


class ErrorReport(BaseModel):
    message: str
    fields: list[str]


@app.exception_handler(RequestValidationError, model=ErrorReport)
async def report(request: Request, exc: RequestValidationError) -> JSONResponse:
    fields = [str(error["loc"][-1]) for error in exc.errors()]
    return JSONResponse({"message": "invalid", "fields": fields}, status_code=422)


@app.get("/items")
async def items(limit: int) -> list[int]:
    return list(range(limit))
