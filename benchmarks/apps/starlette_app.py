"""The benchmark endpoints in plain Starlette, parsed and validated by hand.

This is the floor for any framework built on Starlette: the same rules as the Pydantic models
(same email validator, same bounds), without a framework's machinery. Sync dependencies run in
the thread pool, as FastAPI's semantics require, so the sync variant is a like-for-like floor.
Routes are listed flat (a framework may flatten included routers the same way).
"""

import json
from decimal import Decimal, InvalidOperation
from typing import Any

from email_validator import EmailNotValidError, validate_email
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from benchmarks.apps.models import HELLO, ITEM_ROWS, SETTINGS, Session, Settings, UserInDB


class Invalid(Exception):
    """A request that breaks a validation rule."""


def invalid(reason: str, status_code: int = 422) -> JSONResponse:
    return JSONResponse({"detail": reason}, status_code=status_code)


async def plaintext(request: Request) -> Response:
    return PlainTextResponse(HELLO)


async def json_message(request: Request) -> Response:
    return JSONResponse({"message": HELLO})


def parse_int(raw: str, name: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise Invalid(f"{name} must be an integer") from None


async def read_item(request: Request) -> Response:
    params = request.query_params
    try:
        item_id = parse_int(request.path_params["item_id"], "item_id")
        raw_limit = params.get("limit")
        limit = 10 if raw_limit is None else parse_int(raw_limit, "limit")
        if not 1 <= limit <= 100:
            raise Invalid("limit must be between 1 and 100")
    except Invalid as exc:
        return invalid(str(exc))
    return JSONResponse({"item_id": item_id, "q": params.get("q"), "limit": limit})


def parse_line(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise Invalid("line must be an object")
    sku, quantity, price = raw.get("sku"), raw.get("quantity"), raw.get("unit_price")
    if not isinstance(sku, str) or not 1 <= len(sku) <= 32:
        raise Invalid("sku must be a string of 1 to 32 characters")
    if type(quantity) is not int or quantity < 1:
        raise Invalid("quantity must be an integer >= 1")
    try:
        unit_price = Decimal(price if isinstance(price, str) else str(price))
    except InvalidOperation:
        raise Invalid("unit_price must be a decimal") from None
    if not unit_price > 0:
        raise Invalid("unit_price must be > 0")
    return {"sku": sku, "quantity": quantity, "unit_price": unit_price}


def parse_order(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise Invalid("body must be an object")
    email, currency, lines = raw.get("customer_email"), raw.get("currency"), raw.get("lines")
    if not isinstance(email, str):
        raise Invalid("customer_email must be a string")
    try:
        email = validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError:
        raise Invalid("customer_email is not a valid email address") from None
    if not (
        isinstance(currency, str)
        and len(currency) == 3
        and currency.isascii()
        and currency.isalpha()
        and currency.isupper()
    ):
        raise Invalid("currency must be three capital letters")
    if not isinstance(lines, list) or not lines:
        raise Invalid("lines must be a non-empty list")
    return {"customer_email": email, "currency": currency, "lines": [parse_line(x) for x in lines]}


async def create_order(request: Request) -> Response:
    try:
        order = parse_order(json.loads(await request.body()))
    except (Invalid, ValueError) as exc:
        return invalid(str(exc))
    lines = order["lines"]
    total = sum((line["unit_price"] * line["quantity"] for line in lines), Decimal(0))
    public_lines = [{**line, "unit_price": str(line["unit_price"])} for line in lines]
    body = {
        "id": 1001,
        "customer_email": order["customer_email"],
        "currency": order["currency"],
        "lines": public_lines,
        "total": str(total),
    }
    return JSONResponse(body, status_code=201)


def profile_response(user_id: int, user: UserInDB | None) -> Response:
    if user is None:
        return invalid("Invalid token", 401)
    if user.id != user_id:
        return invalid("Not your profile", 403)
    body = {
        "id": user.id,
        "username": user.username,
        "email": user.email,
        "full_name": user.full_name,
    }
    return JSONResponse(body)


async def read_profile(request: Request) -> Response:
    try:
        user_id = parse_int(request.path_params["user_id"], "user_id")
    except Invalid as exc:
        return invalid(str(exc))
    token = request.headers.get("x-token")
    if token is None:
        return invalid("x-token header is required")
    session = Session(SETTINGS)
    try:
        return profile_response(user_id, session.user_for_token(token))
    finally:
        session.close()


def get_settings_sync() -> Settings:
    return SETTINGS


async def read_profile_sync(request: Request) -> Response:
    try:
        user_id = parse_int(request.path_params["user_id"], "user_id")
    except Invalid as exc:
        return invalid(str(exc))
    token = request.headers.get("x-token")
    if token is None:
        return invalid("x-token header is required")
    settings = await run_in_threadpool(get_settings_sync)
    session = await run_in_threadpool(Session, settings)
    try:
        user = await run_in_threadpool(session.user_for_token, token)
        return profile_response(user_id, user)
    finally:
        await run_in_threadpool(session.close)


def public_item(row: dict[str, Any]) -> dict[str, Any]:
    dims = row["dimensions"]
    return {
        "id": row["id"],
        "name": row["name"],
        "price": row["price"],
        "in_stock": row["in_stock"],
        "tags": row["tags"],
        "dimensions": {"width": dims["width"], "height": dims["height"], "depth": dims["depth"]},
    }


async def list_items(request: Request) -> Response:
    return JSONResponse([public_item(row) for row in ITEM_ROWS])


app = Starlette(
    routes=[
        Route("/plaintext", plaintext),
        Route("/json", json_message),
        Route("/items/{item_id}", read_item),
        Route("/orders", create_order, methods=["POST"]),
        Route("/users/{user_id}/profile", read_profile),
        Route("/users/{user_id}/profile-sync", read_profile_sync),
        Route("/list", list_items),
        Route("/r1/r2/r3/json", json_message),
    ]
)
