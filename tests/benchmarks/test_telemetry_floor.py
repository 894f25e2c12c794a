"""The telemetry benchmark's SDK floor exports exactly what Accord's request exported.

The floor is only a floor if it does the same SDK work: the same spans (names, kinds,
attributes, parent structure) and the same metric points (instruments, units, attributes).
"""

from typing import Any

import pytest

from benchmarks import telemetry
from benchmarks.inprocess import Lifespan, fetch, run
from benchmarks.scenarios import by_key
from benchmarks.telemetry_floor import RecordedSpan, floor_app, recorded_requests

pytest.importorskip("opentelemetry.sdk")


def _delta_reader() -> Any:
    from opentelemetry.sdk.metrics import Counter, Histogram, UpDownCounter
    from opentelemetry.sdk.metrics.export import AggregationTemporality, InMemoryMetricReader

    kinds = (Counter, Histogram, UpDownCounter)
    return InMemoryMetricReader(
        preferred_temporality=dict.fromkeys(kinds, AggregationTemporality.DELTA)
    )


def _recording() -> tuple[dict[str, Any], Any, Any]:
    from opentelemetry.sdk.metrics import MeterProvider

    config = telemetry._config("on")
    reader = _delta_reader()
    config["meter_provider"] = MeterProvider(metric_readers=[reader])
    exporter = config["tracer_provider"]._active_span_processor._span_processors[0]
    return config, exporter.span_exporter, reader


def _shape(span: RecordedSpan) -> tuple[Any, ...]:
    return (span.name, span.kind, span.attributes, tuple(_shape(c) for c in span.children))


def test_the_floor_app_exports_what_accords_request_exported() -> None:
    scenarios = [by_key(key) for key in telemetry.SCENARIOS]
    config, spans, reader = _recording()
    from_accord = recorded_requests(telemetry._app("accord", config), spans, reader, scenarios)
    assert {s.path for s in scenarios} == set(from_accord)
    assert all(len(r.root.children) == 3 for r in from_accord.values())  # operation spans

    floor_config, floor_spans, floor_reader = _recording()
    for scenario in scenarios:
        app = floor_app(from_accord[scenario.path], floor_config)
        replayed = recorded_requests(app, floor_spans, floor_reader, [scenario])[scenario.path]
        original = from_accord[scenario.path]
        assert (replayed.status, replayed.body) == (original.status, original.body)
        assert _shape(replayed.root) == _shape(original.root)
        key = lambda p: (p.instrument, p.unit, p.kind, sorted(p.attributes.items()))  # noqa: E731
        assert sorted(map(key, replayed.points)) == sorted(map(key, original.points))


def test_the_floor_app_without_telemetry_exports_nothing() -> None:
    scenario = by_key("json")
    config, spans, reader = _recording()
    recorded = recorded_requests(telemetry._app("accord", config), spans, reader, [scenario])
    spans.clear()
    app = floor_app(recorded[scenario.path], None)

    async def once() -> Any:
        async with Lifespan(app):
            return await fetch(app, scenario)

    response = run(once())
    assert response.status == 200 and b"".join(response.chunks) == recorded[scenario.path].body
    assert spans.get_finished_spans() == ()
