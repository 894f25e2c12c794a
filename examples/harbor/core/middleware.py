"""Request ids, access logs and request metrics, in one pure ASGI middleware."""

from __future__ import annotations

import logging
import re
import time
import uuid

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from examples.harbor.core.context import RequestContext, bind_request, unbind_request
from examples.harbor.core.metrics import Metrics

__all__ = ["RequestObservability"]

logger = logging.getLogger("harbor.access")

# A propagated id is echoed into logs and headers, so only harmless, bounded ones are kept.
_VALID_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


class RequestObservability:
    """Give every request an ``X-Request-ID``, then log and measure it.

    An incoming ``X-Request-ID`` is propagated when it is a plausible id, replaced otherwise.
    The access log line carries the request id, the order id (when the endpoint noted one),
    the status and the latency in milliseconds.
    """

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics
        self._templates: dict[object, str] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        context = RequestContext(_request_id(scope))
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)["X-Request-ID"] = context.request_id
            await send(message)

        token = bind_request(context)
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            self._record(scope, status, time.perf_counter() - started, context)
            unbind_request(token)

    def _record(self, scope: Scope, status: int, elapsed: float, context: RequestContext) -> None:
        route = self._route_template(scope)
        method = scope["method"]
        self.metrics.requests.labels(method, route, str(status)).inc()
        self.metrics.latency.labels(method, route).observe(elapsed)
        logger.info(
            "request",
            extra={
                "method": method,
                "path": scope["path"],
                "status": status,
                "latency_ms": round(elapsed * 1000, 2),
            },
        )

    def _route_template(self, scope: Scope) -> str:
        # Label by the full path template (bounded cardinality), never by the raw path.
        # scope["route"] is the route as declared in its router, without the include
        # prefixes; the app's own route list has the full paths.
        if self._templates is None:
            routes = scope["app"].routes
            self._templates = {r.endpoint: r.path for r in routes if hasattr(r, "endpoint")}
        return self._templates.get(scope.get("endpoint"), "unmatched")


def _request_id(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == b"x-request-id":
            candidate = value.decode("latin-1")
            if _VALID_ID.fullmatch(candidate):
                return candidate
            break
    return uuid.uuid4().hex
