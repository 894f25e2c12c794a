"""Parity harness: run one scenario app on FastAPI (the oracle) and on Accord, compare.

A scenario is an ordinary app module in ``tests/parity/scenarios/`` that starts with
``import fw`` and spells every framework name through it (``fw.FastAPI``, ``fw.Depends``,
``fw.responses.JSONResponse``, ``fw.security.HTTPBasic`` ...). The harness compiles the
scenario source twice into two fresh module objects; while each copy executes, the name
``fw`` resolves to a namespace over one framework package. Nothing is shared between the
two copies: each has its own app, models and module-level state.

The same requests then go to both apps through Starlette's TestClient (server exceptions
become 500 responses instead of being raised) and the harness compares, per request:

* the status code;
* the headers that matter (content-type, content-length, location, www-authenticate,
  allow, set-cookie, and a few a scenario sets on purpose such as cache-control) and every
  ``x-*`` / ``access-control-*`` header either side sent. Two normalizations: the methods
  of ``allow`` are sorted (Starlette builds it from a set), and the date of a set-cookie
  ``expires`` attribute is masked (it is the current time);
* the body: parsed data when the content type is JSON, bytes otherwise.

Deliberate improvements of Accord over FastAPI are listed, each with its reason, in
:data:`IMPROVEMENTS`. A difference matched by an entry there is accepted instead of failing;
``PARITY_STRICT=1`` switches the list off so every difference fails.

Environment switches:
    PARITY_SUBJECT: framework package under test (default ``accord``). ``fastapi`` runs
        the oracle against itself, which must always pass.
    PARITY_STRICT: ``1`` ignores :data:`IMPROVEMENTS`.
    PARITY_REPORT: a file path; every mismatch is appended to it.
    PARITY_TIMEOUT: seconds a request may take before it is answered 504 (default 10).
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import importlib
import itertools
import json
import os
import re
import sys
import traceback
import types
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
import pytest
from starlette.testclient import TestClient, WebSocketDenialResponse
from starlette.websockets import WebSocketDisconnect

ORACLE = "fastapi"
SUBJECT = os.environ.get("PARITY_SUBJECT", "accord")
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


_NOTSET: Any = object()
_BOUNDARY = "parity-boundary-7f3a9c"

# --------------------------------------------------------------------------- fw binding


class FrameworkNamespace(types.ModuleType):
    """The object a scenario sees as ``fw``: one framework package and its submodules.

    ``fw.Depends`` is the package's top-level name; ``fw.responses`` (or any other
    submodule, at any depth: ``fw.middleware.cors``) is imported on first use and wrapped
    again, so a scenario never needs to know which package it runs on.
    """

    def __init__(self, package: str) -> None:
        super().__init__("fw")
        self.__package_name = package

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        package = self.__package_name
        value = getattr(importlib.import_module(package), name, _NOTSET)
        if value is not _NOTSET and not isinstance(value, types.ModuleType):
            return value
        try:
            importlib.import_module(f"{package}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{package}.{name}":
                raise
            if isinstance(value, types.ModuleType):  # e.g. fw.status, a Starlette module
                return FrameworkNamespace(value.__name__)
            raise AttributeError(f"{package!r} has no attribute or module {name!r}") from exc
        return FrameworkNamespace(f"{package}.{name}")

    def __repr__(self) -> str:
        return f"<fw -> {self.__package_name}>"


_load_counter = itertools.count()


@contextlib.contextmanager
def _fw_bound_to(package: str) -> Iterator[None]:
    """Make ``import fw`` resolve to ``package`` while a scenario body executes."""
    previous = sys.modules.get("fw")
    sys.modules["fw"] = FrameworkNamespace(package)
    try:
        yield
    finally:
        if previous is None:
            del sys.modules["fw"]
        else:
            sys.modules["fw"] = previous


def load_scenario(name: str, package: str) -> types.ModuleType:
    """Execute ``scenarios/<name>.py`` with ``fw`` bound to ``package``; return the module.

    Each call yields a brand-new module object registered under a unique name (pydantic
    and the frameworks look annotations up through ``sys.modules``).
    """
    path = SCENARIO_DIR / f"{name}.py"
    code = compile(path.read_text(encoding="utf-8"), str(path), "exec")
    module_name = f"_parity_{name}_{package.replace('.', '_')}_{next(_load_counter)}"
    module = types.ModuleType(module_name)
    module.__file__ = str(path)
    sys.modules[module_name] = module
    with _fw_bound_to(package), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        exec(code, module.__dict__)
    module.__dict__["__parity_warnings__"] = [str(w.message) for w in caught]
    return module


@dataclass
class ScenarioPair:
    """One scenario loaded on the oracle and on the subject."""

    name: str
    oracle: types.ModuleType
    subject: types.ModuleType


class ScenarioLoadError(Exception):
    """The scenario module does not even execute on the subject framework."""


def _load_failure(name: str, package: str, exc: BaseException) -> str:
    path = str(SCENARIO_DIR / f"{name}.py")
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == path]
    where = f" at {name}.py:{frames[-1].lineno} `{frames[-1].line}`" if frames else ""
    first_line = (str(exc).splitlines() or [""])[0][:300]
    return (
        f"[{name}] scenario failed to load on {package}{where}: {type(exc).__name__}: {first_line}"
    )


_LOAD_FAILURES: dict[tuple[str, str], str] = {}


@functools.cache
def scenario_pair(name: str, subject: str = SUBJECT) -> ScenarioPair:
    """Load (once per session) the scenario on FastAPI and on the subject framework.

    Raises:
        ScenarioLoadError: the subject cannot execute the scenario module (a missing
            name, an exception at registration); every case of the scenario fails with
            this one-line message, which is reported once.
    """
    if (name, subject) in _LOAD_FAILURES:
        raise ScenarioLoadError(_LOAD_FAILURES[name, subject])
    oracle = load_scenario(name, ORACLE)
    try:
        subject_module = load_scenario(name, subject)
    except Exception as exc:
        message = _LOAD_FAILURES[name, subject] = _load_failure(name, subject, exc)
        _report([message])
        raise ScenarioLoadError(message) from exc
    return ScenarioPair(name, oracle, subject_module)


def _pair_or_fail(name: str) -> ScenarioPair:
    try:
        return scenario_pair(name)
    except ScenarioLoadError as exc:
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
class Outcome:
    """What one framework answered to one request, reduced to the compared parts."""

    status: int | None
    headers: Mapping[str, Any]
    body: Any
    error: str | None = None
    warnings: tuple[str, ...] = ()

    def comparable(self) -> tuple[Any, ...]:
        return (self.status, dict(self.headers), self.body, self.error)


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


def observe(response: Any, caught: Sequence[warnings.WarningMessage] = ()) -> Outcome:
    """Reduce an httpx response to an :class:`Outcome`."""
    return Outcome(
        status=response.status_code,
        headers=_normalized_headers(response),
        body=_body(response),
        warnings=tuple(f"{w.category.__name__}: {w.message}" for w in caught),
    )


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


def run_case(app: Any, case: Case) -> list[Outcome]:
    """Send every request of ``case`` to ``app``; one outcome per request.

    An exception escaping the client (a failing lifespan, a broken app object) becomes
    an outcome too, named by its class, so both sides can still be compared.
    """
    outcomes: list[Outcome] = []
    client = TestClient(_guarded(app), raise_server_exceptions=False, **dict(case.client))
    try:
        with contextlib.ExitStack() as stack:
            if case.lifespan:
                stack.enter_context(client)
            for request in case.requests:
                if isinstance(request, WS):
                    outcomes.append(request.observe(client))
                    continue
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    response = request.send(client)
                outcomes.append(observe(response, caught))
    except Exception as exc:
        outcomes.append(Outcome(None, {}, None, error=type(exc).__name__))
    finally:
        client.close()
    return outcomes


# --------------------------------------------------------------------------- comparison


@dataclass(frozen=True)
class Improvement:
    """A documented, deliberate difference from FastAPI that the harness accepts.

    Attributes:
        name: short identifier, quoted in reports.
        reason: why Accord differs on purpose (link the issue).
        applies: ``(scenario, request_label, fastapi_outcome, accord_outcome) -> bool``.
    """

    name: str
    reason: str
    applies: Callable[[str, str, Any, Any], bool]


# Deliberate improvements over FastAPI. Every difference is a bug until an entry here says
# otherwise, with its reason. Set PARITY_STRICT=1 to ignore this list.
IMPROVEMENTS: tuple[Improvement, ...] = (
    Improvement(
        name="flattened-routes",
        reason=(
            "Accord compiles included routers into app.routes when they are included "
            "(DESIGN.md: routes are flattened, nesting costs nothing per request), and lists the "
            "route serving the offline docs assets; FastAPI 0.141 keeps lazy `_IncludedRouter` "
            "entries there. Only an app that lists app.routes itself can see it."
        ),
        applies=lambda scenario, label, oracle, subject: label == "GET /routes",
    ),
    Improvement(
        name="offline-docs-assets",
        reason=(
            "Issue 3: the docs pages load Swagger UI and ReDoc from files the app serves "
            "(docs_static_url, from installed packages) instead of a CDN, so they work offline; "
            "the redirect page uses Swagger UI's own oauth2-redirect script. "
            "`docs_static_url=None` switches back to FastAPI's CDN links."
        ),
        applies=lambda scenario, label, oracle, subject: (
            scenario == "docs" and ("docs" in label or "redoc" in label)
        ),
    ),
    Improvement(
        name="escaped-docs-pages",
        reason=(
            "Issue 11 (security review): the Swagger UI and ReDoc pages escape the title "
            "(element text) and URLs (attribute / JavaScript string) instead of writing them "
            "raw, so a title like `</title><script>` is shown, not run. Ordinary titles and URLs "
            "are written byte for byte as FastAPI does; no switch back (it would re-open XSS)."
        ),
        applies=lambda scenario, label, oracle, subject: _only_html_escaping_differs(
            oracle, subject
        ),
    ),
    Improvement(
        name="no-500-on-odd-input",
        reason=(
            "Rule 4 (bad input never hurts): a 422 that echoes a non-finite number (1e999999, "
            "NaN) or a lone surrogate, or a response echoing one, makes FastAPI fail while "
            "writing JSON (500). Accord writes valid JSON instead (accord/_safe_json.py)."
        ),
        applies=lambda scenario, label, oracle, subject: _fastapi_failed_on_odd_input(
            oracle, subject
        ),
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
        applies=lambda scenario, label, oracle, subject: _same_decimal_values(oracle, subject),
    ),
)


def _same_decimal_values(oracle: Any, subject: Any) -> bool:
    """Equal JSON bodies once strings that spell decimal numbers are compared as numbers."""
    from decimal import Decimal, InvalidOperation

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
        return a == b

    a, b = oracle.body, subject.body
    return (
        oracle.status == subject.status
        and dict(oracle.headers).keys() == dict(subject.headers).keys()
        and bool(a and b and a[0] == b[0] == "json")
        and same(a[1], b[1])
    )


def _fastapi_failed_on_odd_input(oracle: Any, subject: Any) -> bool:
    """FastAPI answered 500 where Accord answered with a client error or a success."""
    return oracle.status == 500 and subject.status is not None and subject.status < 500


def _only_html_escaping_differs(oracle: Any, subject: Any) -> bool:
    """Both bodies are HTML pages that are equal once the subject's entities are decoded."""
    import html

    a, b = getattr(oracle, "body", None), getattr(subject, "body", None)
    if not (a and b and a[0] == b[0] == "bytes" and oracle.status == subject.status):
        return False
    if b"<title>" not in b[1]:
        return False
    return html.unescape(b[1].decode("utf-8", "replace")) == a[1].decode("utf-8", "replace")


def accepted_improvement(scenario: str, label: str, oracle: Any, subject: Any) -> str | None:
    """The name of the improvement that explains this difference, if any."""
    if STRICT:
        return None
    for improvement in IMPROVEMENTS:
        if improvement.applies(scenario, label, oracle, subject):
            return improvement.name
    return None


def _short(value: Any, limit: int = 300) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


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
    if oracle.body != subject.body:
        lines.append(f"body: fastapi={_short(oracle.body)} {SUBJECT}={_short(subject.body)}")
        if oracle.body and subject.body and oracle.body[0] == subject.body[0] == "json":
            lines.extend(f"  {d}" for d in data_diff(oracle.body[1], subject.body[1])[:8])
        elif oracle.body and subject.body and oracle.body[0] == subject.body[0] == "bytes":
            lines.extend(f"  {d}" for d in _text_diff(oracle.body[1], subject.body[1])[:8])
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


def compare_case(pair: ScenarioPair, case: Case) -> list[str]:
    """Run ``case`` on both apps; return failure lines (empty when they agree)."""
    oracle_outcomes = run_case(getattr(pair.oracle, case.app), case)
    subject_outcomes = run_case(getattr(pair.subject, case.app), case)
    failures: list[str] = []
    pairs = itertools.zip_longest(case.requests, oracle_outcomes, subject_outcomes)
    for request, oracle, subject in pairs:
        if oracle is None or subject is None:
            break  # one side stopped on an exception; its outcome was already compared
        if oracle.comparable() == subject.comparable():
            continue
        label = request.label()
        if accepted_improvement(pair.name, label, oracle, subject):
            continue
        failures.append(f"[{pair.name}] {label}")
        failures.extend(f"    {line}" for line in describe_difference(oracle, subject))
        if subject.warnings != oracle.warnings:
            failures.append(f"    warnings: fastapi={oracle.warnings} {SUBJECT}={subject.warnings}")
    return failures


def assert_parity(scenario: str, item: Req | WS | Case) -> None:
    """Fail the current test unless both frameworks answer ``item`` identically."""
    failures = compare_case(_pair_or_fail(scenario), as_case(item))
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


def _openapi_document(app: Any) -> Any:
    """The document as plain JSON data, plus the warnings emitted while generating it.

    FastAPI warns about duplicate operation ids; an exception is kept as an outcome too.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            document = json.loads(json.dumps(app.openapi()))
        except Exception as exc:
            document = {"<exception>": type(exc).__name__}
    messages = sorted(f"{w.category.__name__}: {w.message}" for w in caught)
    return {"document": document, "warnings": messages}


def assert_openapi_parity(scenario: str) -> None:
    """Fail unless both frameworks generate the same OpenAPI document for every app."""
    pair = _pair_or_fail(scenario)
    lines: list[str] = []
    for name in app_names(pair.oracle):
        oracle = _openapi_document(getattr(pair.oracle, name))
        subject = _openapi_document(getattr(pair.subject, name, None))
        label = f"{name}.openapi()"
        if oracle == subject or accepted_improvement(scenario, label, oracle, subject):
            continue
        lines.append(f"[{scenario}] {label}")
        lines.extend(f"    {d}" for d in data_diff(oracle, subject)[:40])
    if lines:
        _report(lines)
        pytest.fail("\n".join(lines), pytrace=False)
