"""Per-request cost of native telemetry, Accord and FastAPI 0.163.2, in process.

    python -m benchmarks.telemetry            # writes telemetry_results.md and .json here
    python -m benchmarks.telemetry --quick    # a short smoke run

Each (framework, mode) runs in a fresh process on the suite's benchmark app
(``apps/fastapi_app.py``; Accord's is the same module with its imports rewritten), built with
``telemetry=`` set by the mode:

* ``off``: ``{"tracing": False, "metrics": False, "logs": False}``;
* ``unconfigured``: the default settings and no provider set (the API's no-op proxies);
* ``excluded``: tracing and metrics on, the request excluded by ``exclude``;
* ``on``: the default settings (tracing, metrics, logs, operation spans) with the SDK's
  providers and in-memory exporters (``SimpleSpanProcessor`` + ``InMemorySpanExporter``,
  ``InMemoryMetricReader``, ``InMemoryLogRecordExporter``).

Figures are CPU µs per request (median of the timed batches) and Python calls for one warm
request (``benchmarks.inprocess.count_calls``).
"""

import argparse
import json
import statistics
import sys
from pathlib import Path
from typing import Any

from benchmarks.inprocess import Settings, measure_app, run

HERE = Path(__file__).resolve().parent
FRAMEWORKS = ("accord", "fastapi")
MODES = ("off", "unconfigured", "excluded", "on")
FLOOR_MODES = ("off", "on")  # the SDK floor (benchmarks.telemetry_floor) has no other modes
SCENARIOS = ("json", "profile")


def _config(mode: str) -> dict[str, Any]:
    if mode == "off":
        return {"tracing": False, "metrics": False, "logs": False}
    if mode == "unconfigured":
        return {}
    from opentelemetry.sdk._logs import LoggerProvider
    from opentelemetry.sdk._logs.export import InMemoryLogRecordExporter, SimpleLogRecordProcessor
    from opentelemetry.sdk.metrics import MeterProvider
    from opentelemetry.sdk.metrics.export import InMemoryMetricReader
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(SimpleSpanProcessor(InMemorySpanExporter()))
    logger_provider = LoggerProvider()
    logger_provider.add_log_record_processor(SimpleLogRecordProcessor(InMemoryLogRecordExporter()))
    config: dict[str, Any] = {
        "tracer_provider": tracer_provider,
        "meter_provider": MeterProvider(metric_readers=[InMemoryMetricReader()]),
        "logger_provider": logger_provider,
    }
    if mode == "excluded":
        config["exclude"] = lambda scope: True
    return config


def _app(framework: str, config: dict[str, Any]) -> Any:
    """The benchmark app of `framework`, built with ``telemetry=config``."""
    import functools
    import importlib

    from benchmarks.apps import load_module

    package = importlib.import_module(framework)
    original = package.FastAPI.__init__

    @functools.wraps(original)
    def with_telemetry(self: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("telemetry", config)
        original(self, *args, **kwargs)

    package.FastAPI.__init__ = with_telemetry
    sys.modules.pop(f"benchmarks.apps.{framework}_app", None)  # a fresh app for this config
    try:
        return load_module(framework).app
    finally:
        package.FastAPI.__init__ = original


def _floor(mode: str) -> Any:
    """The SDK floor app (`benchmarks.telemetry_floor`) for every scenario, by path."""
    from opentelemetry.sdk.metrics import Counter, Histogram, MeterProvider, UpDownCounter
    from opentelemetry.sdk.metrics.export import AggregationTemporality, InMemoryMetricReader

    from benchmarks.scenarios import by_key
    from benchmarks.telemetry_floor import floor_app, recorded_requests

    recording = _config("on")
    delta = dict.fromkeys((Counter, Histogram, UpDownCounter), AggregationTemporality.DELTA)
    reader = InMemoryMetricReader(preferred_temporality=delta)
    recording["meter_provider"] = MeterProvider(metric_readers=[reader])
    exporter = recording["tracer_provider"]._active_span_processor._span_processors[0]
    recorded = recorded_requests(
        _app("accord", recording), exporter.span_exporter, reader,
        [by_key(key) for key in SCENARIOS],
    )  # fmt: skip
    config = _config(mode) if mode == "on" else None
    apps = {path: floor_app(request, config) for path, request in recorded.items()}
    first = next(iter(apps.values()))

    async def dispatch(scope: dict[str, Any], receive: Any, send: Any) -> None:
        await apps.get(scope.get("path", ""), first)(scope, receive, send)

    return dispatch


def worker(framework: str, mode: str, settings: Settings) -> dict[str, Any]:
    """Build the app with `mode`'s telemetry and measure it (in this process)."""
    from benchmarks.scenarios import by_key

    app = _floor(mode) if framework == "sdk" else _app(framework, _config(mode))
    return run(measure_app(app, [by_key(key) for key in SCENARIOS], settings))


def measure(settings: Settings, log: Any = print) -> dict[str, Any]:
    """Every (framework, mode) in a fresh process."""
    import subprocess

    results: dict[str, Any] = {}
    for mode in MODES:
        for framework in FRAMEWORKS + (("sdk",) if mode in FLOOR_MODES else ()):
            log(f"telemetry: {framework}, {mode}")
            flags = [
                f"--warmup-seconds={settings.warmup_seconds}",
                f"--batch-seconds={settings.batch_seconds}",
                f"--repeats={settings.repeats}",
            ]
            done = subprocess.run(
                [sys.executable, "-m", "benchmarks.telemetry", "--worker", framework, mode,
                 *flags],
                cwd=HERE.parent, capture_output=True, text=True, timeout=900, check=False,
            )  # fmt: skip
            try:
                results.setdefault(framework, {})[mode] = json.loads(done.stdout.splitlines()[-1])
            except (IndexError, ValueError):
                results.setdefault(framework, {})[mode] = {"error": done.stderr[-1500:]}
    return results


def _cell(result: dict[str, Any]) -> tuple[float, int] | None:
    if "error" in result or not result.get("samples_us"):
        return None
    return statistics.median(result["samples_us"]), result["call"]


def report(results: dict[str, Any]) -> str:
    """The markdown tables: µs and calls per mode, and the cost telemetry adds."""
    lines = [
        "# Native telemetry: per-request cost",
        "",
        "Generated by `python -m benchmarks.telemetry` (see its docstring for the modes). "
        "CPU µs per request (median), Python calls for one request.",
        "",
        "| endpoint | framework | " + " | ".join(MODES) + " | added by `on` (µs / calls) |",
        "|---|---|" + "---|" * (len(MODES) + 1),
    ]
    added: dict[tuple[str, str], float] = {}
    on_time: dict[tuple[str, str], float] = {}
    for key in SCENARIOS:
        for framework in FRAMEWORKS:
            cells, figures = [], {}
            for mode in MODES:
                cell = _cell(results.get(framework, {}).get(mode, {}).get(key, {"error": 1}))
                figures[mode] = cell
                cells.append("error" if cell is None else f"{cell[0]:.1f} µs / {cell[1]}")
            off, on = figures["off"], figures["on"]
            extra = "n/a"
            if off and on:
                added[(key, framework)] = on[0] - off[0]
                on_time[(key, framework)] = on[0]
                extra = f"{on[0] - off[0]:+.1f} / {on[1] - off[1]:+d}"
            lines.append(f"| {key} | {framework} | " + " | ".join(cells) + f" | {extra} |")
    lines += ["", "| endpoint | Accord's added cost / FastAPI's | FastAPI on / Accord on |",
              "|---|---|---|"]  # fmt: skip
    for key in SCENARIOS:
        a, f = added.get((key, "accord")), added.get((key, "fastapi"))
        ratio = f"{a / f:.2f}" if a is not None and f else "n/a"
        speed = "n/a"
        if (key, "accord") in on_time and (key, "fastapi") in on_time:
            speed = f"{on_time[(key, 'fastapi')] / on_time[(key, 'accord')]:.2f}x"
        lines.append(f"| {key} | {ratio} | {speed} |")
    lines += [
        "",
        "The SDK floor: a bare ASGI app that exports exactly what Accord's request exported "
        "(the same spans, attributes and metric points) with the fewest SDK calls "
        "(`benchmarks/telemetry_floor.py`); no framework that exports the same data goes "
        "below it. A framework's own share is its added cost minus the floor.",
        "",
        "| endpoint | SDK floor (µs / calls) | Accord's own share | FastAPI's own share "
        "| Accord's share / FastAPI's |",
        "|---|---|---|---|---|",
    ]
    for key in SCENARIOS:
        floor_off = _cell(results.get("sdk", {}).get("off", {}).get(key, {"error": 1}))
        floor_on = _cell(results.get("sdk", {}).get("on", {}).get(key, {"error": 1}))
        a, f = added.get((key, "accord")), added.get((key, "fastapi"))
        if floor_off is None or floor_on is None or a is None or f is None:
            lines.append(f"| {key} | n/a | n/a | n/a | n/a |")
            continue
        floor = floor_on[0] - floor_off[0]
        calls = floor_on[1] - floor_off[1]
        share = f"{(a - floor) / (f - floor):.2f}" if f > floor else "n/a"
        lines.append(
            f"| {key} | {floor:.1f} µs / {calls} | {a - floor:+.1f} µs | {f - floor:+.1f} µs "
            f"| {share} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", nargs=2, metavar=("FRAMEWORK", "MODE"))
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--warmup-seconds", type=float, default=0.1)
    parser.add_argument("--batch-seconds", type=float, default=0.1)
    parser.add_argument("--repeats", type=int, default=9)
    args = parser.parse_args(argv)
    settings = Settings(args.warmup_seconds, args.batch_seconds, args.repeats)
    if args.quick:
        settings = Settings(0.02, 0.02, 3)
    if args.worker:
        print(json.dumps(worker(*args.worker, settings)))
        return
    results = measure(settings, lambda m: print(m, file=sys.stderr, flush=True))
    (HERE / "telemetry_results.json").write_text(json.dumps(results, indent=1) + "\n")
    text = report(results)
    (HERE / "telemetry_results.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
