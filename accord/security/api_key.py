"""API keys sent in a query parameter, a header or a cookie."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import HTTPConnection
from starlette.status import HTTP_401_UNAUTHORIZED

from accord.openapi.models import APIKey, APIKeyIn
from accord.security.base import SecurityBase

__all__ = ["APIKeyBase", "APIKeyCookie", "APIKeyHeader", "APIKeyQuery"]


class APIKeyBase(SecurityBase):
    """What the three API key schemes share: the OpenAPI model and the missing-key answer.

    Args:
        location: Where the key travels (query, header or cookie).
        name: The name of the query parameter, header or cookie that holds the key.
        description: The scheme's description in the OpenAPI document.
        scheme_name: The scheme's name in the OpenAPI document (default: the class name).
        auto_error: When True a missing key is answered with 401; when False the
            dependency returns None instead.
    """

    model: APIKey

    def __init__(
        self,
        location: APIKeyIn,
        name: str,
        description: str | None,
        scheme_name: str | None,
        auto_error: bool,
    ) -> None:
        self.auto_error = auto_error
        # "in" is a Python keyword, so the model is built from its alias.
        self.model = APIKey.model_validate(
            {"in": location, "name": name, "description": description}
        )
        self.scheme_name = scheme_name or type(self).__name__

    def make_not_authenticated_error(self) -> HTTPException:
        """The 401 answer for a request that carries no key."""
        return HTTPException(
            status_code=HTTP_401_UNAUTHORIZED,
            detail="Not authenticated",
            headers={"WWW-Authenticate": "APIKey"},
        )

    def check_api_key(self, api_key: str | None) -> str | None:
        """Return the key, or answer 401 (or return None) when it is missing or empty."""
        if api_key:
            return api_key
        if self.auto_error:
            raise self.make_not_authenticated_error()
        return None


class APIKeyQuery(APIKeyBase):
    """An API key in the query string: ``?api_key=...``.

    The dependency's value is the key (a string), or None when it is missing and
    `auto_error` is False. Arguments as in :class:`APIKeyBase`.
    """

    def __init__(
        self,
        *,
        name: str,
        scheme_name: str | None = None,
        description: str | None = None,
        auto_error: bool = True,
    ) -> None:
        super().__init__(APIKeyIn.query, name, description, scheme_name, auto_error)

    async def __call__(self, request: HTTPConnection) -> str | None:
        return self.check_api_key(request.query_params.get(self.model.name))


class APIKeyHeader(APIKeyBase):
    """An API key in a request header such as ``X-API-Key``.

    The dependency's value is the key (a string), or None when it is missing and
    `auto_error` is False. Arguments as in :class:`APIKeyBase`.
    """

    def __init__(
        self,
        *,
        name: str,
        scheme_name: str | None = None,
        description: str | None = None,
        auto_error: bool = True,
    ) -> None:
        super().__init__(APIKeyIn.header, name, description, scheme_name, auto_error)

    async def __call__(self, request: HTTPConnection) -> str | None:
        return self.check_api_key(request.headers.get(self.model.name))


class APIKeyCookie(APIKeyBase):
    """An API key in a cookie.

    The dependency's value is the key (a string), or None when it is missing and
    `auto_error` is False. Arguments as in :class:`APIKeyBase`.
    """

    def __init__(
        self,
        *,
        name: str,
        scheme_name: str | None = None,
        description: str | None = None,
        auto_error: bool = True,
    ) -> None:
        super().__init__(APIKeyIn.cookie, name, description, scheme_name, auto_error)

    async def __call__(self, request: HTTPConnection) -> str | None:
        return self.check_api_key(request.cookies.get(self.model.name))
