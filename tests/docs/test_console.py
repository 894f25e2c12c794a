"""The console sessions the pages show: each `accord` command is run, its output compared.

A ```console block is a promise that the output shown is what the command prints today, so only
commands that can be run here belong in one (`accord` commands that do not serve, and
`echo $?` for the previous exit status); a command whose output is not checked goes in a
```sh block.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from typing import Any

import pytest

from tests.docs.pages import ROOT, Command, blocks, console_commands, page_name, pages

ENV = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb", "PYTHONPATH": str(ROOT)}
SERVING = {"dev", "run"}


FASTAPI_IMPORT = re.compile(r"^(from|import) fastapi\b", re.MULTILINE)


def _needs_fastapi(commands: list[Command]) -> bool:
    """Whether a session runs an app written for FastAPI without the alias (it needs FastAPI)."""
    for command in commands:
        words = shlex.split(command.command, comments=True)
        if "--as-fastapi" in words:
            continue
        for word in words:
            source = ROOT / word
            if word.endswith(".py") and source.is_file():
                if FASTAPI_IMPORT.search(source.read_text(encoding="utf-8")):
                    return True
    return False


def sessions() -> list[list[Command]]:
    found = []
    for page in pages():
        for block in blocks(page.read_text(encoding="utf-8"), page_name(page)):
            if block.lang == "console":
                found.append(console_commands(block))
    return found


def marked_sessions() -> list[Any]:
    return [
        pytest.param(commands, marks=pytest.mark.oracle) if _needs_fastapi(commands) else commands
        for commands in sessions()
    ]


def _normal(text: str) -> str:
    # Rich pads table rows to the terminal width: only trailing spaces may differ.
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


def run_session(commands: list[Command]) -> list[tuple[str, str, str]]:
    """(where, expected, got) for every command of one console block."""
    results, status = [], None
    for command in commands:
        where = f"{command.page}:{command.line}: $ {command.command}"
        words = shlex.split(command.command, comments=True)
        if words == ["echo", "$?"]:
            got = f"{status}\n"
        elif words and words[0] == "accord" and len(words) > 1 and words[1] not in SERVING:
            done = subprocess.run(
                [sys.executable, "-m", "accord", *words[1:]],
                cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                text=True, timeout=120, check=False,
            )
            got, status = done.stdout, done.returncode
        else:
            pytest.fail(f"{where}: not a command this test can run; use a ```sh block")
        results.append((where, _normal(command.expected), _normal(got)))
    return results


@pytest.mark.parametrize(
    "commands", marked_sessions(), ids=lambda c: f"{c[0].page}:{c[0].line}" if c else "empty"
)
def test_the_output_shown_is_the_output_printed(commands: list[Command]) -> None:
    assert commands, "a console block without a $ command"
    for where, expected, got in run_session(commands):
        assert got == expected, where


def test_the_pages_show_the_three_commands() -> None:
    shown = {" ".join(c.command.split()[:3]) for s in sessions() for c in s}
    assert any(c.startswith("accord routes") for c in shown)
    assert any(c.startswith("accord check") for c in shown)
    assert any(c.startswith("accord openapi diff") for c in shown)


def test_a_changed_output_is_caught() -> None:
    command = Command("p.md", 1, "accord check docs_src/beyond/check_001.py", "0 errors\n")
    [(_, expected, got)] = run_session([command])
    assert expected != got and "1 error, 3 warnings" in got
