"""The OpenTelemetry SDK's own share of a traced request: the floor no framework goes below.

A framework with telemetry on does two kinds of work per request: its own (finding the
route, deciding what to record, computing attributes) and the SDK's (creating, attaching and
ending spans, validating attributes, aggregating metric points, handing spans to the
processor). The second is the same for any framework that exports the same data.

`recorded_request` runs one request through the Accord benchmark app with the SDK's
in-memory exporters and keeps what was exported: the spans (name, kind, attributes, parent)
and the metric points (instrument, unit, attributes). `floor_app` is a bare ASGI app that
answers with the same status and body and, when ``on``, makes the fewest SDK calls that
export exactly that: the incoming context extracted from the headers, every span started
with its final name and attributes and ended, the metric points recorded once. Its ``on``
minus ``off`` is the floor; a framework's added cost minus the floor is its own share.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from benchmarks.inprocess import ASGIApp, Lifespan, fetch, run
from benchmarks.scenarios import Scenario


@dataclass(frozen=True)
class RecordedSpan:
    name: str
    kind: Any
    attributes: dict[str, Any]
    children: tuple[RecordedSpan, ...]


@dataclass(frozen=True)
class RecordedPoint:
    instrument: str
    unit: str
    kind: str  # "histogram" or "up_down_counter"
    attributes: dict[str, Any]
    boundaries: tuple[float, ...]


@dataclass(frozen=True)
class RecordedRequest:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    root: RecordedSpan
    points: tuple[RecordedPoint, ...]


def _tree(spans: list[Any]) -> RecordedSpan:
    by_parent: dict[int | None, list[Any]] = {}
    for span in spans:
        by_parent.setdefault(span.parent.span_id if span.parent else None, []).append(span)

    def build(span: Any) -> RecordedSpan:
        children = sorted(by_parent.get(span.context.span_id, []), key=lambda s: s.start_time)
        return RecordedSpan(
            span.name, span.kind, dict(span.attributes), tuple(build(c) for c in children)
        )

    (root,) = by_parent[None]
    return build(root)


def _points(metrics: Any) -> tuple[RecordedPoint, ...]:
    points = []
    for resource in metrics.resource_metrics:
        for scope in resource.scope_metrics:
            for metric in scope.metrics:
                histogram = type(metric.data).__name__ == "Histogram"
                for point in metric.data.data_points:
                    points.append(
                        RecordedPoint(
                            metric.name,
                            metric.unit,
                            "histogram" if histogram else "up_down_counter",
                            dict(point.attributes),
                            tuple(point.explicit_bounds) if histogram else (),
                        )
                    )
    return tuple(points)


def recorded_requests(
    app: ASGIApp, spans: Any, reader: Any, scenarios: list[Scenario]
) -> dict[str, RecordedRequest]:
    """What each scenario's request to `app` exported, by path.

    `spans` is the in-memory span exporter of the app's tracer provider; `reader` the metric
    reader of its meter provider, with delta temporality, so that each collection holds the
    points of the one request made since the previous collection.
    """
    recorded = {}

    async def record() -> None:
        async with Lifespan(app):
            reader.get_metrics_data()
            for scenario in scenarios:
                spans.clear()
                response = await fetch(app, scenario)
                recorded[scenario.path] = RecordedRequest(
                    response.status,
                    response.headers,
                    b"".join(response.chunks),
                    _tree(list(spans.get_finished_spans())),
                    _points(reader.get_metrics_data()),
                )

    run(record())
    return recorded


def floor_app(recorded: RecordedRequest, config: dict[str, Any] | None) -> ASGIApp:
    """A bare ASGI app answering like the recorded request; with `config`, exporting its data."""
    start = {"type": "http.response.start", "status": recorded.status, "headers": recorded.headers}
    body = {"type": "http.response.body", "body": recorded.body}

    async def lifespan(receive: Any, send: Any) -> None:
        while True:
            message = await receive()
            await send({"type": message["type"] + ".complete"})
            if message["type"] == "lifespan.shutdown":
                return

    if config is None:

        async def plain(scope: dict[str, Any], receive: Any, send: Any) -> None:
            if scope["type"] == "lifespan":
                await lifespan(receive, send)
                return
            await send(start)
            await send(body)

        return plain

    from opentelemetry import context, propagate, trace

    tracer = config["tracer_provider"].get_tracer("floor")
    meter = config["meter_provider"].get_meter("floor")
    histograms = [p for p in recorded.points if p.kind == "histogram"]
    counters = [p for p in recorded.points if p.kind != "histogram"]
    recorders = [
        (meter.create_histogram(p.instrument, unit=p.unit,
                                explicit_bucket_boundaries_advisory=list(p.boundaries)),
         p.attributes)
        for p in histograms
    ]  # fmt: skip
    adders = [(meter.create_up_down_counter(p.instrument, unit=p.unit), p.attributes)
              for p in counters]  # fmt: skip
    root = recorded.root

    def children(span: RecordedSpan) -> None:
        for child in span.children:
            opened = tracer.start_span(child.name, kind=child.kind, attributes=child.attributes)
            token = context.attach(trace.set_span_in_context(opened))
            children(child)
            opened.end()
            context.detach(token)

    async def traced(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await lifespan(receive, send)
            return
        began = time.perf_counter()
        carrier = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        span = tracer.start_span(
            root.name, context=propagate.extract(carrier), kind=root.kind,
            attributes=root.attributes,
        )  # fmt: skip
        token = context.attach(trace.set_span_in_context(span))
        for counter, attributes in adders:
            counter.add(1, attributes)
        children(root)
        await send(start)
        await send(body)
        for counter, attributes in adders:
            counter.add(-1, attributes)
        elapsed = time.perf_counter() - began
        for histogram, attributes in recorders:
            histogram.record(elapsed, attributes)
        span.end()
        context.detach(token)

    return traced
