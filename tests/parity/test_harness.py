"""The parity harness itself: fw binding, isolation, and that differences are caught.

These run FastAPI against a deliberately altered FastAPI, so they hold whatever state
Accord is in.
"""

import importlib
import sys
import types
from pathlib import Path

import httpx
import pytest

from tests import oracle
from tests.oracle import Pair

from . import harness
from .harness import Case, Improvement, compare_case, get


def test_fw_namespace_resolves_names_and_submodules():
    fw = oracle.FrameworkNamespace("fastapi")
    fastapi = importlib.import_module("fastapi")
    assert fw.Depends is fastapi.Depends
    assert fw.responses.JSONResponse is importlib.import_module("fastapi.responses").JSONResponse
    cors = importlib.import_module("fastapi.middleware.cors")
    assert fw.middleware.cors.CORSMiddleware is cors.CORSMiddleware
    assert fw.status.HTTP_201_CREATED == 201
    with pytest.raises(AttributeError):
        fw.no_such_name_anywhere


def test_each_load_is_a_fresh_module_bound_to_its_framework():
    first = harness.load_scenario("dependencies", "fastapi")
    second = harness.load_scenario("dependencies", "fastapi")
    assert first is not second
    assert first.app is not second.app
    assert first.EVENTS is not second.EVENTS
    assert type(first.app).__module__.startswith("fastapi")
    assert "fw" not in sys.modules  # the binding only lives while a scenario executes


def _pair(mutate) -> Pair:
    """FastAPI on both sides, the subject's app wrapped by ``mutate`` (an ASGI wrapper)."""
    theirs = harness.load_scenario("responses", "fastapi")
    ours = harness.load_scenario("responses", "fastapi")
    return Pair("responses", theirs, types.SimpleNamespace(app=mutate(ours.app)))


def _rewrite(app, *, status=None, headers=None, body=None):
    """An ASGI wrapper that rewrites the response start and/or the body."""

    async def wrapped(scope, receive, send):
        async def patched(message):
            if message["type"] == "http.response.start":
                message = dict(message)
                if status is not None:
                    message["status"] = status
                if headers is not None:
                    message["headers"] = headers(list(message["headers"]))
            elif message["type"] == "http.response.body" and body is not None:
                message = dict(message, body=body(message.get("body", b"")))
            await send(message)

        await app(scope, receive, patched)

    return wrapped


def test_identical_apps_agree():
    pair = _pair(lambda app: app)
    for request in (get("/users/db"), get("/inject/cookies"), get("/direct/bytes"), get("/nope")):
        assert compare_case(pair, Case((request,))) == []


@pytest.mark.parametrize(
    ("mutation", "request_", "expected"),
    [
        ({"status": 299}, get("/users/db"), "status: fastapi=200"),
        (
            {"headers": lambda h: [(k, b"text/json" if k == b"content-type" else v) for k, v in h]},
            get("/users/db"),
            "header content-type",
        ),
        ({"headers": lambda h: [*h, (b"x-extra", b"1")]}, get("/users/db"), "header x-extra"),
        (
            {"headers": lambda h: [*h, (b"set-cookie", b"a=b")]},
            get("/users/db"),
            "header set-cookie",
        ),
        ({"headers": lambda h: [*h, (b"www-authenticate", b"Basic")]}, get("/nope"), "header www"),
        (
            {"body": lambda b: b.replace(b'"u"', b'"v"')},
            get("/users/db"),
            "$.username: fastapi='u'",
        ),
        (
            {"body": lambda b: b.replace(b"binary", b"BINARY")},
            get("/direct/bytes"),
            "body: fastapi",
        ),
        ({"body": lambda b: b + b" "}, get("/class/html"), "body: fastapi"),
    ],
)
def test_a_broken_subject_is_caught(mutation, request_, expected):
    pair = _pair(lambda app: _rewrite(app, **mutation))
    failures = compare_case(pair, Case((request_,)))
    assert failures, "the harness missed a difference"
    assert failures[0].startswith(f"[responses] {request_.label()}")
    assert any(expected in line for line in failures), failures


def test_exceptions_escaping_the_client_are_compared():
    def broken(app):
        async def crash(scope, receive, send):
            if scope["type"] == "lifespan":
                raise RuntimeError("startup broke")
            await app(scope, receive, send)

        return crash

    pair = _pair(broken)
    failures = compare_case(pair, Case((get("/users/db"),), lifespan=True))
    assert any("exception: fastapi=None" in line for line in failures), failures


def test_allow_order_and_cookie_dates_are_normalized():
    def response(allow, cookie):
        return httpx.Response(405, headers=[("allow", allow), ("set-cookie", cookie)])

    a = harness.observe(response("GET, POST", "c=; expires=Sat, 01 Jan 2000 00:00:00 GMT; Path=/"))
    b = harness.observe(response("POST, GET", "c=; expires=Sun, 02 Jan 2000 00:00:01 GMT; Path=/"))
    c = harness.observe(response("POST, PUT", "c=; expires=Sun, 02 Jan 2000 00:00:01 GMT; Path=/x"))
    assert a.comparable() == b.comparable()
    assert a.headers["allow"] != c.headers["allow"]
    assert a.headers["set-cookie"] != c.headers["set-cookie"]


def test_improvements_accept_a_documented_difference(monkeypatch):
    pair = _pair(lambda app: _rewrite(app, status=299))
    case = Case((get("/users/db"),))
    improvement = Improvement(
        name="example",
        reason="test-only",
        applies=lambda diff: diff.label == "GET /users/db" and diff.subject.status == 299,
    )
    monkeypatch.setattr(harness, "IMPROVEMENTS", (improvement,))
    monkeypatch.setattr(harness, "STRICT", False)
    assert compare_case(pair, case) == []
    monkeypatch.setattr(harness, "STRICT", True)
    assert compare_case(pair, case) != []


def test_data_diff_names_the_paths():
    diff = harness.data_diff({"a": [1, {"b": 2}], "c": 1}, {"a": [1, {"b": 3}], "d": 1})
    assert diff == [
        "$.a[1].b: fastapi=2 " + harness.SUBJECT + "=3",
        "$.c: only in fastapi (1)",
        "$.d: only in " + harness.SUBJECT + " (1)",
    ]


def corpus_size() -> int:
    """Compared requests in every parametrized parity test module."""
    total = 0
    for path in sorted(Path(__file__).parent.glob("test_*_parity.py")):
        module = importlib.import_module(f"{__package__}.{path.stem}")
        for attr, value in vars(module).items():
            marks = getattr(value, "pytestmark", []) if attr.startswith("test_") else []
            for mark in marks:
                if mark.name == "parametrize" and mark.args[0] == "case":
                    total += sum(case.size for case in mark.args[1])
    return total


def test_the_corpus_is_large_enough():
    assert corpus_size() >= 300


def test_a_hanging_subject_fails_its_case_instead_of_stalling(monkeypatch):
    def hang(app):
        async def waits_forever(scope, receive, send):
            if scope["type"] == "http":
                while True:  # waits for a body message that never comes
                    await receive()
            await app(scope, receive, send)

        return waits_forever

    monkeypatch.setattr(harness, "TIMEOUT", 0.2)
    failures = compare_case(_pair(hang), Case((get("/users/db"),)))
    assert any("status: fastapi=200 " in line and "=504" in line for line in failures), failures


def test_subject_apps_come_from_the_subject_package():
    module = harness.load_scenario("routing", harness.SUBJECT)
    assert type(module.app).__module__.split(".")[0] == harness.SUBJECT.split(".")[0]
    assert type(module.sub).__module__.split(".")[0] == harness.SUBJECT.split(".")[0]


def _outcome(status, body, headers=None, **kwargs):
    return harness.Outcome(status, headers or {"content-type": "application/json"}, body, **kwargs)


def _diff(oracle, subject, label="GET /x"):
    return harness.Difference("any", label, oracle, subject)


@pytest.mark.parametrize(
    ("oracle", "subject", "accepted"),
    [
        (_outcome(200, ("json", {"a": "0.0"})), _outcome(200, ("json", {"a": "0"})), True),
        (_outcome(200, ("json", ["100.0"])), _outcome(200, ("json", ["1E+2"])), True),
        (_outcome(200, ("json", {"a": "0.1"})), _outcome(200, ("json", {"a": "0.2"})), False),
        (_outcome(200, ("json", {"a": "x"})), _outcome(200, ("json", {"a": "y"})), False),
        (_outcome(200, ("json", {"a": "1"})), _outcome(201, ("json", {"a": "1.0"})), False),
        (_outcome(200, ("json", {"a": "1"})), _outcome(200, ("json", {"b": "1"})), False),
        (
            _outcome(200, ("json", {"a": "1", "n": 1})),
            _outcome(200, ("json", {"a": "1.0", "n": 1.0})),
            False,
        ),
    ],
)
def test_decimal_spelling_is_the_only_accepted_body_difference(oracle, subject, accepted):
    assert harness._same_decimal_values(_diff(oracle, subject)) is accepted


_FAILED = {"content-type": "text/plain; charset=utf-8"}


def _fastapi_failed(status, content):
    unwritten = harness.UnwrittenJSON(status, content)
    return _outcome(500, ("bytes", b"Internal Server Error"), _FAILED, unwritten=unwritten)


_NAN, _INF = float("nan"), float("inf")
_ERROR = {"detail": [{"type": "finite_number", "input": _INF}, {"input": -_INF}, {"input": _NAN}]}
_SPELLED = {
    "detail": [
        {"type": "finite_number", "input": "Infinity"},
        {"input": "-Infinity"},
        {"input": "NaN"},
    ]
}


@pytest.mark.parametrize(
    ("oracle", "subject", "accepted"),
    [
        # a response echoing non-finite numbers: null, as pydantic writes them
        (
            _fastapi_failed(200, {"f": _NAN, "g": [_INF]}),
            _outcome(200, ("json", {"f": None, "g": [None]})),
            True,
        ),
        # an error document: the input spelled, the status kept
        (_fastapi_failed(422, _ERROR), _outcome(422, ("json", _SPELLED)), True),
        (_fastapi_failed(200, {"s": "\ud800"}), _outcome(200, ("json", {"s": "\ud800"})), True),
        # any other answer is a difference
        (_fastapi_failed(422, _ERROR), _outcome(200, ("json", _SPELLED)), False),
        (_fastapi_failed(422, _ERROR), _outcome(422, ("json", {"detail": []})), False),
        (_fastapi_failed(200, {"f": _NAN}), _outcome(200, ("json", {"f": "NaN"})), False),
        (_fastapi_failed(200, {"f": _NAN}), _outcome(200, ("json", {"f": 0})), False),
        (
            _fastapi_failed(200, {"f": _NAN}),
            _outcome(200, ("bytes", b'{"f":null}'), _FAILED),
            False,
        ),
        (_fastapi_failed(200, {"f": _NAN}), _outcome(500, ("json", {"f": None})), False),
        # FastAPI's 500 must come from a document it failed to write
        (
            _outcome(500, ("bytes", b"Internal Server Error"), _FAILED),
            _outcome(200, ("json", {})),
            False,
        ),
        (_outcome(422, ("json", {"detail": []})), _outcome(200, ("json", {})), False),
    ],
)
def test_a_fastapi_500_on_odd_input_must_become_the_document_it_failed_to_write(
    oracle, subject, accepted
):
    assert harness._odd_input_written_as_valid_json(_diff(oracle, subject)) is accepted


def _docs_diff(url, oracle, subject, app=None):
    app = app or types.SimpleNamespace(
        docs_url="/docs", redoc_url="/redoc", swagger_ui_oauth2_redirect_url="/docs/oauth2-redirect"
    )
    ours = types.SimpleNamespace(docs_static_url="/docs/static")
    return harness.Difference("docs", f"GET {url}", oracle, subject, get(url), (app, ours))


_CDN_PAGE = b'<html>\n<link href="https://cdn.example/swagger-ui.css">\n<title>T</title>\n</html>'
_OWN_PAGE = b'<html>\n<link href="/docs/static/swagger-ui.css">\n<title>T</title>\n</html>'
_HTML = {"content-type": "text/html; charset=utf-8"}


@pytest.mark.parametrize(
    ("url", "subject", "accepted"),
    [
        ("/docs", _outcome(200, ("bytes", _OWN_PAGE), _HTML), True),
        ("/redoc", _outcome(200, ("bytes", _OWN_PAGE), _HTML), True),
        # only the docs pages, only with an equal status, only asset lines
        ("/other", _outcome(200, ("bytes", _OWN_PAGE), _HTML), False),
        ("/docs", _outcome(404, ("bytes", _OWN_PAGE), _HTML), False),
        (
            "/docs",
            _outcome(200, ("bytes", _OWN_PAGE.replace(b"<title>T", b"<title>U")), _HTML),
            False,
        ),
        ("/docs", _outcome(200, ("bytes", _OWN_PAGE), {"content-type": "text/plain"}), False),
    ],
)
def test_offline_docs_assets_cover_only_the_asset_links_of_the_docs_pages(url, subject, accepted):
    oracle = _outcome(200, ("bytes", _CDN_PAGE), _HTML)
    assert harness._docs_page_served_offline(_docs_diff(url, oracle, subject)) is accepted


def test_warnings_at_module_load_are_compared():
    theirs = harness.load_scenario("responses", "fastapi")
    ours = harness.load_scenario("responses", "fastapi")
    warned = Pair("responses", theirs, ours, ("UserWarning/UserWarning: x",), ())
    failures = compare_case(warned, Case((get("/users/db"),)))
    assert failures[:2] == [
        "[responses] <module load>",
        "    warning only on fastapi: 'UserWarning/UserWarning: x'",
    ]
    same = Pair(
        "responses", theirs, ours, ("UserWarning/UserWarning: x",), ("UserWarning/UserWarning: x",)
    )
    assert compare_case(same, Case((get("/users/db"),))) == []


def test_the_loader_records_registration_warnings_by_category_and_message():
    source = oracle.AppSource.snippet(
        "warns",
        "import warnings, fw\n"
        "warnings.warn('plain')\n"
        "warnings.warn('old', DeprecationWarning)\n"
        "app = fw.FastAPI(root_path='/p')\n",
    )
    pair = oracle.load_pair(source, subject="accord")
    assert pair.oracle_warnings == pair.subject_warnings
    assert pair.oracle_warnings[:2] == (
        "UserWarning/UserWarning: plain",
        "DeprecationWarning/DeprecationWarning: old",
    )
    assert pair.subject_warnings[2].startswith(
        "UserWarning/<fw>DeprecationWarning: The `root_path`"
    )


def test_the_response_class_rewording_is_the_only_accepted_warning_difference():
    ours = "UserWarning/<fw>DeprecationWarning: UJSONResponse is deprecated: Accord's words"
    theirs = "UserWarning/<fw>DeprecationWarning: UJSONResponse is deprecated, FastAPI's words"
    other = "UserWarning/<fw>DeprecationWarning: ORJSONResponse is deprecated: Accord's words"
    accepts = harness._response_class_deprecation_worded_for_accord
    body = ("json", {})
    assert accepts(
        _diff(_outcome(200, body, warnings=(theirs,)), _outcome(200, body, warnings=(ours,)))
    )
    assert not accepts(
        _diff(_outcome(200, body, warnings=(theirs,)), _outcome(200, body, warnings=(other,)))
    )
    assert not accepts(
        _diff(_outcome(200, body, warnings=(theirs,)), _outcome(201, body, warnings=(ours,)))
    )
    assert not accepts(_diff(_outcome(200, body, warnings=(theirs,)), _outcome(200, body)))
    assert accepts(_diff((theirs,), (ours,), harness.LOAD))
    assert not accepts(
        _diff(("UserWarning/UserWarning: a",), ("UserWarning/UserWarning: b",), harness.LOAD)
    )
