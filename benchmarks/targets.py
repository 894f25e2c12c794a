"""Figures derived from a run: medians, ratios between apps, and the issue's targets.

Everything here is a pure function of the results document that ``benchmarks.run`` writes, so
a report can be rebuilt from ``results.json`` alone.
"""

import json
from dataclasses import asdict, dataclass
from statistics import median
from typing import Any

from benchmarks.scenarios import SCENARIOS

SUBJECT = "accord"
# Items of the issue measured against FastAPI (3x on item 4) and the Starlette floor.
VS_FASTAPI = {1: 2.0, 2: 2.0, 3: 2.0, 4: 3.0, 6: 2.0}
VS_STARLETTE = {1: 1.3, 2: 1.3, 3: 1.3, 4: 1.3, 5: 1.1, 6: 1.3}
MAX_CALLS_NO_PARAMS = 45
NO_PARAM_GETS = ("plaintext", "json")
SCALE_LIMIT = 1.2
HTTP_LITESTAR_EXEMPT = (5,)
# Over HTTP, Accord's share of the server's own floor (a bare ASGI callable on the same server).
HTTP_FLOOR = 0.8
# Litestar on its own modelling library (msgspec Structs, the same data): Accord at most its
# time on these endpoints.
MSGSPEC_PEER = "litestar-msgspec"
VS_MSGSPEC = ("list",)
# Reported, not held to the FastAPI ratio: `def` dependencies run in the thread pool, as
# FastAPI's do (two thread hops for the chain); the figure stays in the tables.
FASTAPI_RATIO_EXEMPT = ("profile_sync",)


@dataclass
class Target:
    """One target of the issue, evaluated on one figure.

    Attributes:
        area: 'in-process', 'calls', 'scale', 'start-up' or 'http'.
        text: the target in words.
        scenario: the endpoint (scenario key) it applies to, or ''.
        value: the measured figure (a ratio or a count); None when it could not be measured.
        limit: the bound the figure is held to.
        met: True/False, or None when not measurable (e.g. Accord not importable yet).
    """

    area: str
    text: str
    scenario: str
    value: float | None
    limit: float
    met: bool | None


def us_per_request(result: dict[str, Any] | None) -> float | None:
    """Median CPU microseconds per request of one in-process result, if it was measured."""
    if not result or result.get("error") or not result.get("samples_us"):
        return None
    return float(median(result["samples_us"]))


def inprocess_table(doc: dict[str, Any]) -> dict[str, dict[str, float | None]]:
    """{scenario: {app: µs per request}} for every app and scenario of the run."""
    table: dict[str, dict[str, float | None]] = {}
    for app, results in doc.get("inprocess", {}).items():
        for key, result in results.items():
            table.setdefault(key, {})[app] = us_per_request(result)
    return table


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """numerator / denominator, or None when either is missing."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def _parsed(body: str | None) -> Any:
    try:
        return json.loads(body or "")
    except ValueError:
        return body


def body_mismatches(doc: dict[str, Any], reference: str = "fastapi") -> dict[str, list[str]]:
    """{scenario: [apps whose response body differs from the reference app's]}."""
    inprocess = doc.get("inprocess", {})
    found: dict[str, list[str]] = {}
    for key, expected in inprocess.get(reference, {}).items():
        want = _parsed(expected.get("body"))
        for app, results in inprocess.items():
            got = results.get(key)
            if got and "body" in got and _parsed(got["body"]) != want:
                found.setdefault(key, []).append(app)
    return found


def _met(value: float | None, limit: float, higher_is_better: bool) -> bool | None:
    if value is None:
        return None
    return value >= limit if higher_is_better else value <= limit


def inprocess_targets(doc: dict[str, Any]) -> list[Target]:
    """Throughput against FastAPI and time against hand-written Starlette, per endpoint."""
    table, targets = inprocess_table(doc), []
    for scenario in SCENARIOS:
        row = table.get(scenario.key, {})
        mine = row.get(SUBJECT)
        if scenario.item in VS_FASTAPI and scenario.key not in FASTAPI_RATIO_EXEMPT:
            limit = VS_FASTAPI[scenario.item]
            value = ratio(row.get("fastapi"), mine)
            targets.append(
                Target(
                    "in-process",
                    f">= {limit:g}x FastAPI's throughput",
                    scenario.key,
                    value,
                    limit,
                    _met(value, limit, True),
                )
            )
        limit = VS_STARLETTE[scenario.item]
        value = ratio(mine, row.get("starlette"))
        targets.append(
            Target(
                "in-process",
                f"<= {limit:g}x hand-written Starlette's time",
                scenario.key,
                value,
                limit,
                _met(value, limit, False),
            )
        )
        if scenario.key in VS_MSGSPEC:
            value = ratio(mine, row.get(MSGSPEC_PEER))
            text = "Accord's time <= Litestar+msgspec's time (ahead)"
            targets.append(
                Target("in-process", text, scenario.key, value, 1.0, _met(value, 1.0, False))
            )
    return targets


def call_targets(doc: dict[str, Any]) -> list[Target]:
    """Python calls for a GET without parameters, and independence from router depth."""
    mine = doc.get("inprocess", {}).get(SUBJECT, {})
    calls = {key: mine.get(key, {}).get("call") for key in (*NO_PARAM_GETS, "nested")}
    targets = [
        Target(
            "calls",
            f"<= {MAX_CALLS_NO_PARAMS} Python calls, GET without parameters",
            key,
            calls[key],
            MAX_CALLS_NO_PARAMS,
            _met(calls[key], MAX_CALLS_NO_PARAMS, False),
        )
        for key in NO_PARAM_GETS
    ]
    extra = None
    if calls["nested"] is not None and calls["json"] is not None:
        extra = float(calls["nested"] - calls["json"])
    targets.append(
        Target(
            "calls",
            "3 routers deep costs 0 extra calls (nested - json)",
            "nested",
            extra,
            0,
            _met(extra, 0, False),
        )
    )
    return targets


def scale_table(doc: dict[str, Any]) -> dict[str, dict[str, float | None]]:
    """{app: {size: µs per request to the last route}}."""
    requests = doc.get("scale", {}).get("requests", {})
    return {
        app: {size: us_per_request(r) for size, r in sizes.items()}
        for app, sizes in requests.items()
    }


def scale_targets(doc: dict[str, Any]) -> list[Target]:
    """Request time with 1,000 routes against 10 routes."""
    sizes = scale_table(doc).get(SUBJECT, {})
    value = ratio(sizes.get("1000"), sizes.get("10"))
    return [
        Target(
            "scale",
            f"time at 1,000 routes <= {SCALE_LIMIT:g}x time at 10 routes",
            "routes",
            value,
            SCALE_LIMIT,
            _met(value, SCALE_LIMIT, False),
        )
    ]


STARTUP_TIME_LIMIT = 0.5
STARTUP_MEMORY_LIMIT = 1.0
STARTUP_SIZE = 1000


def startup_table(doc: dict[str, Any]) -> dict[int, dict[str, dict[str, float]]]:
    """{routes: {app: medians of start-up s, registration s, MB, first request ms}} of the
    realistic app's runs."""
    runs: dict[int, dict[str, dict[str, list[float]]]] = {}
    for app, results in doc.get("startup", {}).items():
        for result in results:
            figures = runs.setdefault(int(result["routes"]), {}).setdefault(app, {})
            for key in ("startup_s", "register_s", "rss_added_mb", "first_request_ms"):
                figures.setdefault(key, []).append(float(result[key]))
    return {
        size: {app: {k: float(median(v)) for k, v in f.items()} for app, f in apps.items()}
        for size, apps in sorted(runs.items())
    }


def startup_targets(doc: dict[str, Any]) -> list[Target]:
    """The realistic app at 1,000 routes: half FastAPI's start-up time, at most its memory."""
    row = startup_table(doc).get(STARTUP_SIZE, {})
    ours, theirs = row.get(SUBJECT, {}), row.get("fastapi", {})
    found = []
    for key, limit, words in (
        ("startup_s", STARTUP_TIME_LIMIT, "start-up time"),
        ("rss_added_mb", STARTUP_MEMORY_LIMIT, "memory of the routes"),
    ):
        value = ratio(ours.get(key), theirs.get(key))
        text = f"{words} <= {limit:g}x FastAPI's at {STARTUP_SIZE:,} routes (realistic app)"
        found.append(Target("start-up", text, "startup", value, limit, _met(value, limit, False)))
    return found


def http_rps(doc: dict[str, Any], server: str = "uvicorn") -> dict[str, dict[str, float | None]]:
    """{scenario: {app: median requests/s}} over HTTP."""
    table: dict[str, dict[str, float | None]] = {}
    for app, results in doc.get("http", {}).get(server, {}).items():
        for key, result in results.items():
            table.setdefault(key, {})[app] = result.get("rps")
    return table


def http_targets(doc: dict[str, Any]) -> list[Target]:
    """Over HTTP: ahead of FastAPI everywhere, of Litestar everywhere but item 5."""
    targets: list[Target] = []
    for server in ("uvicorn", "granian"):
        table = http_rps(doc, server)
        for scenario in SCENARIOS:
            if scenario.key not in table:
                continue
            row = table[scenario.key]
            for peer in ("fastapi", "litestar"):
                if peer == "litestar" and scenario.item in HTTP_LITESTAR_EXEMPT:
                    continue
                value = ratio(row.get(SUBJECT), row.get(peer))
                met = None if value is None else value > 1.0
                text = f"{server}: more requests/s than {peer} (ratio > 1)"
                targets.append(Target("http", text, scenario.key, value, 1.0, met))
            if scenario.key in NO_PARAM_GETS and row.get("raw") is not None:
                value = ratio(row.get(SUBJECT), row.get("raw"))
                text = f"{server}: >= {HTTP_FLOOR:.0%} of the raw ASGI floor's requests/s"
                targets.append(
                    Target("http", text, scenario.key, value, HTTP_FLOOR, _met(value, HTTP_FLOOR, True))
                )
    return targets


def all_targets(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Every target of the issue, evaluated on ``doc``, as plain dicts."""
    found = [
        *inprocess_targets(doc),
        *call_targets(doc),
        *scale_targets(doc),
        *startup_targets(doc),
        *http_targets(doc),
    ]
    return [asdict(t) for t in found]
