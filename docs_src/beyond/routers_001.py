from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware

from accord import Accord, APIRouter, Request
from accord.responses import JSONResponse

EVENTS: list[str] = []


@asynccontextmanager
async def payment_provider(app: Accord) -> AsyncIterator[dict[str, Any]]:
    EVENTS.append("provider connected")
    try:
        yield {"provider": "sandbox"}  # merged into request.state
    finally:
        EVENTS.append("provider closed")


class CardDeclined(Exception):
    pass


class AuditMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next):
        response = await call_next(request)
        response.headers["x-audited"] = "payments"
        return response


async def card_declined(request: Request, exc: CardDeclined) -> JSONResponse:
    return JSONResponse({"detail": "card declined"}, status_code=402)


payments = APIRouter(
    prefix="/payments",
    lifespan=payment_provider,
    middleware=[Middleware(AuditMiddleware)],
    exception_handlers={CardDeclined: card_declined},
)


@payments.post("/{amount}")
async def pay(amount: int, request: Request) -> dict[str, Any]:
    if amount > 100:
        raise CardDeclined()
    return {"paid": amount, "via": request.state.provider}


app = Accord()
app.include_router(payments)


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}  # not under the router: no audit header, no payment handler
