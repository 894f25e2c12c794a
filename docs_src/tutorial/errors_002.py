from starlette.exceptions import HTTPException as StarletteHTTPException

from accord import FastAPI, Request
from accord.exception_handlers import http_exception_handler
from accord.responses import JSONResponse, Response

app = FastAPI(title="Bookshop")
failures: list[str] = []


class OutOfPrint(Exception):
    def __init__(self, title: str) -> None:
        self.title = title


@app.exception_handler(OutOfPrint)
async def out_of_print_handler(request: Request, exc: OutOfPrint) -> JSONResponse:
    return JSONResponse(
        status_code=410,
        content={
            "error": "out_of_print",
            "title": exc.title,
            "path": request.url.path,
        },
    )


@app.exception_handler(StarletteHTTPException)
async def count_http_errors(
    request: Request, exc: StarletteHTTPException
) -> Response:
    failures.append(f"{exc.status_code} {request.url.path}")
    return await http_exception_handler(request, exc)


@app.get("/books/{title}/order")
def order(title: str) -> dict[str, str]:
    if title == "Cardenio":
        raise OutOfPrint(title)
    return {"ordered": title}
