"""The benchmark apps answer correctly, and the same, before anyone times them.

Runs the in-process harness in its tiny mode (one request per batch) for every app, and checks
each endpoint's status, content type and body against the FastAPI app's. No timing assertions.
"""

import json
import re

import msgspec
import pytest
from starlette.testclient import TestClient

from benchmarks import lockstep, overhttp, report, targets
from benchmarks import run as bench_run
from benchmarks.apps import (
    APPS_DIR,
    FRAMEWORKS,
    SCALE_FRAMEWORKS,
    STARTUP_FRAMEWORKS,
    as_accord_source,
    load_module,
)
from benchmarks.apps.models import ITEM_ROWS
from benchmarks.inprocess import TINY, Settings, fetch, measure_app, run
from benchmarks.scale import cold_route_scenario, expected_body, first_request, last_route_scenario
from benchmarks.scenarios import FULL_APPS, REJECTS, SCENARIOS, for_framework

LINE = {"sku": "A-1", "quantity": 1, "price": "2.50"}


def _measure(framework: str) -> dict:
    return run(measure_app(load_module(framework).app, for_framework(framework), TINY))


@pytest.fixture(scope="module")
def fastapi_results() -> dict:
    return _measure("fastapi")


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_every_endpoint_answers_like_fastapi(framework: str, fastapi_results: dict) -> None:
    results = _measure(framework)
    assert set(results) == {s.key for s in for_framework(framework)}
    for key, result in results.items():
        expected = fastapi_results[key]
        assert "error" not in result, (key, result.get("error"))
        assert result["status"] == expected["status"], key
        assert result["content_type"] == expected["content_type"], key
        if expected["content_type"] == "application/json":
            assert json.loads(result["body"]) == json.loads(expected["body"]), key
        else:
            assert result["body"] == expected["body"], key
        # the harness really timed and profiled the request
        assert len(result["samples_us"]) == 1 and result["samples_us"][0] > 0, key
        assert result["call"] > 0, key


def test_reference_bodies_are_the_specified_ones(fastapi_results: dict) -> None:
    assert fastapi_results["plaintext"]["body"] == "Hello, World!"
    assert json.loads(fastapi_results["json"]["body"]) == {"message": "Hello, World!"}
    assert json.loads(fastapi_results["nested"]["body"]) == {"message": "Hello, World!"}
    assert json.loads(fastapi_results["items"]["body"]) == {
        "item_id": 42,
        "q": "hello",
        "limit": 25,
    }
    order = json.loads(fastapi_results["orders"]["body"])
    assert fastapi_results["orders"]["status"] == 201
    assert order["total"] == "44.98" and "risk_score" not in order
    items = json.loads(fastapi_results["list"]["body"])
    assert len(items) == 100 and "supplier_cost" not in items[0]
    assert set(items[0]["dimensions"]) == {"width", "height", "depth"}
    profile = json.loads(fastapi_results["profile"]["body"])
    assert profile == json.loads(fastapi_results["profile_sync"]["body"])
    assert "hashed_password" not in profile and profile["id"] == 7


@pytest.mark.parametrize("framework", [*FULL_APPS, "litestar-msgspec"])
def test_invalid_requests_are_refused(framework: str) -> None:
    app = load_module(framework).app
    rejects = for_framework(framework, REJECTS)

    async def statuses() -> dict[str, int]:
        return {s.key: (await fetch(app, s)).status for s in rejects}

    found = run(statuses())
    assert len(found) == len(rejects) >= 3
    wrong = {
        key: status
        for key, status in found.items()
        if not next(s for s in REJECTS if s.key == key).ok(status)
    }
    assert not wrong


def test_the_msgspec_app_serves_the_model_endpoints_with_structs() -> None:
    module = load_module("litestar-msgspec")
    assert {s.key for s in for_framework("litestar-msgspec")} == {"profile", "profile_sync", "list"}
    items = run(module.list_items.fn())
    assert len(items) == 100 and all(type(item) is module.Item for item in items)
    assert isinstance(items[0], msgspec.Struct) and isinstance(items[0].dimensions, msgspec.Struct)
    assert not hasattr(items[0], "supplier_cost")
    # the rows are validated, not copied: a wrong type is refused as the Pydantic apps refuse it
    with pytest.raises(msgspec.ValidationError):
        msgspec.convert([{**ITEM_ROWS[0], "price": "cheap"}], list[module.Item])


@pytest.mark.parametrize("framework", SCALE_FRAMEWORKS)
def test_scale_apps_answer_on_their_last_route(framework: str) -> None:
    scenario = last_route_scenario(12)
    app = load_module(framework, "scale").build(12)
    result = run(measure_app(app, [scenario], TINY))[scenario.key]
    assert "error" not in result, result.get("error")
    assert json.loads(result["body"]) == expected_body(12)


@pytest.mark.parametrize("framework", STARTUP_FRAMEWORKS)
def test_the_startup_app_answers_on_its_cold_route(framework: str) -> None:
    module = load_module(framework, "startup")
    app = module.build(40)
    status, _ = run(first_request(app, cold_route_scenario(module, 40)))
    assert status == 200
    client = TestClient(app)
    headers = {"idempotency-key": "k1", "authorization": "Bearer t"}
    order = {"customer": {"name": "A", "email": "a@example.com"}, "lines": [LINE]}
    assert client.post("/v2/orders2", json=order, headers=headers).status_code == 201
    bad = {"customer": {"name": "A", "email": "not an address"}, "lines": []}
    assert client.post("/v2/orders2", json=bad, headers=headers).status_code == 422
    listed = client.get("/v1/orders1", params={"limit": 5}).json()
    assert (listed["limit"], listed["total"]) == (5, 1)
    assert client.get("/v0/orders0/0").status_code == 422  # Path(ge=1)
    assert len(app.openapi()["paths"]) == 40


def test_accord_app_differs_from_fastapi_app_only_in_imports() -> None:
    for name in ("fastapi_app.py", "fastapi_scale.py", "fastapi_startup.py"):
        original = (APPS_DIR / name).read_text().splitlines()
        rewritten = as_accord_source("\n".join(original)).splitlines()
        assert len(original) == len(rewritten)
        changed = [(a, b) for a, b in zip(original, rewritten) if a != b]
        assert changed, name
        for before, after in changed:
            assert re.match(r"\s*(from|import) fastapi\b", before)
            assert after == before.replace("fastapi", "accord", 1)
        code = [line for line in rewritten if not line.lstrip().startswith("#")]
        assert not any(re.search(r"\bimport fastapi\b|from fastapi\b", line) for line in code)


def test_accord_source_rewrite_refuses_a_module_without_fastapi_imports() -> None:
    with pytest.raises(ValueError):
        as_accord_source("import json\n")


WRK_OUTPUT = """\
Running 4s test @ http://127.0.0.1:8000/json
  1 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.10ms  500.00us  12.00ms   90.00%
  Latency Distribution
     50%  850.00us
     75%    4.20ms
     90%    4.50ms
     99%    1.20s
  40000 requests in 4.00s, 5.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:  10000.50
Transfer/sec:      1.25MB
"""


def test_the_msgspec_peer_runs_its_target_endpoint_over_http() -> None:
    plan = bench_run.http_plan(list(FRAMEWORKS))
    assert [s.key for s in plan["litestar-msgspec"]] == ["list"]
    assert plan["fastapi"] == for_framework("fastapi")


def test_wrk_output_is_parsed() -> None:
    parsed = overhttp.parse_wrk(WRK_OUTPUT)
    assert parsed == {
        "rps": 10000.5,
        "p50_ms": 0.85,
        "p99_ms": 1200.0,
        "requests": 40000,
        "errors": 7,
    }
    with pytest.raises(ValueError):
        overhttp.parse_wrk("connection refused")


def test_wrk_script_carries_method_headers_and_body() -> None:
    orders = next(s for s in SCENARIOS if s.key == "orders")
    script = overhttp.lua_script(orders)
    assert 'wrk.method = "POST"' in script
    assert 'wrk.headers["content-type"] = "application/json"' in script
    assert json.loads(script.split("[==[")[1].split("]==]")[0]) == json.loads(orders.body)


def _doc(accord_us: float, calls_json: int, calls_nested: int) -> dict:
    def result(us: float, calls: int = 50) -> dict:
        return {"samples_us": [us, us], "call": calls, "c_call": 1, "status": 200, "body": "{}"}

    inprocess = {
        "fastapi": {s.key: result(100.0) for s in SCENARIOS},
        "starlette": {s.key: result(40.0) for s in SCENARIOS},
        "accord": {s.key: result(accord_us) for s in SCENARIOS},
        "litestar-msgspec": {s.key: result(50.0) for s in for_framework("litestar-msgspec")},
    }
    inprocess["accord"]["json"]["call"] = calls_json
    inprocess["accord"]["nested"]["call"] = calls_nested
    scale = {"requests": {"accord": {"10": result(10.0), "1000": result(11.0)}}, "startup": {}}
    return {"inprocess": inprocess, "scale": scale, "startup": _startup_runs(), "http": {}}


def _startup_runs() -> dict:
    def run_(routes: int, seconds: float, mb: float) -> dict:
        figures = {"startup_s": seconds, "register_s": seconds / 2, "rss_added_mb": mb}
        return {"routes": routes, "first_request_ms": 2.0, **figures}

    return {
        "accord": [run_(1000, 0.9, 20.0), run_(1000, 1.1, 20.0), run_(10, 0.3, 1.0)],
        "fastapi": [run_(1000, 2.0, 25.0), run_(1000, 2.2, 30.0), run_(10, 0.4, 2.0)],
    }


def test_targets_are_judged_on_the_ratios() -> None:
    good = {(t["text"], t["scenario"]): t for t in targets.all_targets(_doc(45.0, 30, 30))}
    assert good[(">= 2x FastAPI's throughput", "json")]["met"] is True
    assert good[(">= 2x FastAPI's throughput", "json")]["value"] == pytest.approx(100 / 45)
    assert good[(">= 3x FastAPI's throughput", "profile")]["met"] is False
    assert (">= 3x FastAPI's throughput", "profile_sync") not in good  # reported only
    assert good[("<= 1.3x hand-written Starlette's time", "profile_sync")]["met"] is True
    assert good[("<= 1.3x hand-written Starlette's time", "items")]["met"] is True
    assert good[("<= 1.1x hand-written Starlette's time", "list")]["met"] is False
    ahead = "Accord's time <= Litestar+msgspec's time (ahead)"
    assert good[(ahead, "list")]["value"] == pytest.approx(45 / 50)
    assert good[(ahead, "list")]["met"] is True
    assert [t["scenario"] for t in good.values() if "msgspec" in t["text"]] == ["list"]
    behind = {(t["text"], t["scenario"]): t for t in targets.all_targets(_doc(60.0, 30, 30))}
    assert behind[(ahead, "list")]["met"] is False
    bad = {(t["area"], t["scenario"]): t for t in targets.all_targets(_doc(60.0, 50, 55))}
    assert bad[("calls", "json")]["met"] is False
    assert bad[("calls", "nested")]["value"] == 5
    assert bad[("scale", "routes")]["met"] is True
    time_, memory = (t for t in targets.all_targets(_doc(45.0, 30, 30)) if t["area"] == "start-up")
    assert time_["value"] == pytest.approx(1.0 / 2.1) and time_["met"] is True
    assert memory["value"] == pytest.approx(20.0 / 27.5) and memory["met"] is True
    slow = _doc(45.0, 30, 30)
    slow["startup"]["accord"][0]["startup_s"] = slow["startup"]["accord"][1]["startup_s"] = 1.2
    assert [t["met"] for t in targets.all_targets(slow) if t["area"] == "start-up"] == [False, True]


def test_targets_without_accord_are_not_measured() -> None:
    doc = _doc(45.0, 30, 30)
    del doc["inprocess"]["accord"]
    assert all(t["met"] is None for t in targets.all_targets(doc) if t["area"] == "in-process")


def test_report_renders_every_section() -> None:
    doc = _doc(45.0, 30, 30)
    doc["targets"] = targets.all_targets(doc)
    doc["errors"] = []
    doc["meta"] = {
        "date": "today",
        "command": "python -m benchmarks.run",
        "elapsed_s": 1.0,
        "machine": {
            "cpu": "cpu",
            "cores": 2,
            "virtualized": False,
            "memory_gib": 1,
            "os": "os",
            "python": "py",
        },
        "versions": {"fastapi": "0"},
        "load_start": [0.0],
        "load_end": [0.0],
        "accord_error": None,
        "settings": {
            "quick": True,
            "inprocess": {"batch_seconds": 1, "warmup_seconds": 1, "repeats": 1},
            "http": {"connections": 1, "warmup": 1, "rounds": 1, "duration": 1},
        },
    }
    text = report.render(doc)
    for title in (
        "## Targets",
        "## In-process",
        "## Python function calls",
        "## Scale",
        "## Start-up of a realistic app",
        "## Over HTTP",
        "## Problems",
        "## Method",
    ):
        assert title in text
    assert "| 1. json | 45.0 | 100.0 | n/a | 40.0 | 2.22x | 1.12x | n/a | n/a |" in text
    assert "| 5. list | 45.0 | 100.0 | 50.0 | 40.0 | 2.22x | 1.12x | n/a | 1.11x |" in text
    row = "| 1,000 | 1.00 | 2.10 | 0.48x | 20.0 | 27.5 | 0.73x | 2.0 | 2.0 | 1.00x |"
    assert row in text


def test_the_readme_table_is_the_runs() -> None:
    doc = _doc(45.0, 30, 30)
    doc["meta"] = {"date": "today", "machine": {"cores": 2, "cpu": "cpu"}, "versions": {}}
    doc["meta"]["versions"] = {"fastapi": "0.163.2", "litestar": "2.25.0", "python": "3.11"}
    block = report.readme_block(doc)
    start, end = report.README_MARKERS
    assert "| `GET /json` | 45.0 | 100 | n/a | 40.0 | 2.22x |" in block
    assert "| endpoint | Accord | FastAPI 0.163.2 | Litestar 2.25.0 |" in block
    assert "1.00 s against FastAPI's 2.10 s (0.48x)" in block
    assert "`GET /json` costs 30 Python function calls (FastAPI: 50)." in block
    readme = f"intro\n{start}\nold table\n{end}\nafter\n"
    replaced = report.replace_between(readme, report.README_MARKERS, block)
    assert replaced == f"intro\n{start}\n{block}\n{end}\nafter\n"


def test_lockstep_driver_measures_each_app_in_its_own_process() -> None:
    plan = {
        app: [s for s in for_framework(app) if s.key in ("plaintext", "json")]
        for app in ("starlette", "raw")
    }
    results, errors = lockstep.measure(plan, Settings(0.0, 0.0, 2), log=lambda _: None)
    assert errors == []
    for app in plan:
        assert set(results[app]) == {"plaintext", "json"}
        for result in results[app].values():
            assert "error" not in result
            assert len(result["samples_us"]) == 2 and result["call"] > 0
    assert json.loads(results["raw"]["json"]["body"]) == {"message": "Hello, World!"}
    assert results["starlette"]["plaintext"]["body"] == "Hello, World!"


def test_lockstep_reports_an_app_that_cannot_load() -> None:
    results, errors = lockstep.measure(
        {"nonexistent": []}, Settings(0.0, 0.0, 1), log=lambda _: None
    )
    assert results == {}
    assert len(errors) == 1 and "unknown framework" in errors[0]


def test_the_http_floor_target_compares_with_the_raw_app_on_the_same_server() -> None:
    row = {"rps": 0.0, "p50_ms": 1.0, "p99_ms": 2.0, "requests": 1, "errors": 0}
    doc = {
        "http": {
            "uvicorn": {
                "accord": {"plaintext": {**row, "rps": 17000.0}, "json": {**row, "rps": 9000.0}},
                "raw": {"plaintext": {**row, "rps": 20000.0}, "json": {**row, "rps": 20000.0}},
            },
            "granian": {"accord": {"json": {**row, "rps": 9000.0}}},  # no floor measured
        }
    }
    floor = [t for t in targets.http_targets(doc) if "floor" in t.text]
    assert [(t.text.split(":")[0], t.scenario, t.met) for t in floor] == [
        ("uvicorn", "plaintext", True),
        ("uvicorn", "json", False),
    ]
    assert floor[0].value == pytest.approx(0.85)
    text = report.http_section(doc, "uvicorn", "Over HTTP")
    assert "Accord / raw floor" in text and "0.85x" in text
