"""Blocking calls written in ``async def`` code, found by reading its source (no request runs).

An ``async def`` endpoint or dependency runs on the event loop: a ``time.sleep(1)`` in it stops
every other request for a second. The runtime detector (``accord dev``) catches that when it
happens; this check finds the common cases in the source, before anything runs: the function's
body is parsed, and each call whose callee names a known blocking function (``time.sleep``,
``requests.get``, ``sqlite3.connect``...) is reported with its line.

A name is resolved the way Python would: through imports inside the function, then the
function's globals (``import time as t`` and ``from time import sleep`` both count). Calls in
nested functions and lambdas are not the coroutine's own (they may be handed to a thread, as in
``await run_in_threadpool(lambda: time.sleep(1))``), so they are not reported; a callee passed
as an argument (``await asyncio.to_thread(time.sleep, 1)``) is not a call either.
"""

from __future__ import annotations

import ast
import inspect
import sys
import textwrap
import types
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import Any

from accord._compiler.calls import call_name
from accord._compiler.findings import Finding

__all__ = ["BLOCKING_CALLS", "blocking_call_findings", "blocking_calls_in"]

_HTTP = "an async HTTP client: `async with httpx.AsyncClient() as client: await client.get(...)`"
_THREAD = "or run it in a thread (`await run_in_threadpool(func, ...)`)"

#: Dotted name of a blocking callable -> what to use in async code instead.
BLOCKING_CALLS: dict[str, str] = {
    "time.sleep": "`await asyncio.sleep(...)`",
    **{f"requests.{verb}": _HTTP for verb in (
        "get", "post", "put", "patch", "delete", "head", "options", "request"
    )},
    **{f"httpx.{verb}": _HTTP for verb in (
        "get", "post", "put", "patch", "delete", "head", "options", "request", "stream"
    )},
    "urllib.request.urlopen": _HTTP,
    "urllib.request.urlretrieve": _HTTP,
    "sqlite3.connect": "an async driver (aiosqlite), or SQLAlchemy's async engine",
    "psycopg2.connect": "an async driver (asyncpg, or `await psycopg.AsyncConnection.connect()`)",
    "psycopg.connect": "`await psycopg.AsyncConnection.connect(...)`",
    "pymysql.connect": "an async driver (aiomysql, asyncmy)",
    "MySQLdb.connect": "an async driver (aiomysql, asyncmy)",
    "mysql.connector.connect": "an async driver (aiomysql, asyncmy)",
    "pymongo.MongoClient": "an async client (`pymongo.AsyncMongoClient`, motor)",
    "subprocess.run": "`await asyncio.create_subprocess_exec(...)`",
    "subprocess.call": "`await asyncio.create_subprocess_exec(...)`",
    "subprocess.check_call": "`await asyncio.create_subprocess_exec(...)`",
    "subprocess.check_output": "`await asyncio.create_subprocess_exec(...)`",
    "os.system": "`await asyncio.create_subprocess_shell(...)`",
    "socket.create_connection": "`await asyncio.open_connection(...)`",
    "smtplib.SMTP": "an async client (aiosmtplib)",
}

_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def blocking_call_findings(calls: Iterable[Callable[..., Any]], label: str) -> list[Finding]:
    """The blocking calls in those of `calls` that are async, as findings of route `label`."""
    findings: list[Finding] = []
    seen: set[int] = set()
    for call in calls:
        function = _async_function(call)
        if function is None or id(function) in seen:
            continue
        seen.add(id(function))
        who = function.__name__ if isinstance(call, partial) else call_name(call)
        for name, filename, line in blocking_calls_in(function):
            findings.append(
                Finding(
                    "blocking-call",
                    label,
                    f"{label}: {who!r} is async but calls {name}() on line "
                    f"{line}, which blocks the event loop: no other request is served until "
                    "it returns.",
                    f"use {BLOCKING_CALLS[name]}, {_THREAD}, or declare {who!r} "
                    "with `def` so that Accord runs it in the thread pool.",
                    filename,
                    line,
                    module=function.__module__,
                )
            )
    return findings


def _async_function(call: Any) -> types.FunctionType | None:
    """The ``async def`` function behind `call` (a partial, a decorated function, an instance)."""
    while isinstance(call, partial):
        call = call.func
    call = inspect.unwrap(call)
    if not inspect.isroutine(call) and not inspect.isclass(call):
        call = inspect.unwrap(getattr(type(call), "__call__", call))  # noqa: B004
    call = getattr(call, "__func__", call)  # a bound method
    if inspect.iscoroutinefunction(call) or inspect.isasyncgenfunction(call):
        return call if isinstance(call, types.FunctionType) else None
    return None


def blocking_calls_in(function: types.FunctionType) -> list[tuple[str, str, int]]:
    """``(dotted name, file, line)`` of each known blocking call in `function`'s own body.

    Returns nothing when the source cannot be read (a function built from a string, a
    compiled extension); the check never guesses.
    """
    try:
        lines, first = inspect.getsourcelines(function)
        tree = ast.parse(textwrap.dedent("".join(lines)))
    except (OSError, TypeError, SyntaxError):
        return []
    node = next((n for n in tree.body if isinstance(n, ast.AsyncFunctionDef)), None)
    if node is None:
        return []
    imports = _local_imports(node)
    filename = function.__code__.co_filename
    found = []
    for call in _own_calls(node):
        name = _resolve(call.func, imports, function.__globals__)
        if name is not None:
            found.append((name, filename, first + call.lineno - 1))
    return found


def _own_calls(node: ast.AST) -> Iterator[ast.Call]:
    """The calls in `node`'s body, not descending into nested functions, lambdas, classes."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, _NESTED):
            continue
        if isinstance(child, ast.Call):
            yield child
        yield from _own_calls(child)


def _local_imports(node: ast.AST) -> dict[str, str]:
    """Names bound by ``import`` statements in the function: local name -> dotted target."""
    names: dict[str, str] = {}
    for child in ast.walk(node):
        if isinstance(child, ast.Import):
            for alias in child.names:
                local = alias.asname or alias.name.partition(".")[0]
                names[local] = alias.name if alias.asname else local
        elif isinstance(child, ast.ImportFrom) and child.module and not child.level:
            for alias in child.names:
                names[alias.asname or alias.name] = f"{child.module}.{alias.name}"
    return names


def _dotted(node: ast.expr) -> list[str] | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.insert(0, node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return [node.id, *parts]


def _resolve(func: ast.expr, imports: dict[str, str], namespace: dict[str, Any]) -> str | None:
    """The known blocking callable `func` names, or None."""
    parts = _dotted(func)
    if parts is None:
        return None
    head, rest = parts[0], parts[1:]
    if head in imports:
        return _known(".".join([imports[head], *rest]))
    if head not in namespace:
        return None
    return _known_object(namespace[head], rest)


def _known(dotted: str) -> str | None:
    return dotted if dotted in BLOCKING_CALLS else None


def _known_object(value: Any, rest: list[str]) -> str | None:
    """The blocking callable reached from a global through `rest` (modules and classes only)."""
    if isinstance(value, types.ModuleType):
        dotted = _known(".".join([value.__name__, *rest]))
        if dotted is not None:
            return dotted
    for part in rest:
        if not isinstance(value, (types.ModuleType, type)):
            return None  # an instance: reading its attributes could run code
        value = inspect.getattr_static(value, part, None)
    return None if isinstance(value, types.ModuleType) else _identity(value)


def _identity(value: Any) -> str | None:
    """The blocking callable `value` is, compared by identity with the imported modules'."""
    if value is None:
        return None
    for dotted in BLOCKING_CALLS:
        module_name, _, attribute = dotted.rpartition(".")
        module = sys.modules.get(module_name)
        if module is not None and getattr(module, attribute, None) is value:
            return dotted
    return None
