"""An app-scoped dependency that needs request data is refused when the route is registered."""

from collections.abc import Iterator
from typing import Annotated

import pytest
from starlette.background import BackgroundTasks

from accord import Body, Cookie, Depends, FastAPI, Header, Path, Request, Response
from accord.exceptions import AccordError, DependencyScopeError
from accord.security import OAuth2PasswordBearer, SecurityScopes


def register(dependency: object) -> None:
    app = FastAPI()

    @app.get("/{item_id}")
    def read(item_id: int, v: Annotated[object, Depends(dependency, scope="app")]) -> None:
        pass  # pragma: no cover


def with_query(q: str) -> str:
    return q  # pragma: no cover


def with_path(item_id: Annotated[int, Path()]) -> int:
    return item_id  # pragma: no cover


def with_header(x_key: Annotated[str, Header()]) -> str:
    return x_key  # pragma: no cover


def with_cookie(session: Annotated[str, Cookie()]) -> str:
    return session  # pragma: no cover


def with_body(payload: Annotated[dict[str, int], Body()]) -> dict[str, int]:
    return payload  # pragma: no cover


def with_request(request: Request) -> None:
    pass  # pragma: no cover


def with_response(response: Response) -> None:
    pass  # pragma: no cover


def with_background(tasks: BackgroundTasks) -> None:
    pass  # pragma: no cover


def with_scopes(scopes: SecurityScopes) -> None:
    pass  # pragma: no cover


@pytest.mark.parametrize(
    ("dependency", "used"),
    [
        (with_query, 'the query parameter "q"'),
        (with_path, 'the path parameter "item_id"'),
        (with_header, 'the header parameter "x_key"'),
        (with_cookie, 'the cookie parameter "session"'),
        (with_body, 'the body parameter "payload"'),
        (with_request, 'the Request (parameter "request")'),
        (with_response, 'the Response (parameter "response")'),
        (with_background, 'the BackgroundTasks (parameter "tasks")'),
        (with_scopes, 'the SecurityScopes (parameter "scopes")'),
        (OAuth2PasswordBearer(tokenUrl="token"), 'the connection (parameter "request")'),
    ],
)
def test_request_data_is_refused(dependency: object, used: str) -> None:
    with pytest.raises(DependencyScopeError) as info:
        register(dependency)
    message = str(info.value)
    assert "app-scoped dependency" in message
    assert used in message
    assert 'drop scope="app"' in message


def test_request_data_of_an_inner_plain_dependency_is_refused_naming_both() -> None:
    def client(key: Annotated[str, Depends(with_header)]) -> str:
        return key  # pragma: no cover

    with pytest.raises(DependencyScopeError) as info:
        register(client)
    assert str(info.value).startswith(
        'The app-scoped dependency "client" cannot use the header parameter "x_key" '
        '(through "with_header")'
    )


def session() -> Iterator[str]:
    yield "session"  # pragma: no cover


@pytest.mark.parametrize(
    ("inner", "scope"),
    [
        (Depends(session), "request"),
        (Depends(session, scope="request"), "request"),
        (Depends(with_query, scope="function"), "function"),
    ],
)
def test_request_or_function_scoped_inner_dependency_is_refused_naming_both(
    inner: object, scope: str
) -> None:
    def engine(s: Annotated[str, inner]) -> str:
        return s  # pragma: no cover

    with pytest.raises(DependencyScopeError) as info:
        register(engine)
    message = str(info.value)
    inner_name = "session" if scope == "request" else "with_query"
    assert f'"engine" cannot depend on "{inner_name}", whose scope is "{scope}"' in message
    assert f'Depends({inner_name}, scope="app")' in message


def test_refused_in_router_level_dependencies_too() -> None:
    app = FastAPI()
    with pytest.raises(AccordError, match='"with_query" cannot use the query parameter "q"'):
        app.get("/", dependencies=[Depends(with_query, scope="app")])(lambda: None)


def test_plain_and_app_scoped_inner_dependencies_are_accepted() -> None:
    def settings() -> str:
        return "s"

    def pool() -> Iterator[str]:
        yield "p"

    def engine(
        s: Annotated[str, Depends(settings)], p: Annotated[str, Depends(pool, scope="app")]
    ) -> str:
        return s + p

    register(engine)  # no error
