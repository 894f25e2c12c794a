"""The ecosystem matrix's bookkeeping: per-test outcomes, what Accord loses, the page and README.

Nothing here runs a suite or touches the network (that is :mod:`tests.ecosystem.suites`): it
reads pytest's JUnit XML, compares an extension's two runs, one on the real FastAPI and one on
Accord through the ``fastapi`` alias, and writes the results as Markdown.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from benchmarks.report import replace_between

__all__ = [
    "PAGE_TABLE",
    "README_TABLE",
    "Outcomes",
    "SuiteResult",
    "counterparts",
    "gained_on_accord",
    "lost_on_accord",
    "parse_junit",
    "readme_table",
    "render_page",
    "replace_between",
]

PASSED, FAILED, SKIPPED = "passed", "failed", "skipped"
# When one test id is reported twice (a teardown error after a pass), the worse outcome stands.
_RANK = {PASSED: 0, SKIPPED: 1, FAILED: 2}

#: The markers around the generated table on docs/ecosystem.md, and in README.md.
PAGE_TABLE = ("<!-- ecosystem-table:start -->", "<!-- ecosystem-table:end -->")
README_TABLE = ("<!-- ecosystem:start -->", "<!-- ecosystem:end -->")


@dataclass(frozen=True)
class Outcomes:
    """One run of a suite: each test id's outcome, and the first line of each failure."""

    outcomes: dict[str, str]
    messages: dict[str, str] = field(default_factory=dict)
    stopped: str = ""  # why a pytest session ended before reporting any test ("" if none did)

    def count(self, outcome: str) -> int:
        return sum(1 for found in self.outcomes.values() if found == outcome)

    def figures(self) -> str:
        """``passed / failed / skipped``."""
        return " / ".join(str(self.count(kind)) for kind in (PASSED, FAILED, SKIPPED))

    def to_json(self) -> dict[str, Any]:
        return {"outcomes": self.outcomes, "messages": self.messages, "stopped": self.stopped}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Outcomes:
        return cls(dict(data["outcomes"]), dict(data.get("messages", {})),
                   data.get("stopped", ""))


def _test_id(case: ElementTree.Element) -> str:
    """``path.py::Class::name`` from a JUnit test case (pytest's xunit1 family has ``file``)."""
    classname, name, path = (case.get(key) or "" for key in ("classname", "name", "file"))
    if not path:
        return f"{classname}::{name}" if classname else name
    module = path.removesuffix(".py").replace("/", ".")
    inner = classname[len(module) + 1 :] if classname.startswith(module + ".") else ""
    return "::".join(part for part in (path, inner, name) if part)


# An object's address in a repr (`<... at 0x7f3a...>`, pytest's shortened `...7fbb22cd6750>`):
# it changes from run to run, so the page would too.
_ADDRESS = re.compile(r"(0x)?[0-9a-f]{8,}(?=>)")


def _first_line(text: str | None, limit: int = 200) -> str:
    line = next((line.strip() for line in (text or "").splitlines() if line.strip()), "")
    line = _ADDRESS.sub("…", line)
    return line if len(line) <= limit else line[: limit - 1] + "…"


def parse_junit(xml: str) -> Outcomes:
    """Each test's outcome in pytest's JUnit XML: passed, failed (failure or error) or skipped.

    An expected failure (xfail) is reported by pytest as skipped, and counts as skipped.
    """
    outcomes: dict[str, str] = {}
    messages: dict[str, str] = {}
    for case in ElementTree.fromstring(xml).iter("testcase"):
        test_id = _test_id(case)
        outcome, message = PASSED, ""
        for child in case:
            if child.tag in ("failure", "error"):
                outcome = FAILED
                message = _first_line(child.get("message")) or _first_line(child.text)
                break
            if child.tag == "skipped":
                outcome = SKIPPED
        previous = outcomes.get(test_id)
        if previous is None or _RANK[outcome] > _RANK[previous]:
            outcomes[test_id] = outcome
            if message:
                messages[test_id] = message
    return Outcomes(outcomes, messages)


def counterparts(first: Outcomes, second: Outcomes) -> dict[str, str | None]:
    """Each test id of ``first`` with the id of the same test in ``second`` (None: not run).

    Ids are the same in both runs, except where a parametrized test's id shows a value made at
    random when its module is imported (fastapi-users' generated secrets): the ids that only
    one run has are paired in collection order, within one test function.
    """
    unpaired: dict[str, list[str]] = {}
    for test_id in second.outcomes:
        if test_id not in first.outcomes:
            unpaired.setdefault(test_id.split("[", 1)[0], []).append(test_id)
    pairs: dict[str, str | None] = {}
    for test_id in first.outcomes:
        if test_id in second.outcomes:
            pairs[test_id] = test_id
            continue
        waiting = unpaired.get(test_id.split("[", 1)[0])
        pairs[test_id] = waiting.pop(0) if waiting else None
    return pairs


def lost_on_accord(on_fastapi: Outcomes, on_accord: Outcomes) -> list[str]:
    """The tests that pass on FastAPI and do not pass on Accord (failed, skipped or missing)."""
    pairs = counterparts(on_fastapi, on_accord)
    return sorted(
        test_id
        for test_id, outcome in on_fastapi.outcomes.items()
        if outcome == PASSED and on_accord.outcomes.get(pairs[test_id] or "") != PASSED
    )


def gained_on_accord(on_fastapi: Outcomes, on_accord: Outcomes) -> list[str]:
    """The tests that pass on Accord and not on FastAPI."""
    return lost_on_accord(on_accord, on_fastapi)


@dataclass(frozen=True)
class SuiteResult:
    """An extension's suite, run on both, with what it ran and where its tests came from."""

    name: str
    version: str
    tests_source: str  # where the tests came from ("the sdist", or another sdist, and why)
    deselected: str  # what was left out of both runs, and why ("" for nothing)
    versions: dict[str, str]  # resolved distributions worth naming (fastapi, pydantic, ...)
    on_fastapi: Outcomes
    on_accord: Outcomes
    seconds: float

    @property
    def lost(self) -> list[str]:
        return lost_on_accord(self.on_fastapi, self.on_accord)

    @property
    def gained(self) -> list[str]:
        return gained_on_accord(self.on_fastapi, self.on_accord)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "tests_source": self.tests_source,
            "deselected": self.deselected,
            "versions": self.versions,
            "on_fastapi": self.on_fastapi.to_json(),
            "on_accord": self.on_accord.to_json(),
            "seconds": self.seconds,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SuiteResult:
        return cls(
            name=data["name"],
            version=data["version"],
            tests_source=data["tests_source"],
            deselected=data["deselected"],
            versions=dict(data["versions"]),
            on_fastapi=Outcomes.from_json(data["on_fastapi"]),
            on_accord=Outcomes.from_json(data["on_accord"]),
            seconds=float(data["seconds"]),
        )


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def summary_table(results: list[SuiteResult]) -> str:
    """The page's table: one row per extension."""
    rows = [
        "| Extension | Tests | Left out of both runs | FastAPI 0.163.2: passed / failed / "
        "skipped | Accord: passed / failed / skipped | Lost on Accord |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for result in results:
        rows.append(
            f"| {result.name} {result.version} | {_cell(result.tests_source)} | "
            f"{_cell(result.deselected or 'nothing')} | {result.on_fastapi.figures()} | "
            f"{result.on_accord.figures()} | {len(result.lost)} |"
        )
    return "\n".join(rows)


def _explain(result: SuiteResult, test_id: str, reasons: Mapping[str, str]) -> str:
    """Why a test is lost: ``reasons["NAME::TEST_ID"]``, else the first ``reasons["NAME::~TEXT"]``
    whose TEXT is in the test id or in its failure on Accord, else that failure itself."""
    reason = reasons.get(f"{result.name}::{test_id}")
    if reason:
        return reason
    on_accord = counterparts(result.on_fastapi, result.on_accord)[test_id] or ""
    message = result.on_accord.messages.get(on_accord)
    prefix = f"{result.name}::~"
    for key, reason in reasons.items():
        text = key[len(prefix):]
        if key.startswith(prefix) and (text in test_id or text in (message or "")):
            return reason
    outcome = result.on_accord.outcomes.get(on_accord)
    if outcome is None:
        outcome, message = "not run", result.on_accord.stopped or message
    message = _ADDRESS.sub("…", message or "")
    return f"not explained yet; on Accord: {outcome}" + (f": {message}" if message else "")


#: A reason shared by more tests than this is given once, with a few of their ids.
GROUPED = 5


def _losses(result: SuiteResult, reasons: Mapping[str, str]) -> list[str]:
    by_reason: dict[str, list[str]] = {}
    for test_id in result.lost:
        by_reason.setdefault(_explain(result, test_id, reasons), []).append(test_id)
    lines = []
    for reason, ids in by_reason.items():
        if len(ids) > GROUPED:
            shown = ", ".join(f"`{test_id}`" for test_id in ids[:3])
            lines.append(f"- {len(ids)} tests ({shown}, ...): {_cell(reason)}")
        else:
            lines.extend(f"- `{test_id}`: {_cell(reason)}" for test_id in ids)
    return lines


def render_page(
    results: list[SuiteResult], intro: str, reasons: Mapping[str, str], accord_version: str
) -> str:
    """docs/ecosystem.md: the introduction, the table, then each loss with its reason."""
    parts = [intro.rstrip(), "", "## The results", "", PAGE_TABLE[0], summary_table(results)]
    parts += [PAGE_TABLE[1], ""]
    parts.append(f"Accord {accord_version}, from this repository.")
    parts += ["", "## Tests lost on Accord", ""]
    for result in results:
        lost = result.lost
        resolved = ", ".join(f"{name} {version}" for name, version in result.versions.items())
        parts.append(f"### {result.name} {result.version}")
        parts.append("")
        parts.append(f"Resolved: {resolved}; {result.seconds:.0f} s for both runs.")
        parts.append("")
        if not lost:
            parts.append("None: every test that passes on FastAPI passes on Accord.")
        parts.extend(_losses(result, reasons))
        gained = result.gained
        if gained:
            shown = ", ".join(f"`{test_id}`" for test_id in gained[:GROUPED])
            more = ", ..." if len(gained) > GROUPED else ""
            parts += ["", f"Passing on Accord and not on FastAPI: {len(gained)} ({shown}{more})."]
        parts.append("")
    return "\n".join(parts).rstrip() + "\n"


_ROW = re.compile(r"^\| (?P<cells>.+) \|$")


def readme_table(page: str) -> str:
    """The README's short table, read from the page's generated table."""
    start, end = PAGE_TABLE
    if start not in page or end not in page:
        raise ValueError("docs/ecosystem.md has no generated table between its markers")
    body = page.split(start, 1)[1].split(end, 1)[0].strip().splitlines()
    rows = [
        "| Extension | Its own tests passing on FastAPI | on Accord | Lost on Accord |",
        "| --- | ---: | ---: | ---: |",
    ]
    for line in body[2:]:
        match = _ROW.match(line.strip())
        if match is None:
            raise ValueError(f"not a table row: {line!r}")
        cells = [cell.strip() for cell in re.split(r"(?<!\\) \| ", match["cells"])]
        name, on_fastapi, on_accord, lost = cells[0], cells[3], cells[4], cells[5]
        passed = (on_fastapi.split(" / ")[0], on_accord.split(" / ")[0])
        rows.append(f"| {name} | {passed[0]} | {passed[1]} | {lost} |")
    return "\n".join(rows)

