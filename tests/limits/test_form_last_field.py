"""The last field of a URL-encoded form arrives, however the body was read.

Starlette's URL-encoded parser before 1.10 finishes the last field only when its stream
yields a closing empty chunk; a body reader that stops without one loses that field (an
OAuth2 password login answered 422 where FastAPI answers 200). These run on every
supported Starlette (`make test-matrix`).
"""

from collections.abc import Callable
from typing import Annotated, Any

import fastapi
import fastapi.security
import pytest
from fastapi.testclient import TestClient as FastAPIClient

from accord import Depends, FastAPI, Form, Request
from accord.routing import APIRoute
from accord.security import OAuth2PasswordRequestForm
from accord.testclient import TestClient
from tests.limits.asgi import call

FORM = [("content-type", "application/x-www-form-urlencoded")]


@pytest.fixture(params=["accord", "fastapi"])
def login_client(request: pytest.FixtureRequest) -> Any:
    """An OAuth2 password login on Accord, or on FastAPI (the oracle)."""
    if request.param == "accord":
        app: Any = FastAPI()
        depends: Any = Depends
        form_class: Any = OAuth2PasswordRequestForm
        client_class: Any = TestClient
    else:
        app = fastapi.FastAPI()
        depends = fastapi.Depends
        form_class = fastapi.security.OAuth2PasswordRequestForm
        client_class = FastAPIClient

    @app.post("/token")
    async def token(form: Annotated[form_class, depends()]) -> dict[str, Any]:
        return {"username": form.username, "password": form.password, "scopes": form.scopes}

    return client_class(app)


def test_an_oauth2_password_login_gets_every_field(login_client: Any) -> None:
    response = login_client.post("/token", data={"username": "ann", "password": "secret"})
    assert response.status_code == 200, response.text
    assert response.json() == {"username": "ann", "password": "secret", "scopes": []}


def fields_app() -> FastAPI:
    app = FastAPI()

    @app.post("/fields")
    async def fields(
        first: Annotated[str, Form()], last: Annotated[str, Form()] = "missing"
    ) -> dict[str, str]:
        return {"first": first, "last": last}

    return app


def test_the_last_field_of_a_body_sent_in_one_chunk_arrives() -> None:
    exchange = call(fields_app(), "/fields", iter([b"first=a&last=z"]), headers=FORM, finite=True)
    assert (exchange.status, exchange.json()) == (200, {"first": "a", "last": "z"})


def test_the_last_field_of_a_body_streamed_in_pieces_arrives() -> None:
    pieces = iter([b"first=a", b"&la", b"st=", b"zz"])
    exchange = call(fields_app(), "/fields", pieces, headers=FORM, finite=True)
    assert (exchange.status, exchange.json()) == (200, {"first": "a", "last": "zz"})


def test_the_last_field_arrives_when_a_route_class_read_the_body_first() -> None:
    class LoggingRoute(APIRoute):
        def get_route_handler(self) -> Callable[..., Any]:
            handler = super().get_route_handler()

            async def logged(request: Request) -> Any:
                await request.body()
                return await handler(request)

            return logged

    app = FastAPI()
    app.router.route_class = LoggingRoute

    @app.post("/fields")
    async def fields(
        first: Annotated[str, Form()], last: Annotated[str, Form()] = "missing"
    ) -> dict[str, str]:
        return {"first": first, "last": last}

    response = TestClient(app).post("/fields", data={"first": "a", "last": "z"})
    assert (response.status_code, response.json()) == (200, {"first": "a", "last": "z"})
