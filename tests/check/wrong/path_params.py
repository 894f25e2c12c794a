from typing import Annotated

from accord import Accord, APIRouter, Path, Request

app = Accord()
tenants = APIRouter(prefix="/tenants/{tenant}")


@tenants.get("/orders/{order_id}")
def order(order_id: int) -> None: ...


@app.get("/items")
def items(item_id: Annotated[int, Path()]) -> None: ...


@app.get("/proxy/{rest:path}")  # silent: it reads request.path_params itself
def proxy(request: Request) -> None: ...


app.include_router(tenants)
