from accord import Accord, APIRouter

app = Accord()
users = APIRouter(prefix="/users")


@users.get("/{user_id}")
def user(user_id: str) -> None: ...


@users.get("/me")
def me() -> None: ...


@users.get("/{user_id}/orders")  # silent: a different shape
def user_orders(user_id: str) -> None: ...


app.include_router(users)
