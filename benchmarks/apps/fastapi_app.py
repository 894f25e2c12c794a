"""The benchmark endpoints as an ordinary FastAPI app, written the way FastAPI's docs show.

This file is also the Accord app: ``benchmarks.apps.load_module("accord", ...)`` runs this
very source with ``fastapi`` replaced by ``accord`` in its import lines and nothing else, so
the two can never drift apart.
"""

from collections.abc import AsyncIterator, Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Header, HTTPException, Query
from fastapi.responses import PlainTextResponse

from benchmarks.apps.models import (
    HELLO,
    ITEM_ROWS,
    SETTINGS,
    Item,
    OrderIn,
    OrderPublic,
    Profile,
    Session,
    Settings,
    UserInDB,
    store_order,
)

app = FastAPI()

# Plain endpoints carry no return annotation, as in FastAPI's tutorial: FastAPI would turn one
# into a response model and validate every response against it.


# 1. plaintext and JSON
@app.get("/plaintext", response_class=PlainTextResponse)
async def plaintext():
    return HELLO


@app.get("/json")
async def json_message():
    return {"message": HELLO}


# 2. path and query validation
@app.get("/items/{item_id}")
async def read_item(
    item_id: int,
    q: str | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
):
    return {"item_id": item_id, "q": q, "limit": limit}


# 3. nested body in, public model out
@app.post("/orders", status_code=201, response_model=OrderPublic)
async def create_order(order: OrderIn) -> Any:
    return store_order(order)


# 4. a three-level dependency chain: settings -> session (yield) -> current user (header)
async def get_settings() -> Settings:
    return SETTINGS


async def get_session(
    settings: Annotated[Settings, Depends(get_settings)],
) -> AsyncIterator[Session]:
    session = Session(settings)
    try:
        yield session
    finally:
        session.close()


async def get_current_user(
    session: Annotated[Session, Depends(get_session)],
    x_token: Annotated[str, Header()],
) -> UserInDB:
    user = session.user_for_token(x_token)
    if user is None:
        raise HTTPException(status_code=401, detail="Invalid token")
    return user


@app.get("/users/{user_id}/profile", response_model=Profile)
async def read_profile(user_id: int, user: Annotated[UserInDB, Depends(get_current_user)]) -> Any:
    if user.id != user_id:
        raise HTTPException(status_code=403, detail="Not your profile")
    return user


# 4b. the same chain with plain (sync) functions
def get_settings_sync() -> Settings:
    return SETTINGS


def get_session_sync(
    settings: Annotated[Settings, Depends(get_settings_sync)],
) -> Iterator[Session]:
    session = Session(settings)
    try:
        yield session
    finally:
        session.close()


def get_current_user_sync(
    session: Annotated[Session, Depends(get_session_sync)],
    x_token: Annotated[str, Header()],
) -> UserInDB:
    user = session.user_for_token(x_token)
    if user is None:
        raise HTTPException(status_code=401, detail="Invalid token")
    return user


@app.get("/users/{user_id}/profile-sync", response_model=Profile)
async def read_profile_sync(
    user_id: int, user: Annotated[UserInDB, Depends(get_current_user_sync)]
) -> Any:
    if user.id != user_id:
        raise HTTPException(status_code=403, detail="Not your profile")
    return user


# 5. 100 nested items filtered through a response model
@app.get("/list", response_model=list[Item])
async def list_items() -> Any:
    return ITEM_ROWS


# 6. the /json endpoint again, three routers deep
level3 = APIRouter()


@level3.get("/json")
async def nested_json():
    return {"message": HELLO}


level2 = APIRouter()
level2.include_router(level3, prefix="/r3")
level1 = APIRouter()
level1.include_router(level2, prefix="/r2")
app.include_router(level1, prefix="/r1")
