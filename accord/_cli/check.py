"""``accord check``: the declaration diagnostics of a loaded app, as a table or as JSON.

The findings come from :func:`accord._compiler.diagnostics.collect_findings`; this module
applies the project's ``[tool.accord.check]`` settings (ignored rules, ignored routes, levels),
lays the result out, and decides the exit status: 1 when a finding is at ``error`` level.

.. code-block:: toml

    [tool.accord.check]
    ignore = ["none-default"]                 # rule ids ignored everywhere

    [tool.accord.check.levels]                # error | warning | info | off
    blocking-call = "error"

    [tool.accord.check.ignore-routes]         # route pattern -> rule ids ("*": every rule)
    "GET /legacy/*" = ["implicit-body"]
    "/internal/*" = ["*"]
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any, cast

from rich.console import Console
from rich.table import Table
from rich.text import Text

from accord._cli.errors import CLIError
from accord._compiler.findings import LEVELS, RULES, Finding, Level

__all__ = ["CheckConfig", "Reported", "apply_config", "findings_table", "load_config", "report"]

_LEVEL_STYLES = {"error": "bold red", "warning": "yellow", "info": "cyan"}
_SECTION = "[tool.accord.check]"


@dataclass(frozen=True)
class CheckConfig:
    """The ``[tool.accord.check]`` settings.

    Attributes:
        ignore: Rule ids never reported.
        levels: Rule id -> the level it is reported at, or ``"off"``.
        ignore_routes: ``(route pattern, rule ids)`` pairs; ``"*"`` among the ids means every
            rule. A pattern with a space (``"GET /legacy/*"``) matches the method and the
            path, one without (``"/internal/*"``) the path only; ``*`` and ``?`` are wildcards.
    """

    ignore: frozenset[str] = frozenset()
    levels: Mapping[str, str] = field(default_factory=dict)
    ignore_routes: tuple[tuple[str, frozenset[str]], ...] = ()


@dataclass(frozen=True)
class Reported:
    """A finding as reported: at the level the configuration gives it."""

    finding: Finding
    level: Level

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready data, the configured level in place of the rule's default."""
        return {**self.finding.as_dict(), "level": self.level}


def load_config(file: Path = Path("pyproject.toml")) -> CheckConfig:
    """Reads ``[tool.accord.check]`` from `file`; the defaults when it or the table is missing.

    Raises:
        CLIError: The file is not valid TOML, or the table has an unknown key, rule or level.
    """
    if not file.is_file():
        return CheckConfig()
    text = file.read_text(encoding="utf-8")
    data = _parse_toml(file, text)
    table = data.get("tool", {}).get("accord", {}).get("check")
    if table is None:
        return CheckConfig()
    if not isinstance(table, dict):
        raise _config_error(file, "must be a table", "Write it as [tool.accord.check].")
    unknown = sorted(set(table) - {"ignore", "levels", "ignore-routes"})
    if unknown:
        raise _config_error(
            file, f"has an unknown key '{unknown[0]}'", "Keys: ignore, levels, ignore-routes."
        )
    return CheckConfig(
        ignore=frozenset(_rule_ids(file, "ignore", table.get("ignore", []), star=False)),
        levels=_levels(file, table.get("levels", {})),
        ignore_routes=_ignore_routes(file, table.get("ignore-routes", {})),
    )


def _parse_toml(file: Path, text: str) -> dict[str, Any]:
    try:
        import tomllib
    except ImportError:  # Python 3.10
        try:
            import tomli as tomllib  # type: ignore[no-redef,import-not-found,unused-ignore]
        except ImportError:
            if _SECTION in text:
                raise CLIError(
                    f"Reading {_SECTION} of {file.resolve()} needs Python 3.11 or tomli.",
                    "Install it with: pip install tomli",
                ) from None
            return {}
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CLIError(f"Could not read {file.resolve()}: {exc}", "Fix the TOML syntax.") from None


def _config_error(file: Path, problem: str, hint: str) -> CLIError:
    return CLIError(f"{_SECTION} in {file.resolve()} {problem}.", hint)


def _rule_ids(file: Path, key: str, value: object, *, star: bool) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _config_error(file, f"'{key}' must be a list of rule ids", _known_rules())
    for rule in value:
        if rule not in RULES and not (star and rule == "*"):
            raise _config_error(file, f"names an unknown rule '{rule}' in '{key}'", _known_rules())
    return list(value)


def _levels(file: Path, value: object) -> dict[str, str]:
    if not isinstance(value, dict):
        raise _config_error(file, "'levels' must be a table of rule = level", _known_rules())
    choices = (*LEVELS, "off")
    for rule, level in value.items():
        _rule_ids(file, "levels", [rule], star=False)
        if level not in choices:
            raise _config_error(
                file, f"gives rule '{rule}' the unknown level {level!r}", f"Levels: {choices}."
            )
    return dict(value)


def _ignore_routes(file: Path, value: object) -> tuple[tuple[str, frozenset[str]], ...]:
    if not isinstance(value, dict):
        raise _config_error(
            file, "'ignore-routes' must be a table of route pattern = [rule ids]", _known_rules()
        )
    return tuple(
        (pattern, frozenset(_rule_ids(file, f"ignore-routes.{pattern}", rules, star=True)))
        for pattern, rules in value.items()
    )


def _known_rules() -> str:
    return f"Rules: {', '.join(RULES)}."


def apply_config(findings: Iterable[Finding], config: CheckConfig) -> list[Reported]:
    """The findings `config` keeps, each at its configured level, most severe first."""
    reported = []
    for finding in findings:
        if finding.rule in config.ignore or _route_ignored(finding, config):
            continue
        level = config.levels.get(finding.rule, finding.level)
        if level != "off":
            reported.append(Reported(finding, cast(Level, level)))
    return sorted(reported, key=lambda r: LEVELS.index(r.level))


def _route_ignored(finding: Finding, config: CheckConfig) -> bool:
    methods, _, path = finding.route.partition(" ")
    for pattern, rules in config.ignore_routes:
        if finding.rule not in rules and "*" not in rules:
            continue
        want_method, space, want_path = pattern.partition(" ")
        if not space:
            want_method, want_path = "*", pattern
        method_ok = want_method == "*" or want_method.upper() in methods.split(",")
        if method_ok and fnmatchcase(path, want_path):
            return True
    return False


def report(reported: Sequence[Reported], *, title: str, output: str, console: Console) -> int:
    """Prints `reported` as ``table`` or ``json``; returns the exit status (1 on an error)."""
    counts = {level: sum(r.level == level for r in reported) for level in LEVELS}
    if output == "json":
        document = {"app": title, "findings": [r.as_dict() for r in reported], "counts": counts}
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
    elif reported:
        console.print(findings_table(reported, f"accord check: {title}"))
    else:
        console.print(f"accord check: {title}: no findings.", markup=False)
    return 1 if counts["error"] else 0


def findings_table(reported: Sequence[Reported], title: str) -> Table:
    """One row per finding: level, rule, route, parameter, place, the problem and the fix."""
    counts = ", ".join(
        f"{n} {level}{'s' if n != 1 else ''}"
        for level in LEVELS
        if (n := sum(r.level == level for r in reported))
    )
    table = Table(title=title, title_justify="left", caption=counts, caption_justify="left")
    table.add_column("Level", no_wrap=True)
    table.add_column("Rule", no_wrap=True)
    table.add_column("Route", style="bold", overflow="fold")
    table.add_column("Parameter", overflow="fold")
    table.add_column("Where", overflow="fold")
    table.add_column("Problem and fix", overflow="fold", ratio=1)
    for item in reported:
        finding = item.finding
        problem = Text(_without_route(finding))
        problem.append("\nFix: ", style="bold green")
        problem.append(finding.fix)
        table.add_row(
            Text(item.level, style=_LEVEL_STYLES[item.level]),
            Text(finding.rule),
            Text(finding.route),
            Text(finding.parameter or ""),
            Text(f"{_relative(finding.file)}:{finding.line}"),
            problem,
        )
    return table


def _without_route(finding: Finding) -> str:
    """The message without its leading ``GET /path: `` (the route has its own column)."""
    head = f"{finding.route}: "
    return finding.message[len(head) :] if finding.message.startswith(head) else finding.message


def _relative(file: str) -> str:
    try:
        return str(Path(file).resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return file
