from typing import Annotated

from accord import Depends, FastAPI, HTTPException, Security
from accord.security import APIKeyHeader

API_KEYS = {"k-warehouse-1": "warehouse", "k-till-7": "till"}

api_key = APIKeyHeader(
    name="X-API-Key", description="A key issued to a shop system"
)
app = FastAPI(title="Bookshop")


def client_name(key: Annotated[str, Security(api_key)]) -> str:
    if key not in API_KEYS:
        raise HTTPException(status_code=403, detail="Unknown API key")
    return API_KEYS[key]


@app.post("/stock/{book_id}")
def restock(
    book_id: int, count: int, client: Annotated[str, Depends(client_name)]
) -> dict[str, object]:
    return {"book_id": book_id, "added": count, "by": client}
