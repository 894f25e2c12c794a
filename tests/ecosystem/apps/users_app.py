"""fastapi-users on Accord: register, log in (JWT bearer) and read /users/me, users in SQLite.

Run as a script (the alias on from its first line); prints what the requests answered as JSON.
The users live in an async SQLAlchemy table (aiosqlite) behind a small user database of the
app's own (`fastapi_users.db.BaseUserDatabase`), as an app without fastapi-users' SQLAlchemy
package writes it.
"""

import accord.as_fastapi  # noqa: F401, I001 - first: fastapi_users imports fastapi

import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient
from fastapi_users import BaseUserManager, FastAPIUsers, UUIDIDMixin, schemas
from fastapi_users.authentication import AuthenticationBackend, BearerTransport, JWTStrategy
from fastapi_users.db import BaseUserDatabase
from sqlalchemy import Boolean, String, Uuid, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.pool import StaticPool

SECRET = "not-a-real-secret-only-for-this-test-app"


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    email: Mapped[str] = mapped_column(String(320), unique=True, index=True)
    hashed_password: Mapped[str] = mapped_column(String(1024))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_superuser: Mapped[bool] = mapped_column(Boolean, default=False)
    is_verified: Mapped[bool] = mapped_column(Boolean, default=False)


class UserRead(schemas.BaseUser[uuid.UUID]):
    pass


class UserCreate(schemas.BaseUserCreate):
    pass


class UserUpdate(schemas.BaseUserUpdate):
    pass


class SQLiteUsers(BaseUserDatabase[User, uuid.UUID]):
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, id: uuid.UUID) -> User | None:
        return await self.session.get(User, id)

    async def get_by_email(self, email: str) -> User | None:
        found = await self.session.execute(select(User).where(User.email == email))
        return found.scalar_one_or_none()

    async def create(self, create_dict: dict[str, Any]) -> User:
        user = User(**create_dict)
        self.session.add(user)
        await self.session.commit()
        await self.session.refresh(user)
        return user

    async def update(self, user: User, update_dict: dict[str, Any]) -> User:
        for key, value in update_dict.items():
            setattr(user, key, value)
        await self.session.commit()
        await self.session.refresh(user)
        return user

    async def delete(self, user: User) -> None:
        await self.session.delete(user)
        await self.session.commit()


engine = create_async_engine("sqlite+aiosqlite://", poolclass=StaticPool)
sessions = async_sessionmaker(engine, expire_on_commit=False)
registered: list[str] = []


async def get_user_db() -> AsyncIterator[SQLiteUsers]:
    async with sessions() as session:
        yield SQLiteUsers(session)


class UserManager(UUIDIDMixin, BaseUserManager[User, uuid.UUID]):
    reset_password_token_secret = SECRET
    verification_token_secret = SECRET

    async def on_after_register(self, user: User, request: Any = None) -> None:
        registered.append(user.email)


async def get_user_manager(user_db: SQLiteUsers = Depends(get_user_db)) -> AsyncIterator[UserManager]:
    yield UserManager(user_db)


def get_jwt_strategy() -> JWTStrategy[User, uuid.UUID]:
    return JWTStrategy(secret=SECRET, lifetime_seconds=3600)


backend = AuthenticationBackend(
    name="jwt", transport=BearerTransport(tokenUrl="auth/jwt/login"), get_strategy=get_jwt_strategy
)
users = FastAPIUsers[User, uuid.UUID](get_user_manager, [backend])
current_user = users.current_user(active=True)

@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
    yield
    await engine.dispose()


app = FastAPI(lifespan=lifespan)
app.include_router(users.get_auth_router(backend), prefix="/auth/jwt", tags=["auth"])
app.include_router(users.get_register_router(UserRead, UserCreate), prefix="/auth", tags=["auth"])
app.include_router(users.get_users_router(UserRead, UserUpdate), prefix="/users", tags=["users"])


@app.get("/private")
def private(user: User = Depends(current_user)) -> dict[str, str]:
    return {"hello": user.email}


credentials = {"email": "ada@example.com", "password": "correct horse battery"}
with TestClient(app) as client:
    register = client.post("/auth/register", json=credentials)
    again = client.post("/auth/register", json=credentials)
    wrong = client.post(
        "/auth/jwt/login", data={"username": credentials["email"], "password": "wrong"}
    )
    login = client.post(
        "/auth/jwt/login",
        data={"username": credentials["email"], "password": credentials["password"]},
    )
    token = login.json().get("access_token", "")
    me = client.get("/users/me", headers={"Authorization": f"Bearer {token}"})
    anonymous = client.get("/users/me")
    private_answer = client.get("/private", headers={"Authorization": f"Bearer {token}"})
    schema = app.openapi()

print(json.dumps({
    "framework": type(app).__module__.split(".")[0],
    "register": [register.status_code, {k: register.json()[k] for k in ("email", "is_active")}],
    "again": [again.status_code, again.json()],
    "wrong": [wrong.status_code, wrong.json()],
    "login": [login.status_code, login.json().get("token_type"), token.count(".")],
    "me": [me.status_code, me.json().get("email"), me.json().get("id") == register.json()["id"]],
    "anonymous": [anonymous.status_code, anonymous.json()],
    "private": [private_answer.status_code, private_answer.json()],
    "registered": registered,
    "login_form": sorted(
        schema["components"]["schemas"]["Body_auth_jwt_login_auth_jwt_login_post"]["properties"]
    ),
}))
