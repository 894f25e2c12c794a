"""Parity harness: run one app module on FastAPI (the oracle) and on Accord, compare.

A scenario is an app module in ``tests/parity/scenarios/`` written against ``fw``; it is
loaded by ``tests/oracle.py`` (the one loader every comparing suite uses) twice, into fresh
module objects, once with ``fw`` bound to FastAPI and once to Accord. Nothing is shared
between the two copies: each has its own app, models and module-level state.

The same requests then go to both apps through Starlette's TestClient (server exceptions
become 500 responses instead of being raised) and the harness compares, per request:

* the status code;
* the headers that matter (content-type, content-length, location, www-authenticate,
  allow, set-cookie, and a few a scenario sets on purpose such as cache-control) and every
  ``x-*`` / ``access-control-*`` header either side sent. Two normalizations: the methods
  of ``allow`` are sorted (Starlette builds it from a set), and the date of a set-cookie
  ``expires`` attribute is masked (it is the current time);
* the body: parsed data when the content type is JSON (``1``, ``1.0`` and ``true`` are three
  different values), bytes otherwise;
* the warnings emitted while the request was served.

Besides the requests, every case compares the warnings each framework emitted while the
module was loaded (routes registered) and those emitted outside any request (lifespan,
client shutdown), by category and message as ``tests/oracle.py`` spells them.

Deliberate improvements of Accord over FastAPI are listed, each with its reason and its
exact scope, in :data:`IMPROVEMENTS`. A difference matched by an entry there is accepted
instead of failing; ``PARITY_STRICT=1`` switches the list off so every difference fails.

Environment switches:
    PARITY_SUBJECT: framework package under test (default ``accord``). ``fastapi`` runs
        the oracle against itself, which must always pass.
    PARITY_STRICT: ``1`` ignores :data:`IMPROVEMENTS`.
    PARITY_REPORT: a file path; every mismatch is appended to it.
    PARITY_TIMEOUT: seconds a request may take before it is answered 504 (default 10).
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import difflib
import functools
import html
import itertools
import json
import math
import os
import re
import types
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import anyio
import pytest
from starlette.responses import JSONResponse
from starlette.testclient import TestClient, WebSocketDenialResponse
from starlette.websockets import WebSocketDisconnect

from tests import oracle
from tests.oracle import SUBJECT, LoadError, Pair

STRICT = os.environ.get("PARITY_STRICT") == "1"
REPORT_PATH = os.environ.get("PARITY_REPORT")
TIMEOUT = float(os.environ.get("PARITY_TIMEOUT", "10"))

SCENARIO_DIR = Path(__file__).parent / "scenarios"

# Headers compared on every response (the design's list, then the ones a scenario sets on
# purpose), besides any header whose name starts with one of COMPARED_PREFIXES.
COMPARED_HEADERS = (
    "content-type",
    "content-length",
    "location",
    "www-authenticate",
    "allow",
    "set-cookie",
    "cache-control",
    "content-encoding",
    "content-disposition",
    "vary",
)
COMPARED_PREFIXES = ("x-", "access-control-")

# Set-Cookie "expires" attributes carry the current time (delete_cookie, max_age): two
# responses a second apart differ there, so the date itself is masked.
_COOKIE_EXPIRES = re.compile(r"(?i)(expires=)[^;]+")

# Labels of the compared things that are not a request.
LOAD = "<module load>"
OUTSIDE_REQUESTS = "<outside requests>"

_NOTSET: Any = object()
_BOUNDARY = "parity-boundary-7f3a9c"

# --------------------------------------------------------------------------- loading

_LOAD_FAILURES: dict[tuple[Path, str], str] = {}


@functools.cache
def app_pair(path: Path, subject: str = SUBJECT) -> Pair:
    """Load (once per session) the app module at ``path`` on FastAPI and on ``subject``.

    Raises:
        LoadError: the subject cannot execute the module; every case of it fails with
            this one-line message, which is reported once.
    """
    if (path, subject) in _LOAD_FAILURES:
        raise LoadError(_LOAD_FAILURES[path, subject])
    try:
        return oracle.load_pair(path, subject=subject)
    except LoadError as exc:
        _LOAD_FAILURES[path, subject] = str(exc)
        _report([str(exc)])
        raise


def scenario_path(name: str) -> Path:
    return SCENARIO_DIR / f"{name}.py"


def scenario_pair(name: str, subject: str = SUBJECT) -> Pair:
    """The scenario ``scenarios/<name>.py`` on FastAPI and on ``subject``, loaded once."""
    return app_pair(scenario_path(name), subject)


def load_scenario(name: str, package: str) -> types.ModuleType:
    """A fresh, unshared load of ``scenarios/<name>.py`` on ``package`` (its module only)."""
    return oracle.load(scenario_path(name), package).module


def _pair_or_fail(name: str) -> Pair:
    try:
        return scenario_pair(name)
    except LoadError as exc:
        pytest.fail(str(exc), pytrace=False)


def scenario_names() -> list[str]:
    """Every scenario module in ``scenarios/``."""
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.py") if not p.stem.startswith("_"))


# --------------------------------------------------------------------------- requests


@dataclass(frozen=True)
class Req:
    """One HTTP request sent to both apps.

    ``json`` sends a JSON body; ``content`` raw bytes or text; ``data``/``files`` a form.
    ``headers`` is a mapping, or a list of pairs to repeat a header. Cookies travel as a
    ``cookie`` header (httpx deprecates per-request cookies).
    Redirects are not followed unless ``follow_redirects`` is set, so 3xx are compared.
    """

    method: str
    url: str
    json: Any = _NOTSET
    content: bytes | str | None = None
    data: Mapping[str, Any] | None = None
    files: Any = None
    headers: Mapping[str, str | bytes] | Sequence[tuple[str, str]] | None = None
    follow_redirects: bool = False

    def label(self) -> str:
        """A short human-readable form: method, url and a hint of the body."""
        text = f"{self.method} {self.url}"
        if self.json is not _NOTSET:
            text += f" json={_short(self.json, 60)}"
        if self.content is not None:
            text += f" content={_short(self.content, 60)}"
        if self.data is not None:
            text += f" data={_short(self.data, 60)}"
        if self.files is not None:
            text += " files=..."
        if self.headers:
            text += f" headers={_short(self.headers, 80)}"
        return text

    def send(self, client: TestClient) -> Any:
        """Send this request through ``client`` and return the httpx response."""
        kwargs: dict[str, Any] = {"follow_redirects": self.follow_redirects}
        if self.json is not _NOTSET:
            kwargs["json"] = self.json
        if self.content is not None:
            kwargs["content"] = self.content
        if self.data is not None:
            kwargs["data"] = self.data
        if self.headers is not None:
            kwargs["headers"] = self.headers
        if self.files is not None:
            kwargs["files"] = self.files
            if self.headers is None:
                # httpx draws a random boundary per request; echoed bodies must not differ.
                kwargs["headers"] = {"content-type": f"multipart/form-data; boundary={_BOUNDARY}"}
        return client.request(self.method, self.url, **kwargs)


def _req(method: str) -> Callable[..., Req]:
    def make(url: str, **kwargs: Any) -> Req:
        return Req(method, url, **kwargs)

    make.__name__ = method.lower()
    return make


get = _req("GET")
post = _req("POST")
put = _req("PUT")
patch = _req("PATCH")
delete = _req("DELETE")
head = _req("HEAD")
options = _req("OPTIONS")
trace = _req("TRACE")


@dataclass(frozen=True)
class WS:
    """A WebSocket session: connect, then play ``script``; everything received is compared.

    Script actions: ``("send_text", str)``, ``("send_bytes", bytes)``, ``("send_json", obj)``,
    ``("receive",)`` and ``("close", code)``. The outcome is the transcript: the accepted
    subprotocol, each received message, and how the session ended (a close code and
    reason, a denial response's status and body, or an exception class).
    """

    url: str
    script: tuple[tuple[Any, ...], ...] = ()
    headers: Mapping[str, str] | None = None
    subprotocols: tuple[str, ...] = ()

    def label(self) -> str:
        actions = ",".join(str(step[0]) for step in self.script)
        return f"WS {self.url} [{actions}]" + (f" headers={self.headers}" if self.headers else "")

    def observe(self, client: TestClient) -> Outcome:
        transcript: list[Any] = []
        try:
            with client.websocket_connect(
                self.url, headers=dict(self.headers or {}), subprotocols=list(self.subprotocols)
            ) as session:
                transcript.append(("accepted", session.accepted_subprotocol))
                for action, *args in self.script:
                    if action == "receive":
                        transcript.append(_ws_message(session.receive()))
                    else:
                        getattr(session, action)(*args)
        except WebSocketDenialResponse as exc:  # a WebSocketDisconnect subclass: first
            media = exc.headers.get("content-type", "")
            transcript.append(("denied", exc.status_code, media, exc.content))
        except WebSocketDisconnect as exc:
            transcript.append(("disconnect", exc.code, exc.reason))
        except Exception as exc:
            transcript.append(("exception", type(exc).__name__))
        return Outcome(status=None, headers={}, body=("websocket", transcript))


def _ws_message(message: Mapping[str, Any]) -> tuple[Any, ...]:
    if message["type"] == "websocket.close":
        return ("close", message.get("code"), message.get("reason") or "")
    return ("message", message.get("text"), message.get("bytes"))


def ws(url: str, *script: tuple[Any, ...], **kwargs: Any) -> WS:
    """A WebSocket step: ``ws("/echo", ("send_text", "hi"), ("receive",))``."""
    return WS(url, tuple(script), **kwargs)


@dataclass(frozen=True)
class Case:
    """A sequence of requests sent, in order, through one client per framework.

    Every request of the sequence is compared. ``lifespan`` enters the client as a
    context manager (startup/shutdown run); ``client`` holds extra TestClient arguments
    such as ``root_path`` or ``base_url``. ``app`` names the module attribute to serve.
    """

    requests: tuple[Req | WS, ...]
    id: str | None = None
    lifespan: bool = False
    client: Mapping[str, Any] = field(default_factory=dict)
    app: str = "app"

    @property
    def size(self) -> int:
        return len(self.requests)

    def label(self) -> str:
        if self.id:
            return self.id
        return " ; ".join(r.label() for r in self.requests)


def seq(*requests: Req | WS, id: str | None = None, **options: Any) -> Case:
    """A multi-request case (stateful: later requests may observe earlier ones)."""
    return Case(tuple(requests), id=id, **options)


def as_case(item: Req | WS | Case) -> Case:
    return item if isinstance(item, Case) else Case((item,))


def count_requests(items: Sequence[Req | WS | Case]) -> int:
    """How many compared requests a case list holds."""
    return sum(as_case(i).size for i in items)


def case_ids(items: Sequence[Req | WS | Case]) -> list[str]:
    """Unique pytest ids for a case list."""
    seen: dict[str, int] = {}
    ids = []
    for item in items:
        label = as_case(item).label()[:120]
        n = seen.get(label, 0)
        seen[label] = n + 1
        ids.append(label if n == 0 else f"{label} #{n + 1}")
    return ids


# --------------------------------------------------------------------------- outcomes


@dataclass(frozen=True)
class UnwrittenJSON:
    """A JSON document a framework built but could not write (its writer raised)."""

    status: int
    content: Any


@dataclass(frozen=True)
class Outcome:
    """What one framework answered to one request, reduced to the compared parts.

    ``unwritten`` is not compared: it records the JSON document the framework failed to
    write while answering (FastAPI then answers 500), for :data:`IMPROVEMENTS` to check
    what Accord wrote instead.
    """

    status: int | None
    headers: Mapping[str, Any]
    body: Any
    error: str | None = None
    warnings: tuple[str, ...] = ()
    unwritten: UnwrittenJSON | None = None

    def comparable(self) -> tuple[Any, ...]:
        return (self.status, dict(self.headers), typed_body(self.body), self.error, self.warnings)


def typed_json(value: Any) -> Any:
    """JSON data in which ``1``, ``1.0`` and ``true`` no longer compare equal."""
    if isinstance(value, dict):
        return {key: typed_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [typed_json(item) for item in value]
    if isinstance(value, bool | int | float):
        return (type(value).__name__, value)
    return value


def typed_body(body: Any) -> Any:
    if isinstance(body, tuple) and body and body[0] == "json":
        return ("json", typed_json(body[1]))
    return body


def _normalized_headers(response: Any) -> dict[str, Any]:
    names = set(COMPARED_HEADERS)
    names.update(k.lower() for k in response.headers if k.lower().startswith(COMPARED_PREFIXES))
    result: dict[str, Any] = {}
    for name in sorted(names):
        values = response.headers.get_list(name)
        if not values:
            continue
        if name == "allow":
            # Starlette builds Allow from a set: its order is arbitrary, its content is not.
            values = [", ".join(sorted(m.strip() for v in values for m in v.split(",")))]
        elif name == "set-cookie":
            values = [_COOKIE_EXPIRES.sub(r"\1<date>", v) for v in values]
        result[name] = values[0] if len(values) == 1 else tuple(values)
    return result


def _body(response: Any) -> Any:
    content: bytes = response.content
    media = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if content and (media == "application/json" or media.endswith("+json")):
        try:
            return ("json", json.loads(content))
        except ValueError:
            pass
    return ("bytes", content)


def observe(response: Any) -> Outcome:
    """Reduce an httpx response to an :class:`Outcome` (warnings: see :func:`run_case`)."""
    return Outcome(
        status=response.status_code,
        headers=_normalized_headers(response),
        body=_body(response),
    )


@contextlib.contextmanager
def _recording_unwritten_json() -> Iterator[list[UnwrittenJSON]]:
    """Record each document Starlette's `JSONResponse` fails to write, then let it fail.

    FastAPI writes error documents and responses without a response model through it; a
    non-finite number or a lone surrogate in the content makes it raise (FastAPI answers
    500). Nothing changes for the app: the exception still propagates.
    """
    recorded: list[UnwrittenJSON] = []
    render = JSONResponse.render

    def recording_render(self: JSONResponse, content: Any) -> bytes:
        try:
            return render(self, content)
        except (ValueError, UnicodeEncodeError):
            recorded.append(UnwrittenJSON(self.status_code, content))
            raise

    JSONResponse.render = recording_render  # type: ignore[method-assign]
    try:
        yield recorded
    finally:
        JSONResponse.render = render  # type: ignore[method-assign]


def _guarded(app: Any) -> Any:
    """Wrap an ASGI app so that a request hanging past TIMEOUT answers 504 instead.

    A subject that waits forever (for a body already consumed, say) must fail its case,
    not stall the whole run. Lifespan events pass through untouched.
    """

    async def guarded(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "websocket":
            with anyio.fail_after(TIMEOUT):  # the client then sees a TimeoutError
                await app(scope, receive, send)
            return
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Any) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            with anyio.fail_after(TIMEOUT):
                await app(scope, receive, tracking_send)
        except TimeoutError:
            if started:
                raise
            body = f"parity harness: no response within {TIMEOUT}s".encode()
            await send({"type": "http.response.start", "status": 504, "headers": []})
            await send({"type": "http.response.body", "body": body})

    return guarded


def _serve(client: TestClient, request: Req | WS) -> Outcome:
    """One request, with the warnings and the unwritten JSON documents of its handling."""
    with oracle.recording_warnings() as caught, _recording_unwritten_json() as unwritten:
        if isinstance(request, WS):
            outcome = request.observe(client)
        else:
            outcome = observe(request.send(client))
    return dataclasses.replace(
        outcome, warnings=tuple(caught), unwritten=unwritten[-1] if unwritten else None
    )


@dataclass(frozen=True)
class CaseRun:
    """Everything one framework did for a case: one outcome per request, other warnings."""

    outcomes: list[Outcome]
    warnings: tuple[str, ...]


def run_case(app: Any, case: Case) -> CaseRun:
    """Send every request of ``case`` to ``app``; one outcome per request.

    An exception escaping the client (a failing lifespan, a broken app object) becomes
    an outcome too, named by its class, so both sides can still be compared. Warnings
    emitted outside the requests (lifespan startup and shutdown) are kept apart.
    """
    outcomes: list[Outcome] = []
    client = TestClient(_guarded(app), raise_server_exceptions=False, **dict(case.client))
    with oracle.recording_warnings() as outside:
        try:
            with contextlib.ExitStack() as stack:
                if case.lifespan:
                    stack.enter_context(client)
                outcomes.extend(_serve(client, request) for request in case.requests)
        except Exception as exc:
            outcomes.append(Outcome(None, {}, None, error=type(exc).__name__))
        finally:
            client.close()
    return CaseRun(outcomes, tuple(outside))


# --------------------------------------------------------------------------- improvements


@dataclass(frozen=True)
class Difference:
    """One compared thing on which the two frameworks disagree.

    Attributes:
        scenario: the app module's name.
        label: the request's label, :data:`LOAD`, :data:`OUTSIDE_REQUESTS`, or
            ``"<app>.openapi()"``.
        oracle, subject: what each side produced: an :class:`Outcome` for a request, a
            tuple of warnings for :data:`LOAD` and :data:`OUTSIDE_REQUESTS`, a dict for
            an OpenAPI document.
        request: the request, when the difference is a request's outcome.
        apps: the oracle's and the subject's app objects that served it.
    """

    scenario: str
    label: str
    oracle: Any
    subject: Any
    request: Req | WS | None = None
    apps: tuple[Any, Any] = (None, None)


@dataclass(frozen=True)
class Improvement:
    """A documented, deliberate difference from FastAPI that the harness accepts.

    Attributes:
        name: short identifier, quoted in reports.
        reason: why Accord differs on purpose (link the issue), and its switch back.
        applies: ``Difference -> bool``; true only when the whole difference is this one.
    """

    name: str
    reason: str
    applies: Callable[[Difference], bool]


def _outcomes(diff: Difference) -> bool:
    return isinstance(diff.oracle, Outcome) and isinstance(diff.subject, Outcome)


def _lists_routes(diff: Difference) -> bool:
    """The one request of the ``advanced`` scenario that lists ``app.routes`` (a JSON list)."""
    if not (_outcomes(diff) and (diff.scenario, diff.label) == ("advanced", "GET /routes")):
        return False
    a, b = diff.oracle, diff.subject
    return (
        a.status == b.status == 200
        and a.warnings == b.warnings
        and a.body[0] == b.body[0] == "json"
    )


def _docs_page_request(diff: Difference) -> bool:
    """A GET of the Swagger UI, ReDoc or OAuth2-redirect page of the app that served it."""
    request, app = diff.request, diff.apps[0]
    if not isinstance(request, Req) or request.method != "GET" or app is None:
        return False
    pages = [getattr(app, "docs_url", None), getattr(app, "redoc_url", None)]
    if pages[0] is not None:
        pages.append(getattr(app, "swagger_ui_oauth2_redirect_url", None))
    return urlsplit(request.url).path in {page for page in pages if page}


def _without_length(headers: Mapping[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in headers.items() if name != "content-length"}


def _only_asset_links_differ(oracle_page: bytes, subject_page: bytes, static_url: str) -> bool:
    """Every line only in Accord's page loads an asset from ``static_url``; every line only
    in FastAPI's loads one from a CDN (``https://``), or is an inline ``<script>`` block
    that Accord's page loads from ``static_url`` instead (the OAuth2 redirect page)."""
    try:
        a = oracle_page.decode().splitlines()
        b = subject_page.decode().splitlines()
    except UnicodeDecodeError:
        return False
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        theirs = [line.strip() for line in a[i1:i2] if line.strip()]
        ours = [line.strip() for line in b[j1:j2] if line.strip()]
        if not all(f"{static_url}/" in line for line in ours):
            return False
        inline_script = bool(theirs) and theirs[0] == "<script>" and theirs[-1] == "</script>"
        if not (inline_script or all("https://" in line for line in theirs)):
            return False
    return True


def _docs_page_served_offline(diff: Difference) -> bool:
    """A docs page whose asset links are the app's own files instead of a CDN's."""
    if not (_outcomes(diff) and _docs_page_request(diff)):
        return False
    a, b = diff.oracle, diff.subject
    static_url = getattr(diff.apps[1], "docs_static_url", None)
    return (
        static_url is not None
        and a.status == b.status
        and a.error is b.error is None
        and a.warnings == b.warnings
        and _without_length(a.headers) == _without_length(b.headers)
        and a.body[0] == b.body[0] == "bytes"
        and _only_asset_links_differ(a.body[1], b.body[1], static_url)
    )


def _only_html_escaping_differs(diff: Difference) -> bool:
    """Both bodies are HTML pages that are equal once the subject's entities are decoded."""
    if not _outcomes(diff):
        return False
    a, b = diff.oracle, diff.subject
    if a.status != b.status or a.warnings != b.warnings:
        return False
    if not (a.body and b.body and a.body[0] == b.body[0] == "bytes" and b"<title>" in b.body[1]):
        return False
    return html.unescape(b.body[1].decode("utf-8", "replace")) == a.body[1].decode(
        "utf-8", "replace"
    )


def odd_input_document(unwritten: UnwrittenJSON) -> Any:
    """What Accord writes instead of a document FastAPI could not write (its promise in
    ``accord/_safe_json.py``): the same document, with non-finite numbers spelled ``"NaN"``,
    ``"Infinity"`` and ``"-Infinity"`` in error documents (4xx) and ``null`` in other
    responses; a lone surrogate stays as it is (Accord writes the ``\\ud800`` escape, which
    parses back to the same string)."""
    spell = unwritten.status >= 400

    def finite(value: Any) -> Any:
        if isinstance(value, float) and not math.isfinite(value):
            if not spell:
                return None
            return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
        if isinstance(value, dict):
            return {key: finite(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [finite(item) for item in value]
        return value

    return finite(unwritten.content)


def _odd_input_written_as_valid_json(diff: Difference) -> bool:
    """FastAPI failed writing a JSON document (500); Accord wrote the expected one."""
    if not (_outcomes(diff) and diff.oracle.status == 500 and diff.oracle.unwritten):
        return False
    a, b, unwritten = diff.oracle, diff.subject, diff.oracle.unwritten
    return (
        b.status == unwritten.status
        and a.error is b.error is None
        and a.warnings == b.warnings
        and b.headers.get("content-type") == "application/json"
        and typed_body(b.body) == ("json", typed_json(odd_input_document(unwritten)))
    )


def _same_decimal_values(diff: Difference) -> bool:
    """Equal JSON bodies once strings that spell decimal numbers are compared as numbers."""
    if not _outcomes(diff):
        return False

    def same(a: Any, b: Any) -> bool:
        if isinstance(a, dict) and isinstance(b, dict):
            return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
        if isinstance(a, list) and isinstance(b, list):
            return len(a) == len(b) and all(map(same, a, b))
        if isinstance(a, str) and isinstance(b, str) and a != b:
            try:
                return Decimal(a) == Decimal(b)
            except InvalidOperation:
                return False
        return bool(typed_json(a) == typed_json(b))

    theirs, ours = diff.oracle, diff.subject
    a, b = theirs.body, ours.body
    return (
        theirs.status == ours.status
        and theirs.warnings == ours.warnings
        and dict(theirs.headers).keys() == dict(ours.headers).keys()
        and bool(a and b and a[0] == b[0] == "json")
        and same(a[1], b[1])
    )


# Accord words these deprecations for itself (its own serializer, no FastAPI docs links); the
# class, the warning category and the opening words stay FastAPI's.
_RESPONSE_CLASS_DEPRECATED = re.compile(
    r"^(UserWarning/<fw>DeprecationWarning: (?:ORJSONResponse|UJSONResponse) is deprecated)\b"
    r"|^(DeprecationWarning/DeprecationWarning: \s*on_event is deprecated, use lifespan event handlers instead\.)"
)


def _same_but_response_class_deprecation_text(a: Sequence[str], b: Sequence[str]) -> bool:
    """Pairwise equal warnings, but where both are the same class's deprecation warning."""
    if len(a) != len(b):
        return False
    for theirs, ours in zip(a, b, strict=True):
        x, y = _RESPONSE_CLASS_DEPRECATED.match(theirs), _RESPONSE_CLASS_DEPRECATED.match(ours)
        if theirs != ours and not (x and y and x.group(0) == y.group(0)):
            return False
    return a != b


def _response_class_deprecation_worded_for_accord(diff: Difference) -> bool:
    """Only the text of ORJSONResponse/UJSONResponse deprecation warnings differs."""
    if not _outcomes(diff):
        return isinstance(diff.oracle, tuple) and _same_but_response_class_deprecation_text(
            diff.oracle, diff.subject
        )
    a, b = diff.oracle, diff.subject
    rest_equal = (
        dataclasses.replace(a, warnings=()).comparable()
        == dataclasses.replace(b, warnings=()).comparable()
    )
    return rest_equal and _same_but_response_class_deprecation_text(a.warnings, b.warnings)


# Deliberate improvements over FastAPI. Every difference is a bug until an entry here says
# otherwise, with its reason and its exact scope. Set PARITY_STRICT=1 to ignore this list.
IMPROVEMENTS: tuple[Improvement, ...] = (
    Improvement(
        name="flattened-routes",
        reason=(
            "Accord compiles included routers into app.routes when they are included "
            "(DESIGN.md: routes are flattened, nesting costs nothing per request), and lists the "
            "route serving the offline docs assets; FastAPI keeps lazy `_IncludedRouter` "
            "entries there. Only an app that lists app.routes itself can see it: the `advanced` "
            "scenario's GET /routes, whose status and warnings must still be equal."
        ),
        applies=_lists_routes,
    ),
    Improvement(
        name="offline-docs-assets",
        reason=(
            "Issue 3: the docs pages load Swagger UI and ReDoc from files the app serves "
            "(docs_static_url, from installed packages) instead of a CDN, so they work offline; "
            "the redirect page uses Swagger UI's own oauth2-redirect script. "
            "`docs_static_url=None` switches back to FastAPI's CDN links. Scope: a GET of the "
            "app's docs_url, redoc_url or OAuth2 redirect page; status, warnings and headers "
            "(but content-length) equal; the pages differ only in lines that load assets."
        ),
        applies=_docs_page_served_offline,
    ),
    Improvement(
        name="escaped-docs-pages",
        reason=(
            "Issue 11 (security review): the Swagger UI and ReDoc pages escape the title "
            "(element text) and URLs (attribute / JavaScript string) instead of writing them "
            "raw, so a title like `</title><script>` is shown, not run. Ordinary titles and URLs "
            "are written byte for byte as FastAPI does; no switch back (it would re-open XSS)."
        ),
        applies=_only_html_escaping_differs,
    ),
    Improvement(
        name="no-500-on-odd-input",
        reason=(
            "Rule 4 (bad input never hurts): a 422 that echoes a non-finite number (1e999999, "
            "NaN) or a lone surrogate, or a response echoing one, makes FastAPI fail while "
            "writing JSON (500). Accord writes valid JSON instead (accord/_safe_json.py). "
            "Scope: FastAPI's JSON writer failed; Accord must answer the status and the document "
            "FastAPI failed to write, spelled as `odd_input_document` says."
        ),
        applies=_odd_input_written_as_valid_json,
    ),
    Improvement(
        name="response-class-deprecation-text",
        reason=(
            "accord/responses.py words the ORJSONResponse / UJSONResponse deprecation for Accord "
            "('declare a return type or response_model instead, and Accord serializes ...'), and "
            "accord/_routing/lifespan.py the on_event one after its first sentence, instead of "
            "FastAPI's text, which names FastAPI and links its docs. Scope: the "
            "warnings are pairwise equal but for that one message of the same class (same "
            "category, same first words, so `filterwarnings` patterns keep matching); "
            "everything else about the request is equal."
        ),
        applies=_response_class_deprecation_worded_for_accord,
    ),
    Improvement(
        name="decimal-from-json-number",
        reason=(
            "Accord validates JSON bodies from the raw bytes (pydantic's validate_json); FastAPI "
            "validates the output of json.loads. A Decimal field sent as a JSON number gets the "
            "same value both ways but may be written differently (0.0 -> '0' vs '0.0', 1e2 -> "
            "'100' vs '100.0'). Matching FastAPI's spelling would cost every body route a "
            "json.loads; send decimals as JSON strings to keep their exact form."
        ),
        applies=_same_decimal_values,
    ),
)


def accepted_improvement(diff: Difference) -> str | None:
    """The name of the improvement that explains this difference, if any."""
    if STRICT:
        return None
    return next((i.name for i in IMPROVEMENTS if i.applies(diff)), None)


# --------------------------------------------------------------------------- comparison


def _short(value: Any, limit: int = 300) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def warnings_diff(oracle_warnings: Sequence[str], subject_warnings: Sequence[str]) -> list[str]:
    """The warnings only one side emitted (or, when both emitted the same, their order)."""
    theirs, ours = collections.Counter(oracle_warnings), collections.Counter(subject_warnings)
    lines = [f"warning only on fastapi: {_short(w, 240)}" for w in (theirs - ours).elements()]
    lines += [f"warning only on {SUBJECT}: {_short(w, 240)}" for w in (ours - theirs).elements()]
    if not lines and list(oracle_warnings) != list(subject_warnings):
        lines.append(
            f"warnings in another order: fastapi={oracle_warnings} {SUBJECT}={subject_warnings}"
        )
    return lines


def describe_difference(oracle: Outcome, subject: Outcome) -> list[str]:
    """Human-readable lines for each compared part that differs."""
    lines = []
    if oracle.error != subject.error:
        lines.append(f"exception: fastapi={oracle.error} {SUBJECT}={subject.error}")
    if oracle.status != subject.status:
        lines.append(f"status: fastapi={oracle.status} {SUBJECT}={subject.status}")
    for name in sorted(set(oracle.headers) | set(subject.headers)):
        a, b = oracle.headers.get(name), subject.headers.get(name)
        if a != b:
            lines.append(f"header {name}: fastapi={a!r} {SUBJECT}={b!r}")
    if typed_body(oracle.body) != typed_body(subject.body):
        lines.append(f"body: fastapi={_short(oracle.body)} {SUBJECT}={_short(subject.body)}")
        if oracle.body and subject.body and oracle.body[0] == subject.body[0] == "json":
            lines.extend(f"  {d}" for d in data_diff(oracle.body[1], subject.body[1])[:8])
        elif oracle.body and subject.body and oracle.body[0] == subject.body[0] == "bytes":
            lines.extend(f"  {d}" for d in _text_diff(oracle.body[1], subject.body[1])[:8])
    lines.extend(warnings_diff(oracle.warnings, subject.warnings))
    return lines


def _text_diff(a: bytes, b: bytes) -> list[str]:
    """The differing lines of two text bodies, as a compact unified diff."""
    try:
        text_a, text_b = a.decode().splitlines(), b.decode().splitlines()
    except UnicodeDecodeError:
        return []
    diff = difflib.unified_diff(text_a, text_b, "fastapi", SUBJECT, n=0, lineterm="")
    return [_short(line.strip(), 160) for line in diff if not line.startswith(("---", "+++"))]


def data_diff(a: Any, b: Any, path: str = "$") -> list[str]:
    """Paths where two JSON-like values differ (for readable failure messages)."""
    if isinstance(a, dict) and isinstance(b, dict):
        out: list[str] = []
        for key in list(a) + [k for k in b if k not in a]:
            if key not in b:
                out.append(f"{path}.{key}: only in fastapi ({_short(a[key], 80)})")
            elif key not in a:
                out.append(f"{path}.{key}: only in {SUBJECT} ({_short(b[key], 80)})")
            else:
                out.extend(data_diff(a[key], b[key], f"{path}.{key}"))
        return out
    if isinstance(a, list) and isinstance(b, list):
        return _list_diff(a, b, path)
    if a != b or type(a) is not type(b):
        return [f"{path}: fastapi={_short(a, 120)} {SUBJECT}={_short(b, 120)}"]
    return []


def _list_diff(a: list[Any], b: list[Any], path: str) -> list[str]:
    """Align two lists (an inserted element must not make every later one differ)."""
    keys_a = [json.dumps(x, sort_keys=True, default=repr) for x in a]
    keys_b = [json.dumps(x, sort_keys=True, default=repr) for x in b]
    out: list[str] = []
    matcher = difflib.SequenceMatcher(a=keys_a, b=keys_b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        if op == "replace" and i2 - i1 == j2 - j1:
            for k in range(i2 - i1):
                out.extend(data_diff(a[i1 + k], b[j1 + k], f"{path}[{i1 + k}]"))
            continue
        if i2 > i1:
            out.append(f"{path}[{i1}:{i2}]: only in fastapi {_short(a[i1:i2], 200)}")
        if j2 > j1:
            out.append(f"{path}[{j1}:{j2}]: only in {SUBJECT} {_short(b[j1:j2], 200)}")
    return out


def _report(lines: Sequence[str]) -> None:
    if REPORT_PATH:
        with open(REPORT_PATH, "a", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n")


def _judge(failures: list[str], diff: Difference, lines: Callable[[], list[str]]) -> None:
    """Accept ``diff`` when an improvement explains it; otherwise add its failure lines."""
    if accepted_improvement(diff):
        return
    failures.append(f"[{diff.scenario}] {diff.label}")
    failures.extend(f"    {line}" for line in lines())


def _judge_warnings(
    failures: list[str], scenario: str, label: str, a: Sequence[str], b: Sequence[str]
) -> None:
    a, b = tuple(a), tuple(b)
    if a != b:
        _judge(failures, Difference(scenario, label, a, b), lambda: warnings_diff(a, b))


def compare_case(pair: Pair, case: Case) -> list[str]:
    """Run ``case`` on both apps; return failure lines (empty when they agree).

    The warnings of the module load are compared first (a difference there shows in every
    case of the module), then each request, then the warnings outside the requests.
    """
    failures: list[str] = []
    _judge_warnings(failures, pair.name, LOAD, pair.oracle_warnings, pair.subject_warnings)
    apps = (getattr(pair.oracle, case.app), getattr(pair.subject, case.app))
    oracle_run, subject_run = run_case(apps[0], case), run_case(apps[1], case)
    pairs = itertools.zip_longest(case.requests, oracle_run.outcomes, subject_run.outcomes)
    for request, theirs, ours in pairs:
        if theirs is None or ours is None:
            break  # one side stopped on an exception; its outcome was already compared
        if theirs.comparable() == ours.comparable():
            continue
        diff = Difference(pair.name, request.label(), theirs, ours, request, apps)
        _judge(failures, diff, functools.partial(describe_difference, theirs, ours))
    _judge_warnings(
        failures, pair.name, OUTSIDE_REQUESTS, oracle_run.warnings, subject_run.warnings
    )
    return failures


def assert_parity(scenario: str, item: Req | WS | Case) -> None:
    """Fail the current test unless both frameworks answer ``item`` identically."""
    assert_pair_parity(_pair_or_fail(scenario), item)


def assert_pair_parity(pair: Pair, item: Req | WS | Case) -> None:
    """Fail the current test unless both apps of ``pair`` answer ``item`` identically."""
    failures = compare_case(pair, as_case(item))
    if failures:
        _report(failures)
        pytest.fail("\n".join(failures), pytrace=False)


def parity_test(scenario: str, items: Sequence[Req | WS | Case]) -> Callable[..., None]:
    """Build a parametrized pytest test comparing every case of ``items``."""

    @pytest.mark.parity
    @pytest.mark.parametrize("case", [as_case(i) for i in items], ids=case_ids(items))
    def test(case: Case) -> None:
        assert_parity(scenario, case)

    test.__name__ = f"test_parity_{scenario}"
    return test


# --------------------------------------------------------------------------- openapi


def app_names(module: types.ModuleType) -> list[str]:
    """Names of the module attributes that are applications (have an ``openapi`` method)."""
    return sorted(
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and callable(getattr(value, "openapi", None))
        and not isinstance(value, type)
    )


def openapi_document(app: Any) -> dict[str, Any]:
    """The document as plain JSON data, plus the warnings emitted while generating it.

    FastAPI warns about duplicate operation ids; an exception is kept as an outcome too.
    """
    with oracle.recording_warnings() as caught:
        try:
            document = json.loads(json.dumps(app.openapi()))
        except Exception as exc:
            document = {"<exception>": type(exc).__name__}
    return {"document": document, "warnings": caught}


def assert_openapi_parity(scenario: str) -> None:
    """Fail unless both frameworks generate the same OpenAPI document for every app."""
    pair = _pair_or_fail(scenario)
    failures: list[str] = []
    _judge_warnings(failures, scenario, LOAD, pair.oracle_warnings, pair.subject_warnings)
    for name in app_names(pair.oracle):
        theirs = openapi_document(getattr(pair.oracle, name))
        ours = openapi_document(getattr(pair.subject, name, None))
        if typed_json(theirs) != typed_json(ours):
            diff = Difference(scenario, f"{name}.openapi()", theirs, ours)
            _judge(failures, diff, lambda a=theirs, b=ours: data_diff(a, b)[:40])
    if failures:
        _report(failures)
        pytest.fail("\n".join(failures), pytrace=False)
