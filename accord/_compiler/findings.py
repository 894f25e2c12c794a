"""What a declaration check reports: a :class:`Finding`, under one of the :data:`RULES`.

A finding is plain data (the rule, the route, the parameter, where it is declared, the
problem and the fix), so the same finding can become a `DeclarationWarning` at registration
(``Accord(diagnostics="warn")``), a line of ``accord dev``'s start-up report, or a row of
``accord check``'s table and JSON output.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Literal

__all__ = ["LEVELS", "RULES", "Finding", "Level", "Rule", "source_of"]

Level = Literal["error", "warning", "info"]
#: The levels, most severe first.
LEVELS: tuple[Level, ...] = ("error", "warning", "info")


@dataclass(frozen=True)
class Rule:
    """One kind of declaration mistake.

    Attributes:
        id: The stable name used in configuration and output (``implicit-body``).
        level: How severe a finding is unless configured otherwise; ``error`` makes
            ``accord check`` exit with status 1.
        summary: One line saying what the rule finds.
    """

    id: str
    level: Level
    summary: str


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule("implicit-body", "warning", "a body parameter inferred on GET, HEAD or DELETE"),
        Rule("undeclared-path-param", "warning", "a {param} of the path that nothing declares"),
        Rule("path-param-not-in-path", "error", "Path() on a name the path does not have"),
        Rule("none-default", "warning", "a None default on a type that does not admit None"),
        Rule("duplicate-operation-id", "error", "one operation id on two operations"),
        Rule("shadowed-route", "error", "a route an earlier route always matches first"),
        Rule(
            "response-model-mismatch",
            "error",
            "a response model that cannot validate what the return annotation says",
        ),
        Rule("blocking-call", "warning", "a blocking call inside async code"),
    )
}


@dataclass(frozen=True)
class Finding:
    """One declaration mistake found in an app.

    Attributes:
        rule: The id of the rule (a key of :data:`RULES`).
        route: The route, as ``GET /items/{item_id}``.
        message: What is wrong and what it does, naming the route and the parameter.
        fix: What to change.
        file: The file of the function that makes the declaration (or holds the call).
        line: Its line: the function's first line, or the line of the call.
        parameter: The parameter concerned, when there is one.
        module: The module of that function (what `warnings` filters match on).
    """

    rule: str
    route: str
    message: str
    fix: str
    file: str
    line: int
    parameter: str | None = None
    module: str = field(default="accord", compare=False, repr=False)

    @property
    def level(self) -> Level:
        """The rule's default level (``accord check`` may configure another)."""
        return RULES[self.rule].level

    @property
    def text(self) -> str:
        """The message and the fix in one paragraph, as a warning says it."""
        return f"{self.message} Fix: {self.fix}"

    def as_dict(self) -> dict[str, Any]:
        """The finding as JSON-ready data (``accord check --format json``)."""
        return {
            "rule": self.rule,
            "level": self.level,
            "route": self.route,
            "parameter": self.parameter,
            "file": self.file,
            "line": self.line,
            "message": self.message,
            "fix": self.fix,
        }


def source_of(call: Any) -> tuple[str, int]:
    """The file and first line of the function behind `call` (``<unknown>``, 0 if none)."""
    target = inspect.unwrap(call) if callable(call) else call
    target = getattr(target, "func", target) if isinstance(target, partial) else target
    if isinstance(target, type):
        target = getattr(target, "__init__", target)
    code = getattr(target, "__code__", None)
    if code is None and callable(target):  # a callable instance: its class's method has it
        code = getattr(type(target).__call__, "__code__", None)
    if code is None:
        return "<unknown>", 0
    return code.co_filename, code.co_firstlineno
