"""MkDocs hook: the parts of the site that are generated at build time, so they cannot drift.

A page asks for generated content with an HTML comment on a line of its own:

- ``<!-- generated: cli-help -->``: the ``--help`` of ``accord`` and of every sub-command,
  read from the CLI itself;
- ``<!-- generated: bench-TABLE -->`` (``machine``, ``inprocess``, ``calls``, ``scale``,
  ``startup``, ``http-uvicorn``, ``http-granian``): a table of ``benchmarks/results.json``,
  rendered by the benchmark's own report code;
- ``<!-- generated: ecosystem -->``: the extensions' own suites on both frameworks, the short
  table of ``docs/ecosystem.md`` (which ``make ecosystem`` writes);
- ``<!-- generated: openapi MODULE POINTER -->``: the part of ``MODULE``'s ``app.openapi()`` at
  the JSON pointer ``POINTER``, as a JSON block.

The charts of ``benchmarks/results.json`` (``charts/*.svg``) are added to the site as files.
An unknown request, a pointer that matches nothing or a result file that lacks a table fails
the build.
"""

from __future__ import annotations

import importlib
import json
import logging
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def _import_path() -> None:
    # `accord`, `benchmarks`, `docs_src` and the chart module from this checkout. MkDocs puts
    # sys.path back after loading a hook, so this runs again in each event.
    for folder in (str(ROOT), str(Path(__file__).resolve().parent)):
        if folder not in sys.path:
            sys.path.insert(0, folder)


_import_path()
import charts  # noqa: E402
from mkdocs.config.defaults import MkDocsConfig  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.structure.files import File, Files  # noqa: E402
from mkdocs.structure.pages import Page  # noqa: E402

log = logging.getLogger("mkdocs.hooks.generated")
RESULTS = ROOT / "benchmarks" / "results.json"
REQUEST = re.compile(r"^<!-- generated: (?P<what>[\w-]+)(?: (?P<args>[^>]*?))? -->$", re.M)
HELP_WIDTH = 100
def on_files(files: Files, config: MkDocsConfig) -> Files:
    _import_path()
    doc = _results()
    for path, draw in charts.CHARTS.items():
        files.append(File.generated(config, path, content=draw(doc)))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    _import_path()
    def replace(match: re.Match[str]) -> str:
        what, args = match["what"], (match["args"] or "").split()
        try:
            return _generate(what, args)
        except PluginError:
            raise
        except Exception as exc:  # a failure names the page and the request
            raise PluginError(f"{page.file.src_uri}: {match[0]}: {exc!r}") from exc

    return REQUEST.sub(replace, markdown)


def _generate(what: str, args: list[str]) -> str:
    if what == "cli-help":
        return cli_help()
    if what == "ecosystem":
        from tests.ecosystem.report import readme_table

        return readme_table((ROOT / "docs" / "ecosystem.md").read_text(encoding="utf-8")) + "\n"
    if what.startswith("bench-"):
        return bench_table(what.removeprefix("bench-"))
    if what == "reference-all":
        return reference_all()
    if what == "reference-modules":
        return reference_modules()
    if what == "openapi":
        module, pointer = args
        return openapi_fragment(module, pointer)
    raise PluginError(f"unknown generated content {what!r}")


def _results() -> dict[str, Any]:
    return json.loads(RESULTS.read_text(encoding="utf-8"))


def cli_help() -> str:
    """A section per command, each the command's own ``--help`` output."""
    import typer.main
    from typer.testing import CliRunner

    from accord._cli.commands import cli

    sections: list[str] = []

    def walk(command: Any, path: list[str]) -> None:
        result = CliRunner().invoke(
            cli, [*path, "--help"], env={"NO_COLOR": "1", "TERM": "dumb"},
            terminal_width=HELP_WIDTH,
        )
        if result.exit_code != 0:
            raise PluginError(f"accord {' '.join(path)} --help failed: {result.output}")
        text = "\n".join(line.rstrip() for line in result.output.strip("\n").splitlines())
        name = " ".join(["accord", *path])
        sections.append(f"### `{name}`\n\n```text\n$ {name} --help\n{text.strip()}\n```\n")
        for sub_name, sub in sorted(getattr(command, "commands", {}).items(), key=_order):
            if not getattr(sub, "hidden", False):
                walk(sub, [*path, sub_name])

    walk(typer.main.get_command(cli), [])
    return "\n".join(sections)


def _order(item: tuple[str, Any]) -> tuple[int, str]:
    known = ["dev", "run", "routes", "check", "openapi", "print", "diff"]
    name = item[0]
    return (known.index(name) if name in known else len(known), name)


def bench_table(name: str) -> str:
    from benchmarks import report

    doc = _results()
    render = {
        "machine": lambda: report.header(doc).split("## Machine", 1)[1],
        "inprocess": lambda: report.inprocess_section(doc).split("## In-process: requests")[0],
        "calls": lambda: report.calls_section(doc),
        "scale": lambda: report.scale_section(doc),
        "startup": lambda: report.startup_section(doc),
        "http-uvicorn": lambda: report.http_section(doc, "uvicorn", "Uvicorn, one worker, wrk"),
        "http-granian": lambda: report.http_section(doc, "granian", "Granian, one worker, wrk"),
    }
    if name not in render:
        raise PluginError(f"unknown benchmark table {name!r}; known: {sorted(render)}")
    text = render[name]().strip()
    # The report's own headings, one level down and without their title line: the page has
    # its own headings.
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    return "\n".join(lines).replace("## ", "#### ").strip() + "\n"


def openapi_fragment(module: str, pointer: str) -> str:
    document: Any = importlib.import_module(module).app.openapi()
    for token in pointer.strip("/").split("/") if pointer != "/" else []:
        key = token.replace("~1", "/").replace("~0", "~")
        if isinstance(document, list):
            document = document[int(key)]
        elif key in document:
            document = document[key]
        else:
            raise PluginError(f"{module}: {pointer} is not in the OpenAPI document")
    return f"```json\n{json.dumps(document, indent=2)}\n```\n"


def reference_all() -> str:
    """A mkdocstrings block per name of ``accord.__all__``."""
    import accord

    blocks = []
    for name in accord.__all__:
        if name.startswith("__"):
            continue
        if name == "status":
            blocks.append(
                "## `status`\n\nThe HTTP status constants: see "
                "[`accord.status`](modules.md#accord.status).\n"
            )
            continue
        blocks.append(f"::: accord.{name}\n    options:\n      heading_level: 2\n")
    return "\n".join(blocks)


def public_modules() -> list[str]:
    """``accord``'s modules without a private part in their dotted name."""
    import pkgutil

    import accord

    return [
        module.name
        for module in pkgutil.walk_packages(accord.__path__, "accord.")
        if not any(part.startswith("_") for part in module.name.split(".")[1:])
    ]


def reference_modules() -> str:
    return "\n".join(
        f"::: {name}\n    options:\n      heading_level: 2\n      show_submodules: false\n"
        "      members_order: alphabetical\n"
        for name in public_modules()
    )
