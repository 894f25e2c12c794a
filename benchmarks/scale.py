"""Scale measurements: apps with 10, 100 and 1,000 routes.

Two modes, each meant to run in a fresh process:

- ``requests``: in-process request time to the *last* route of apps of each size;
- ``startup``: import + registration time of an app of ``--routes`` routes, the resident memory
  the routes add, the time of the first request to a route nothing has called yet, and the
  time of the first OpenAPI build. ``--shape scale`` is the app of the request measurements
  (one kind of route); ``--shape realistic`` is ``apps/fastapi_startup.py`` (parameters of
  every location, nested bodies with ``EmailStr``, response models, a three-level dependency
  chain, 20 routers included with a prefix), for FastAPI and Accord.
"""

import argparse
import gc
import json
import os
import time
from contextlib import AsyncExitStack
from typing import Any

from benchmarks.inprocess import (
    Lifespan,
    Settings,
    describe_error,
    fetch,
    measure_all,
    run,
)
from benchmarks.scenarios import Scenario

SIZES = (10, 100, 1000)


def last_route_scenario(n_routes: int) -> Scenario:
    """A GET that reaches the last of ``n_routes`` routes."""
    from benchmarks.apps.scale_models import scale_path

    return Scenario(
        f"routes_{n_routes}",
        7,
        f"last of {n_routes} routes",
        "GET",
        scale_path(n_routes - 1),
        "q=x",
    )


def expected_body(n_routes: int) -> dict[str, Any]:
    """What the last route of an ``n_routes`` app answers."""
    return {"id": 7, "resource": n_routes - 1, "q": "x"}


async def _measure_sizes(apps: dict[int, Any], settings: Settings) -> list[dict[str, Any]]:
    async with AsyncExitStack() as stack:
        for app in apps.values():
            await stack.enter_async_context(Lifespan(app))
        pairs = [(app, last_route_scenario(n)) for n, app in apps.items()]
        return await measure_all(pairs, settings)


def request_times(framework: str, sizes: tuple[int, ...], settings: Settings) -> dict[str, Any]:
    """Time a request to the last route for each app size (batches interleave the sizes)."""
    from benchmarks.apps import load_module

    module = load_module(framework, "scale")
    apps = {n: module.build(n) for n in sizes}
    results: dict[str, Any] = {}
    for n, result in zip(apps, run(_measure_sizes(apps, settings))):
        if "error" not in result and json.loads(result["body"] or "null") != expected_body(n):
            result["error"] = f"unexpected body {result['body'][:200]!r}"
        results[str(n)] = result
    return results


def _rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        resident_pages = int(statm.read().split()[1])
    return resident_pages * os.sysconf("SC_PAGE_SIZE")


def _openapi(module: Any, app: Any) -> dict[str, Any]:
    if hasattr(module, "openapi"):
        return module.openapi(app)  # type: ignore[no-any-return]
    return app.openapi()  # type: ignore[no-any-return]


SHAPES = {"scale": "scale", "realistic": "startup"}  # shape -> app module stem


async def first_request(app: Any, scenario: Scenario) -> tuple[int, float]:
    """The status and wall time of one request, inside the app's lifespan."""
    async with Lifespan(app):
        asked = time.perf_counter()
        reply = await fetch(app, scenario)
        return reply.status, time.perf_counter() - asked


def cold_route_scenario(module: Any, n_routes: int) -> Scenario:
    """The request the start-up measurement sends first: to a route never called before."""
    if not hasattr(module, "first_route_path"):
        return last_route_scenario(n_routes)
    path = module.first_route_path()
    return Scenario("cold_route", 7, "first route, first request", "GET", path, "")


def startup(framework: str, n_routes: int, shape: str = "scale") -> dict[str, Any]:
    """Import + registration time, memory of the routes, the first request to a cold route,
    and the first OpenAPI build."""
    started = time.perf_counter()
    from benchmarks.apps import load_module

    module = load_module(framework, SHAPES[shape])
    imported = time.perf_counter()
    gc.collect()
    rss_before = _rss_bytes()
    built_at = time.perf_counter()
    app = module.build(n_routes)
    built = time.perf_counter()
    rss_routes = _rss_bytes() - rss_before
    scenario = cold_route_scenario(module, n_routes)
    status, first_request_s = run(first_request(app, scenario))
    result: dict[str, Any] = {
        "routes": n_routes,
        "shape": shape,
        "import_s": imported - started,
        "register_s": built - built_at,
        "startup_s": (imported - started) + (built - built_at),
        "rss_added_mb": rss_routes / 2**20,
        "first_status": status,
        "first_request_ms": first_request_s * 1000,
    }
    if framework == "starlette" or not (hasattr(app, "openapi") or hasattr(module, "openapi")):
        result["openapi"] = "n/a"
        return result
    try:
        t0 = time.perf_counter()
        document = _openapi(module, app)
        result["openapi_s"] = time.perf_counter() - t0
        result["openapi_paths"] = len(document.get("paths", {}))
    except Exception as exc:  # Accord's OpenAPI may not exist yet: report, do not crash
        result["openapi"] = f"n/a ({describe_error(exc)})"
    return result


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("requests", "startup"))
    parser.add_argument("--app", required=True)
    parser.add_argument("--routes", type=int, default=1000, help="startup: app size")
    parser.add_argument("--shape", choices=tuple(SHAPES), default="scale", help="startup: app")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="requests: sizes")
    parser.add_argument("--warmup-seconds", type=float, default=Settings.warmup_seconds)
    parser.add_argument("--batch-seconds", type=float, default=Settings.batch_seconds)
    parser.add_argument("--repeats", type=int, default=Settings.repeats)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = _parse(argv)
    output: dict[str, Any] = {"app": args.app, "mode": args.mode}
    try:
        if args.mode == "startup":
            output["results"] = startup(args.app, args.routes, args.shape)
        else:
            sizes = tuple(int(s) for s in args.sizes.split(","))
            settings = Settings(args.warmup_seconds, args.batch_seconds, args.repeats)
            output["results"] = request_times(args.app, sizes, settings)
    except Exception as exc:
        output["error"] = describe_error(exc)
    print(json.dumps(output))


if __name__ == "__main__":
    main()
