from typing import Annotated

from accord import APIRouter, Depends, FastAPI, Header, HTTPException, Request

seen: list[str] = []


def record_visit(request: Request) -> None:
    seen.append(request.url.path)


def require_staff_key(x_staff_key: Annotated[str, Header()]) -> None:
    if x_staff_key != "open-sesame":
        raise HTTPException(status_code=403, detail="Staff only")


app = FastAPI(title="Bookshop", dependencies=[Depends(record_visit)])
staff = APIRouter(prefix="/staff", dependencies=[Depends(require_staff_key)])


@staff.delete("/books/{book_id}", status_code=204)
def withdraw_book(book_id: int) -> None:
    seen.append(f"withdrawn {book_id}")


@staff.get("/report")
def report() -> list[str]:
    return seen


app.include_router(staff)


@app.get("/books")
def list_books() -> list[str]:
    return ["Dune", "Emma"]
