from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from accord import Accord, Depends

# In-memory exporters keep the example self-contained; in production leave the providers out
# (the global ones are used) or set FASTAPI_OTEL_AUTO_CONFIGURE=true and an OTLP endpoint.
spans = InMemorySpanExporter()
tracer_provider = TracerProvider()
tracer_provider.add_span_processor(SimpleSpanProcessor(spans))
metrics = InMemoryMetricReader()

app = Accord(
    telemetry={
        "tracer_provider": tracer_provider,
        "meter_provider": MeterProvider(metric_readers=[metrics]),
        "exclude": lambda scope: scope["path"] == "/health",
    }
)


def current_user() -> str:
    return "ada"


@app.get("/items/{item_id}")
async def read_item(item_id: int, user: str = Depends(current_user)) -> dict[str, object]:
    return {"item_id": item_id, "owner": user}


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
