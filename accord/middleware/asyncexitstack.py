"""Give each request an `AsyncExitStack` that closes after the whole response is sent.

Resources that must outlive the endpoint but not the request (uploaded files, for
example) are pushed onto the stack found in the ASGI scope under `context_name`.
"""

from contextlib import AsyncExitStack

from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["AsyncExitStackMiddleware"]


class AsyncExitStackMiddleware:
    """Opens an `AsyncExitStack` around the wrapped app and stores it in the scope.

    Args:
        app: the ASGI application to wrap.
        context_name: the scope key the stack is stored under.
    """

    def __init__(self, app: ASGIApp, context_name: str = "accord_middleware_astack") -> None:
        self.app = app
        self.context_name = context_name

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async with AsyncExitStack() as stack:
            scope[self.context_name] = stack
            await self.app(scope, receive, send)
