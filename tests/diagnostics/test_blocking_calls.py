"""The static blocking-call rule: which calls count, how names resolve, which callables are read."""

from __future__ import annotations

import functools
import time
from typing import Any

from accord._compiler.blocking_calls import blocking_call_findings, blocking_calls_in


class Clock:
    sleep = time.sleep  # a class attribute that is the blocking function itself
    name = "clock"


clock = Clock()


async def local_imports() -> None:
    import subprocess
    from os import system as shell
    from time import sleep as nap

    nap(1)
    shell("true")
    subprocess.run(["true"])


async def through_a_class_and_an_instance() -> None:
    Clock.sleep(1)
    clock.sleep(1)  # an instance: its attributes are not read, so not resolved
    Clock.name.upper()


async def not_calls_of_known_names(items: list[Any]) -> None:
    items[0]()  # not a dotted name
    unknown_name()  # type: ignore[name-defined] # noqa: F821
    time.monotonic()
    (lambda: time.sleep(1))()  # a lambda: not the coroutine's own code


class Service:
    async def method(self) -> None:
        time.sleep(1)

    async def __call__(self) -> None:
        time.sleep(2)


async def agen() -> Any:
    time.sleep(1)
    yield


def _lines(function: Any) -> list[tuple[str, int]]:
    code = function.__code__
    return [(name, line - code.co_firstlineno) for name, _, line in blocking_calls_in(function)]


def test_imports_inside_the_function_resolve() -> None:
    assert _lines(local_imports) == [("time.sleep", 5), ("os.system", 6), ("subprocess.run", 7)]


def test_class_attributes_resolve_and_instances_are_not_read() -> None:
    assert _lines(through_a_class_and_an_instance) == [("time.sleep", 1)]


def test_other_calls_are_not_reported() -> None:
    assert _lines(not_calls_of_known_names) == []


def test_which_callables_are_read() -> None:
    def sync() -> None:
        time.sleep(1)

    service = Service()
    calls = [
        sync,
        functools.partial(local_imports),
        service.method,
        service,
        agen,
        Service,  # a class: its __init__ is sync
        local_imports,  # the same function again: reported once
    ]
    findings = blocking_call_findings(calls, "GET /a")
    assert [f.message.split(" is async")[0] for f in findings] == [
        "GET /a: 'local_imports'",
        "GET /a: 'local_imports'",
        "GET /a: 'local_imports'",
        "GET /a: 'method'",
        "GET /a: 'Service'",
        "GET /a: 'agen'",
    ]
    assert all(f.route == "GET /a" and f.file == __file__ for f in findings)
    assert findings[3].line == Service.method.__code__.co_firstlineno + 1
    assert findings[0].module == __name__


def test_a_function_without_readable_source_is_skipped() -> None:
    namespace: dict[str, Any] = {"time": time}
    exec("async def made():\n    time.sleep(1)\n", namespace)
    assert blocking_calls_in(namespace["made"]) == []
    assert blocking_call_findings([namespace["made"]], "GET /a") == []
