"""opentelemetry-instrumentation-fastapi on Accord: an instrumented app, spans in memory.

Run as a script (the alias on from its first line); prints the finished server spans as JSON.
The instrumentor checks that a `fastapi` distribution is installed (the alias reports one at
FastAPI's release) and looks the route up in `app.routes` before the app's middleware runs,
through `fastapi.routing.iter_route_contexts` (routes of an included router too).
"""

import accord.as_fastapi  # noqa: F401, I001 - first: the instrumentor imports fastapi

import json

from fastapi import APIRouter, FastAPI, HTTPException
from fastapi.testclient import TestClient
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

exporter = InMemorySpanExporter()
provider = TracerProvider()
provider.add_span_processor(SimpleSpanProcessor(exporter))

app = FastAPI()
router = APIRouter(prefix="/shop")


@app.get("/items/{item_id}")
async def read_item(item_id: int) -> dict[str, int]:
    if item_id == 0:
        raise HTTPException(404, "no such item")
    return {"item_id": item_id}


@router.post("/orders/{order_id}/pay")
def pay(order_id: str) -> dict[str, str]:
    return {"paid": order_id}


app.include_router(router)
FastAPIInstrumentor.instrument_app(app, tracer_provider=provider, excluded_urls="health")


@app.get("/health")
def health() -> dict[str, bool]:
    return {"ok": True}


with TestClient(app) as client:
    statuses = [
        client.get("/items/7").status_code,
        client.get("/items/0").status_code,
        client.post("/shop/orders/a1/pay").status_code,
        client.get("/health").status_code,
        client.get("/nowhere").status_code,
    ]

server = [s for s in exporter.get_finished_spans() if s.kind == SpanKind.SERVER]
print(json.dumps({
    "framework": type(app).__module__.split(".")[0],
    "statuses": statuses,
    "instrumented": bool(getattr(app, "_is_instrumented_by_opentelemetry", False)),
    "spans": [
        {
            "name": s.name,
            "route": s.attributes.get("http.route"),
            "status": s.attributes.get("http.status_code", s.attributes.get("http.response.status_code")),
            "scope": s.instrumentation_scope.name,
        }
        for s in server
    ],
}))
