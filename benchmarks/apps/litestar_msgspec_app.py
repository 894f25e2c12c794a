"""The model endpoints as a Litestar app on msgspec, the way a Litestar user writes for speed.

msgspec is Litestar's own modelling library: a handler declared to return ``msgspec.Struct``s
is converted and encoded by msgspec, with no Pydantic plugin involved in the answer. The Structs below carry
the fields (and constraints: these models declare none) of ``models.py``'s Pydantic models, and
the data is the same: ``ITEM_ROWS`` and the store's users, converted as the Pydantic apps
validate them (unknown keys such as ``supplier_cost`` dropped, types checked).

Only the endpoints with models in their answers are here (``/list`` and the two profiles): the
others return dicts, which the ``litestar`` app already encodes with msgspec. ``/orders`` is
left out, as msgspec has no e-mail type to match ``EmailStr``.
"""

from collections.abc import AsyncGenerator, Generator
from typing import Annotated

import msgspec
from litestar import Litestar, get
from litestar.di import NamedDependency, Provide
from litestar.exceptions import HTTPException
from litestar.params import FromPath, HeaderParameter

from benchmarks.apps.models import ITEM_ROWS, SETTINGS, USERS, Session, Settings


class Dimensions(msgspec.Struct):
    width: float
    height: float
    depth: float


class Item(msgspec.Struct):
    id: int
    name: str
    price: float
    in_stock: bool
    tags: list[str]
    dimensions: Dimensions


class UserInDB(msgspec.Struct):
    id: int
    username: str
    email: str
    full_name: str
    hashed_password: str


class Profile(msgspec.Struct):
    id: int
    username: str
    email: str
    full_name: str


# The store's records as this app keeps them.
USER_STRUCTS = {
    token: msgspec.convert(user, UserInDB, from_attributes=True) for token, user in USERS.items()
}


@get("/list")
async def list_items() -> list[Item]:
    return msgspec.convert(ITEM_ROWS, list[Item])


async def get_settings() -> Settings:
    return SETTINGS


async def get_session(settings: NamedDependency[Settings]) -> AsyncGenerator[Session, None]:
    session = Session(settings, USER_STRUCTS)
    try:
        yield session
    finally:
        session.close()


async def get_current_user(
    session: NamedDependency[Session], x_token: Annotated[str, HeaderParameter(name="x-token")]
) -> UserInDB:
    user: UserInDB | None = session.user_for_token(x_token)
    if user is None:
        raise HTTPException(status_code=401, detail="Invalid token")
    return user


def _profile(user_id: int, user: UserInDB) -> Profile:
    if user.id != user_id:
        raise HTTPException(status_code=403, detail="Not your profile")
    return msgspec.convert(user, Profile, from_attributes=True)


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
    session = Session(settings, USER_STRUCTS)
    try:
        yield session
    finally:
        session.close()


def get_current_user_sync(
    session: NamedDependency[Session], x_token: Annotated[str, HeaderParameter(name="x-token")]
) -> UserInDB:
    user: UserInDB | None = session.user_for_token(x_token)
    if user is None:
        raise HTTPException(status_code=401, detail="Invalid token")
    return user


@get(
    "/users/{user_id:int}/profile-sync",
    dependencies={
        "settings": Provide(get_settings_sync, sync_to_thread=False),
        "session": Provide(get_session_sync),
        "user": Provide(get_current_user_sync, sync_to_thread=False),
    },
)
async def read_profile_sync(user_id: FromPath[int], user: NamedDependency[UserInDB]) -> Profile:
    return _profile(user_id, user)


app = Litestar(route_handlers=[list_items, read_profile, read_profile_sync])
