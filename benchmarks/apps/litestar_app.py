"""The benchmark endpoints as a Litestar app, written the way Litestar's docs show.

Models are the same Pydantic models as in the FastAPI app (Litestar supports Pydantic as a
first-class modelling library), so all apps do the same validation work. Litestar has no
``response_model``: a handler returns the public model it declares.
"""

from collections.abc import AsyncGenerator, Generator
from typing import Annotated, Any

from litestar import Litestar, MediaType, Router, get, post
from litestar.di import NamedDependency, Provide
from litestar.exceptions import HTTPException
from litestar.params import FromPath, FromQuery, HeaderParameter, JSONBody, QueryParameter

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


@get("/plaintext", media_type=MediaType.TEXT)
async def plaintext() -> str:
    return HELLO


@get("/json")
async def json_message() -> dict[str, str]:
    return {"message": HELLO}


@get("/items/{item_id:int}")
async def read_item(
    item_id: FromPath[int],
    q: FromQuery[str | None] = None,
    limit: Annotated[int, QueryParameter(ge=1, le=100)] = 10,
) -> dict[str, Any]:
    return {"item_id": item_id, "q": q, "limit": limit}


@post("/orders")
async def create_order(data: JSONBody[OrderIn]) -> OrderPublic:
    record = store_order(data)
    return OrderPublic.model_validate(record, from_attributes=True)


async def get_settings() -> Settings:
    return SETTINGS


async def get_session(settings: NamedDependency[Settings]) -> AsyncGenerator[Session, None]:
    session = Session(settings)
    try:
        yield session
    finally:
        session.close()


async def get_current_user(
    session: NamedDependency[Session], x_token: Annotated[str, HeaderParameter(name="x-token")]
) -> UserInDB:
    user = session.user_for_token(x_token)
    if user is None:
        raise HTTPException(status_code=401, detail="Invalid token")
    return user


def _profile(user_id: int, user: UserInDB) -> Profile:
    if user.id != user_id:
        raise HTTPException(status_code=403, detail="Not your profile")
    return Profile.model_validate(user, from_attributes=True)


@get(
    "/users/{user_id:int}/profile",
    dependencies={
        "settings": Provide(get_settings),
        "session": Provide(get_session),
        "user": Provide(get_current_user),
    },
)
async def read_profile(user_id: FromPath[int], user: NamedDependency[UserInDB]) -> Profile:
    return _profile(user_id, user)


def get_settings_sync() -> Settings:
    return SETTINGS


def get_session_sync(settings: NamedDependency[Settings]) -> Generator[Session, None, None]:
    session = Session(settings)
    try:
        yield session
    finally:
        session.close()


def get_current_user_sync(
    session: NamedDependency[Session], x_token: Annotated[str, HeaderParameter(name="x-token")]
) -> UserInDB:
    user = session.user_for_token(x_token)
    if user is None:
        raise HTTPException(status_code=401, detail="Invalid token")
    return user


@get(
    "/users/{user_id:int}/profile-sync",
    dependencies={
        # Cheap, non-blocking functions: Litestar's docs say to run them on the loop.
        "settings": Provide(get_settings_sync, sync_to_thread=False),
        "session": Provide(get_session_sync),
        "user": Provide(get_current_user_sync, sync_to_thread=False),
    },
)
async def read_profile_sync(user_id: FromPath[int], user: NamedDependency[UserInDB]) -> Profile:
    return _profile(user_id, user)


@get("/list")
async def list_items() -> list[Item]:
    return [Item.model_validate(row) for row in ITEM_ROWS]


@get("/json")
async def nested_json() -> dict[str, str]:
    return {"message": HELLO}


level3 = Router(path="/r3", route_handlers=[nested_json])
level2 = Router(path="/r2", route_handlers=[level3])
level1 = Router(path="/r1", route_handlers=[level2])

app = Litestar(
    route_handlers=[
        plaintext,
        json_message,
        read_item,
        create_order,
        read_profile,
        read_profile_sync,
        list_items,
        level1,
    ]
)
