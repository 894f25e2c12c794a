"""Render a run's results document as ``RESULTS.md``."""

from pathlib import Path
from statistics import median
from typing import Any

from benchmarks.apps import FRAMEWORKS
from benchmarks.scenarios import SCENARIOS
from benchmarks.targets import (
    MSGSPEC_PEER,
    SUBJECT,
    body_mismatches,
    http_rps,
    inprocess_table,
    ratio,
    scale_table,
    startup_table,
)

NA = "n/a"


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A GitHub-flavoured Markdown table."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def num(value: float | None, digits: int = 1) -> str:
    return NA if value is None else f"{value:,.{digits}f}"


def times(value: float | None) -> str:
    return NA if value is None else f"{value:.2f}x"


def _apps(present: dict[str, Any]) -> list[str]:
    return [app for app in FRAMEWORKS if app in present]


def _status(met: bool | None) -> str:
    return {True: "met", False: "**NOT met**", None: NA}[met]


def header(doc: dict[str, Any]) -> str:
    meta = doc["meta"]
    machine, settings = meta["machine"], meta["settings"]
    lines = [
        "# Benchmark results",
        "",
        f"Generated {meta['date']} by `{meta['command']}` "
        f"({'quick smoke run' if settings['quick'] else 'full run'}, "
        f"{meta['elapsed_s']:.0f} s). Regenerate with `make bench`; "
        "`python -m benchmarks.run --quick` for a 1-2 minute smoke run. "
        "Raw figures: `results.json` beside this file.",
        "",
        "## Machine",
        "",
        f"- CPU: {machine['cpu']}, {machine['cores']} cores"
        f"{' (virtual machine)' if machine['virtualized'] else ''}; "
        f"memory {machine['memory_gib']} GiB; {machine['os']}; {machine['python']}",
        f"- load average (1/5/15 min) at start {meta['load_start']}, at end {meta['load_end']}: "
        "other processes on the machine slow every app alike but add noise",
        "",
        "## Versions",
        "",
        table(["package", "version"], [[k, v] for k, v in meta["versions"].items()]),
    ]
    if meta.get("accord_error"):
        lines += ["", f"**Accord was not measured**: {meta['accord_error']}"]
    return "\n".join(lines)


def method(doc: dict[str, Any]) -> str:
    s = doc["meta"]["settings"]
    return "\n".join(
        [
            "## Method",
            "",
            "- Apps: `benchmarks/apps/`. The Accord app *is* the FastAPI app "
            "(`fastapi_app.py`, run again with `fastapi` replaced by `accord` in its import lines). "
            "Litestar uses the same Pydantic models; litestar-msgspec is Litestar with msgspec "
            "Structs carrying the same data (the endpoints with models only: list and profiles; "
            "over HTTP, the list only); "
            "hand-written Starlette validates by hand with "
            "the same rules (same e-mail validator) and is the floor for a Starlette-based framework.",
            f"- In-process: the ASGI app called directly (hand-built scope, receive, send), "
            "lifespan run; each app in its own process, all started once and timed in lock-step: "
            "one batch per app in turn, the order rotating, so that other work on the machine "
            "hits every app alike. CPU time (`time.process_time`, all threads) over a batch sized "
            f"to ~{s['inprocess']['batch_seconds']} s after {s['inprocess']['warmup_seconds']} s "
            f"of warm-up; {s['inprocess']['repeats']} batches per app and endpoint, median "
            "reported. Each app's answer is checked (status; body equal to FastAPI's) before "
            "timing, and every timed response's status is checked.",
            "- Calls: `sys.setprofile` 'call' events (coroutine resumptions included) for one warm "
            "request, the harness's own receive/send excluded; main thread only (sync dependencies "
            "run in worker threads, whose calls are not counted).",
            f"- Over HTTP: Uvicorn (1 worker, uvloop, httptools, no access log) pinned to CPU 0, "
            f"`wrk -t1 -c{s['http']['connections']}` pinned to CPU 1, 127.0.0.1 only; "
            f"{s['http']['warmup']} s warm-up then {s['http']['rounds']} runs of "
            f"{s['http']['duration']} s per app and endpoint, apps interleaved; median req/s and "
            "median p99 latency.",
        ]
    )


def targets_section(doc: dict[str, Any]) -> str:
    rows = []
    for t in doc["targets"]:
        value = t["value"]
        shown = NA if value is None else (f"{value:g}" if t["area"] == "calls" else times(value))
        rows.append([t["area"], t["text"], t["scenario"], shown, _status(t["met"])])
    met = sum(1 for t in doc["targets"] if t["met"] is True)
    measured = sum(1 for t in doc["targets"] if t["met"] is not None)
    return "\n".join(
        [
            f"## Targets ({met} of {measured} measured targets met)",
            "",
            table(["area", "target", "endpoint", "figure", "status"], rows),
        ]
    )


def _label(key: str) -> str:
    for s in SCENARIOS:
        if s.key == key:
            return f"{s.item}. {key}"
    return key


def inprocess_section(doc: dict[str, Any]) -> str:
    data, mismatched = inprocess_table(doc), body_mismatches(doc)
    apps = _apps(doc.get("inprocess", {}))
    time_rows, rate_rows, floor_rows = [], [], []
    for key, row in data.items():
        wrong = mismatched.get(key, [])
        cells = [num(row.get(a)) + (" (body differs)" if a in wrong else "") for a in apps]
        mine = row.get(SUBJECT)
        time_rows.append(
            [
                _label(key),
                *cells,
                times(ratio(row.get("fastapi"), mine)),
                times(ratio(mine, row.get("starlette"))),
                times(ratio(row.get("litestar"), mine)),
                times(ratio(row.get(MSGSPEC_PEER), mine)),
            ]
        )
        rate_rows.append([_label(key), *[num(ratio(1e6, row.get(a)), 0) for a in apps]])
        floor_rows.append(
            [_label(key), *[times(ratio(row.get(a), row.get("starlette"))) for a in apps]]
        )
    return "\n".join(
        [
            "## In-process: CPU microseconds per request (median; lower is better)",
            "",
            table(
                [
                    "endpoint",
                    *apps,
                    "Accord speed-up vs FastAPI",
                    "Accord time / Starlette",
                    "Accord speed-up vs Litestar",
                    "vs Litestar+msgspec",
                ],
                time_rows,
            ),
            "",
            "## In-process: requests per CPU-second (higher is better)",
            "",
            table(["endpoint", *apps], rate_rows),
            "",
            "## In-process: time relative to hand-written Starlette (1.00x = the floor)",
            "",
            table(["endpoint", *apps], floor_rows),
        ]
    )


def calls_section(doc: dict[str, Any]) -> str:
    inprocess = doc.get("inprocess", {})
    apps = _apps(inprocess)
    rows = []
    for scenario in SCENARIOS:
        cells = []
        for app in apps:
            r = inprocess[app].get(scenario.key, {})
            cells.append(NA if r.get("call") is None else f"{r['call']} ({r['c_call']})")
        rows.append([_label(scenario.key), *cells])
    return "\n".join(
        [
            "## Python function calls per request (C calls in brackets)",
            "",
            table(["endpoint", *apps], rows),
        ]
    )


def _startup_figures(runs: list[dict[str, Any]]) -> list[str]:
    good = [r for r in runs if "startup_s" in r]
    if not good:
        return [NA] * 4
    openapi = [r["openapi_s"] for r in good if "openapi_s" in r]
    return [
        num(median(r["startup_s"] for r in good), 2),
        num(median(r["register_s"] for r in good), 2),
        num(median(openapi), 2) if openapi else NA,
        num(median(r["rss_added_mb"] for r in good), 1),
    ]


def scale_section(doc: dict[str, Any]) -> str:
    times_by_app = scale_table(doc)
    startup = doc.get("scale", {}).get("startup", {})
    rows = []
    for app in _apps({**times_by_app, **startup}):
        sizes = times_by_app.get(app, {})
        rows.append(
            [
                app,
                num(sizes.get("10")),
                num(sizes.get("100")),
                num(sizes.get("1000")),
                times(ratio(sizes.get("1000"), sizes.get("10"))),
                *_startup_figures(startup.get(app, [])),
            ]
        )
    headers = [
        "app",
        "µs/req, 10 routes",
        "100 routes",
        "1,000 routes",
        "1,000 / 10",
        "start-up s (import + 1,000 routes)",
        "of which registration s",
        "OpenAPI build s (1,000 routes)",
        "RSS MB per 1,000 routes",
    ]
    return "\n".join(
        [
            "## Scale (request to the last route; start-up in a fresh process)",
            "",
            table(headers, rows),
        ]
    )


def startup_section(doc: dict[str, Any]) -> str:
    """The realistic app's start-up curve, Accord against FastAPI, by number of routes."""
    by_size = startup_table(doc)
    if not by_size:
        return ""
    rows = []
    for size, apps in by_size.items():
        ours, theirs = apps.get(SUBJECT, {}), apps.get("fastapi", {})
        rows.append(
            [
                f"{size:,}",
                *(
                    cell
                    for key, digits in (
                        ("startup_s", 2),
                        ("rss_added_mb", 1),
                        ("first_request_ms", 1),
                    )
                    for cell in (
                        num(ours.get(key), digits),
                        num(theirs.get(key), digits),
                        times(ratio(ours.get(key), theirs.get(key))),
                    )
                ),
            ]
        )
    headers = ["routes"] + [
        f"{what} {who}"
        for what in ("start-up s", "MB", "first request ms")
        for who in ("accord", "fastapi", "ratio")
    ]
    return "\n".join(
        [
            "## Start-up of a realistic app (fresh process per run, medians)",
            "",
            "`benchmarks/apps/fastapi_startup.py`, run unchanged on both: path, query and header "
            "parameters, nested bodies with `EmailStr`, response models, a three-level "
            "dependency chain, 20 routers included with a prefix. Start-up is import plus "
            "registration; MB is the resident memory registration added; the first request "
            "goes to a route nothing has called (FastAPI builds an included route then).",
            "",
            table(headers, rows),
        ]
    )


def http_section(doc: dict[str, Any], server: str, title: str) -> str:
    results = doc.get("http", {}).get(server, {})
    if not results:
        reason = doc.get("http", {}).get("skipped", "not run")
        return f"## {title}\n\n{reason}"
    apps, rps = _apps(results), http_rps(doc, server)
    rows = []
    for key, row in rps.items():
        cells = []
        for app in apps:
            r = results[app].get(key)
            if r is None:
                cells.append("")
            elif "rps" in r:
                errors = f", {r['errors']} errors" if r.get("errors") else ""
                cells.append(f"{r['rps']:,.0f} ({r['p99_ms']:.1f} ms{errors})")
            else:
                cells.append("error")
        rows.append(
            [
                _label(key),
                *cells,
                times(ratio(row.get(SUBJECT), row.get("fastapi"))),
                times(ratio(row.get(SUBJECT), row.get("litestar"))),
                times(ratio(row.get(SUBJECT), row.get("raw"))),
            ]
        )
    return "\n".join(
        [
            f"## {title}",
            "",
            "requests/s (p99 latency); the raw floor is a bare ASGI callable on the same server",
            "",
            table(
                ["endpoint", *apps, "Accord / FastAPI", "Accord / Litestar", "Accord / raw floor"],
                rows,
            ),
        ]
    )


def _short(text: str, limit: int = 300) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def _http_problems(doc: dict[str, Any]) -> list[str]:
    lines = []
    for server, by_app in doc.get("http", {}).items():
        if not isinstance(by_app, dict):
            continue
        for app, results in by_app.items():
            for key, result in results.items():
                check = result.get("check", {})
                errors = [check["error"]] if check.get("error") else []
                errors += check.get("run_errors", [])
                lines += [f"- {server} {app} {key}: {_short(e)}" for e in errors]
    return lines


def _scale_problems(doc: dict[str, Any]) -> list[str]:
    scale = doc.get("scale", {})
    lines = [
        f"- scale {app} {n} routes: {_short(r['error'])}"
        for app, sizes in scale.get("requests", {}).items()
        for n, r in sizes.items()
        if r.get("error")
    ]
    for app, runs in scale.get("startup", {}).items():
        first = runs[0] if runs else {}
        if str(first.get("openapi", "")).startswith("n/a ("):
            lines.append(f"- start-up {app}: OpenAPI {_short(first['openapi'])}")
    return lines


def problems_section(doc: dict[str, Any]) -> str:
    lines = [
        f"- in-process {app} {key}: {_short(r['error'])}"
        for app, results in doc.get("inprocess", {}).items()
        for key, r in results.items()
        if r.get("error")
    ]
    for key, apps in body_mismatches(doc).items():
        lines.append(f"- {key}: body differs from FastAPI's for {', '.join(apps)}")
    lines += _scale_problems(doc) + _http_problems(doc)
    lines += [f"- {_short(e)}" for e in doc.get("errors", [])]
    return "## Problems\n\n" + ("\n".join(lines) if lines else "None.")


def http_profile_section() -> str:
    """Where the time goes over HTTP, kept from the last ``python -m benchmarks.http_profile``."""
    path = Path(__file__).with_name("http_profile.md")
    return path.read_text().strip() if path.exists() else ""


def harbor_section() -> str:
    """The Harbor example's load figures, kept from the last ``python -m benchmarks.harbor_load``."""
    path = Path(__file__).with_name("harbor_results.md")
    return path.read_text().strip() if path.exists() else ""


README_MARKERS = ("<!-- bench:start -->", "<!-- bench:end -->")
# The README's short table: the endpoints, in the words a newcomer reads them.
README_LABELS = {
    "plaintext": "`GET /plaintext`",
    "json": "`GET /json`",
    "items": "`GET /items/{id}?q=&limit=`",
    "orders": "`POST /orders` (nested body, `EmailStr`, response model)",
    "profile": "`GET /users/{id}/profile` (3-level async dependencies)",
    "profile_sync": "the same with `def` dependencies (thread pool)",
    "list": "`GET /list` (100 nested models)",
    "nested": "`GET /json` three routers deep",
}


def readme_block(doc: dict[str, Any]) -> str:
    """The README's speed table (what goes between its bench markers), from one run's results."""
    data, versions = inprocess_table(doc), doc.get("meta", {}).get("versions", {})
    names = {
        "fastapi": f"FastAPI {versions.get('fastapi', '')}".strip(),
        "litestar": f"Litestar {versions.get('litestar', '')}".strip(),
        "starlette": "hand-written Starlette",
    }
    rows = []
    for key, label in README_LABELS.items():
        row = data.get(key, {})
        cells = [num(row.get(app), 1 if (row.get(app) or 0) < 100 else 0) for app in
                 (SUBJECT, "fastapi", "litestar", "starlette")]
        rows.append([label, *cells, times(ratio(row.get("fastapi"), row.get(SUBJECT)))])
    lines = [table(["endpoint", "Accord", *names.values(), "Accord vs FastAPI"], rows)]
    startup = startup_table(doc).get(1000, {})
    ours, theirs = startup.get(SUBJECT, {}), startup.get("fastapi", {})
    if ours and theirs:
        lines += [
            "",
            f"Start-up of a realistic 1,000-route app (import + registration): "
            f"{num(ours['startup_s'], 2)} s against FastAPI's {num(theirs['startup_s'], 2)} s "
            f"({times(ratio(ours['startup_s'], theirs['startup_s']))}); the first request to "
            f"a route nothing has called: {num(ours['first_request_ms'])} ms against "
            f"{num(theirs['first_request_ms'])} ms.",
        ]
    rps = http_rps(doc, "uvicorn")
    speedups = [ratio(row.get(SUBJECT), row.get("fastapi")) for row in rps.values()]
    found = [value for value in speedups if value is not None]
    if found:
        lines += [
            "",
            f"Over HTTP (Uvicorn, one worker, `wrk`), Accord serves {times(min(found))} to "
            f"{times(max(found))} FastAPI's requests per second across these endpoints.",
        ]
    calls = doc.get("inprocess", {})
    ours_calls = calls.get(SUBJECT, {}).get("json", {}).get("call")
    their_calls = calls.get("fastapi", {}).get("json", {}).get("call")
    if ours_calls and their_calls:
        lines += [
            "",
            f"`GET /json` costs {ours_calls} Python function calls (FastAPI: {their_calls}).",
        ]
    machine = doc.get("meta", {}).get("machine", {})
    lines += [
        "",
        f"CPU microseconds per request (median), {doc.get('meta', {}).get('date', '')}, "
        f"{machine.get('cores', '?')} cores ({machine.get('cpu', '?')}), Python "
        f"{versions.get('python', '?')}, Starlette {versions.get('starlette', '?')}, "
        f"Pydantic {versions.get('pydantic', '?')}.",
    ]
    return "\n".join(lines)


def replace_between(text: str, markers: tuple[str, str], content: str) -> str:
    """``text`` with what stands between the two marker lines replaced by ``content``
    (the README's generated tables: the benchmark's and the ecosystem matrix's)."""
    start, end = markers
    if text.count(start) != 1 or text.count(end) != 1 or text.index(start) > text.index(end):
        raise ValueError(f"expected one {start} followed by one {end}")
    before, rest = text.split(start, 1)
    _, after = rest.split(end, 1)
    return f"{before}{start}\n{content.strip()}\n{end}{after}"


def render(doc: dict[str, Any]) -> str:
    """The whole ``RESULTS.md`` for results document ``doc``."""
    sections = [
        header(doc),
        targets_section(doc),
        inprocess_section(doc),
        calls_section(doc),
        scale_section(doc),
        startup_section(doc),
        http_section(doc, "uvicorn", "Over HTTP: Uvicorn, one worker, wrk"),
        http_section(doc, "granian", "Over HTTP: Granian, one worker, wrk (GET /json)"),
        http_profile_section(),
        harbor_section(),
        problems_section(doc),
        method(doc),
    ]
    return "\n\n".join(section for section in sections if section) + "\n"
