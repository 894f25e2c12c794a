"""In-memory OpenTelemetry pipelines, and what they exported in a comparable form.

Ids, timestamps, durations and the instrumentation scope (``fastapi`` or ``accord``) are left
out; parent/child structure is kept as the parent's span name, and a log record's span as its
name.
"""

from dataclasses import dataclass, field
from typing import Any

from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk._logs.export import InMemoryLogRecordExporter, SimpleLogRecordProcessor
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter


@dataclass
class Pipelines:
    spans: InMemorySpanExporter = field(default_factory=InMemorySpanExporter)
    reader: InMemoryMetricReader = field(default_factory=InMemoryMetricReader)
    logs: InMemoryLogRecordExporter = field(default_factory=InMemoryLogRecordExporter)

    def __post_init__(self) -> None:
        self.tracer_provider = TracerProvider()
        self.tracer_provider.add_span_processor(SimpleSpanProcessor(self.spans))
        self.meter_provider = MeterProvider(metric_readers=[self.reader])
        self.logger_provider = LoggerProvider()
        self.logger_provider.add_log_record_processor(SimpleLogRecordProcessor(self.logs))

    def config(self, **options: Any) -> dict[str, Any]:
        return {
            "tracer_provider": self.tracer_provider,
            "meter_provider": self.meter_provider,
            "logger_provider": self.logger_provider,
            **options,
        }

    def exported(self) -> dict[str, Any]:
        return {"spans": spans(self.spans), "metrics": metrics(self.reader), "logs": logs(self)}


def spans(exporter: InMemorySpanExporter) -> list[dict[str, Any]]:
    finished = exporter.get_finished_spans()
    names = {span.context.span_id: span.name for span in finished}
    return [
        {
            "name": span.name,
            "kind": span.kind.name,
            "attributes": dict(span.attributes or {}),
            "status": (span.status.status_code.name, span.status.description),
            "events": [(e.name, _without_stacktrace(e.attributes)) for e in span.events],
            "parent": names.get(span.parent.span_id, "<remote>") if span.parent else None,
            "links": len(span.links),
        }
        for span in finished
    ]


def _without_stacktrace(attributes: Any) -> dict[str, Any]:
    found = dict(attributes or {})
    if "exception.stacktrace" in found:  # file paths differ; its presence is compared
        found["exception.stacktrace"] = "..."
    return found


def metrics(reader: InMemoryMetricReader) -> list[dict[str, Any]]:
    data = reader.get_metrics_data()
    found = []
    for resource in data.resource_metrics if data else ():
        for scope in resource.scope_metrics:
            for metric in scope.metrics:
                points = []
                for point in metric.data.data_points:
                    described: dict[str, Any] = {"attributes": dict(point.attributes or {})}
                    if hasattr(point, "explicit_bounds"):
                        described["count"] = point.count
                        described["bounds"] = tuple(point.explicit_bounds)
                    else:
                        described["value"] = point.value
                    points.append(described)
                points.sort(key=repr)
                found.append(
                    {
                        "name": metric.name,
                        "unit": metric.unit,
                        "description": metric.description,
                        "type": type(metric.data).__name__,
                        "points": points,
                    }
                )
    return found


def logs(pipelines: Pipelines) -> list[dict[str, Any]]:
    names = {s.context.span_id: s.name for s in pipelines.spans.get_finished_spans()}
    found = []
    for data in pipelines.logs.get_finished_logs():
        record = data.log_record
        attributes = dict(record.attributes or {})
        stack = attributes.pop("exception.stacktrace", None)
        found.append(
            {
                "event_name": record.event_name,
                "severity": (record.severity_number, record.severity_text),
                "body": record.body,
                "attributes": attributes,
                "has_stacktrace": stack is not None,
                "span": names.get(record.span_id) if record.span_id else None,
            }
        )
    return found
