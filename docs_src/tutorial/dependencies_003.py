import itertools
from typing import Annotated

from accord import Depends, FastAPI

app = FastAPI(title="Bookshop")
_numbers = itertools.count(1)


def next_number() -> int:
    return next(_numbers)


def audit_entry(number: Annotated[int, Depends(next_number)]) -> str:
    return f"audit #{number}"


@app.get("/orders/cached")
def cached(
    number: Annotated[int, Depends(next_number)],
    entry: Annotated[str, Depends(audit_entry)],
) -> dict[str, object]:
    return {"number": number, "entry": entry}


@app.get("/orders/fresh")
def fresh(
    first: Annotated[int, Depends(next_number)],
    second: Annotated[int, Depends(next_number, use_cache=False)],
) -> dict[str, int]:
    return {"first": first, "second": second}
