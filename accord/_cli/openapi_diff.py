"""``accord openapi diff OLD NEW``: where the documents come from, and how the changes read.

A source is an OpenAPI document (a JSON or YAML file, a URL on this machine's loopback
interface, or ``git:REV:path`` for a file as committed), or an app (a path or import string
found the way ``accord run`` finds it), whose document is built without serving it. The
comparison itself is :func:`accord.openapi.diff.diff_documents`.
"""

from __future__ import annotations

import ipaddress
import json
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from rich.console import Console
from rich.markup import escape

from accord._cli.discovery import FoundApp, find_app
from accord._cli.errors import CLIError
from accord.openapi.changes import Change
from accord.openapi.diff import group_by_operation

__all__ = ["Source", "load_source", "render_json", "render_markdown", "render_text"]

_DOCUMENT_SUFFIXES = (".json", ".yaml", ".yml")
_LOOPBACK_NAMES = ("localhost",)


@dataclass(frozen=True)
class Source:
    """A document and how to name where it came from."""

    label: str
    document: dict[str, Any]


def load_source(
    spec: str, app_name: str | None, build: Callable[[FoundApp], dict[str, Any]]
) -> Source:
    """Reads the document `spec` names (see the module docstring).

    Args:
        spec: What the user typed for OLD or NEW.
        app_name: The ``--app`` option, for a source that is an app.
        build: Builds an app's document (``accord openapi``'s own function).

    Raises:
        CLIError: Nothing readable there, or not an OpenAPI 3 document.
    """
    if spec.startswith("git:"):
        return Source(spec, _parse(spec, _from_git(spec), spec))
    if spec.startswith(("http://", "https://")):
        text, content_type = _from_url(spec)
        return Source(spec, _parse(spec, text, "yaml" if "yaml" in content_type else spec))
    path = Path(spec)
    if path.suffix.lower() in _DOCUMENT_SUFFIXES:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise CLIError(
                f"Could not read {spec}: {exc.strerror}.",
                "Give an OpenAPI document (.json, .yaml), git:REV:path, a loopback URL, or an "
                "app (main.py, module:app).",
            ) from None
        return Source(spec, _parse(spec, text, spec))
    found = find_app(spec, app_name)
    return Source(found.import_string, build(found))


def _from_git(spec: str) -> str:
    revision, _, path = spec[len("git:") :].partition(":")
    if not revision or not path:
        raise CLIError(
            f"'{spec}' is not of the form git:REV:path.",
            "For example: git:main:openapi.json, or git:v1.2.0:./docs/openapi.json",
        )
    try:
        done = subprocess.run(
            ["git", "show", f"{revision}:{path}"], capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        raise CLIError("git is not installed, so git:REV:path cannot be read.", None) from None
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["git show failed"])[0]
        raise CLIError(
            f"Could not read {spec}: {reason}",
            "The path is relative to the repository root (start it with ./ for the current "
            "directory); the revision is a branch, a tag or a commit.",
        )
    return done.stdout


def _from_url(url: str) -> tuple[str, str]:
    host = urlsplit(url).hostname or ""
    if not _is_loopback(host):
        raise CLIError(
            f"{url} is not on this machine: only loopback URLs are fetched "
            "(127.0.0.1, ::1, localhost).",
            "Download the document first and give its file, or serve the app locally.",
        )
    import httpx

    try:
        response = httpx.get(url, timeout=10, follow_redirects=False)
    except httpx.HTTPError as exc:
        raise CLIError(f"Could not fetch {url}: {exc}.", "Is the server running?") from None
    if response.status_code != 200:
        raise CLIError(f"Could not fetch {url}: HTTP {response.status_code}.", None)
    return response.text, response.headers.get("content-type", "")


def _is_loopback(host: str) -> bool:
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _parse(label: str, text: str, hint: str) -> dict[str, Any]:
    try:
        if hint.lower().endswith((".yaml", ".yml")) or hint == "yaml":
            document = _yaml(label, text)
        else:
            document = json.loads(text)
    except ValueError as exc:
        raise CLIError(f"{label} is not valid JSON: {exc}.", "Give an OpenAPI document.") from None
    if not isinstance(document, dict) or not str(document.get("openapi", "")).startswith("3."):
        version = document.get("swagger") if isinstance(document, dict) else None
        found = f"Swagger {version}" if version else "no 'openapi: 3.x' field"
        raise CLIError(
            f"{label} is not an OpenAPI 3 document ({found}).",
            "accord openapi diff compares OpenAPI 3.0 and 3.1 documents.",
        )
    return document


def _yaml(label: str, text: str) -> Any:
    try:
        import yaml  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        raise CLIError(
            f"Reading {label} needs PyYAML.", "Install it with: pip install pyyaml"
        ) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CLIError(f"{label} is not valid YAML: {exc}.", "Give an OpenAPI document.") from None


# -- output ---------------------------------------------------------------------------------


def _counts(changes: Sequence[Change]) -> tuple[int, int]:
    breaking = sum(change.kind == "breaking" for change in changes)
    return breaking, len(changes) - breaking


def _operation_title(operation: str) -> str:
    return operation or "Document"


def render_text(changes: Sequence[Change], old: str, new: str, console: Console) -> None:
    """Changes grouped by operation, breaking first, each with its pointer."""
    breaking, compatible = _counts(changes)
    console.print(
        f"[bold]OpenAPI diff[/] {escape(old)} → {escape(new)}: "
        f"[{'bold red' if breaking else 'green'}]{breaking} breaking[/], "
        f"{compatible} compatible",
        soft_wrap=True,
    )
    for operation, found in group_by_operation(changes).items():
        console.print(f"\n[bold]{escape(_operation_title(operation))}[/]", soft_wrap=True)
        for change in found:
            style = "red" if change.kind == "breaking" else "green"
            console.print(
                f"  [{style}]{change.kind:<10}[/] {escape(change.rule)}: {escape(change.message)}",
                soft_wrap=True,
            )
            console.print(
                f"             [dim]{escape(change.pointer)} ({change.document})[/]",
                soft_wrap=True,
            )


def render_json(changes: Sequence[Change], old: str, new: str) -> str:
    """The changes as one JSON document, with the counts."""
    breaking, compatible = _counts(changes)
    document = {
        "old": old,
        "new": new,
        "breaking": breaking,
        "compatible": compatible,
        "changes": [change.as_dict() for change in changes],
    }
    return json.dumps(document, indent=2)


def render_markdown(changes: Sequence[Change], old: str, new: str) -> str:
    """A pull-request comment: a summary line, then a table per operation."""
    breaking, compatible = _counts(changes)
    verdict = "**breaking changes**" if breaking else "no breaking change"
    lines = [
        f"### OpenAPI diff: {verdict}",
        "",
        f"`{old}` → `{new}`: {breaking} breaking, {compatible} compatible.",
    ]
    for operation, found in group_by_operation(changes).items():
        lines += ["", f"#### `{_operation_title(operation)}`", ""]
        lines += ["| | Rule | Change | Pointer |", "| --- | --- | --- | --- |"]
        for change in found:
            kind = "**breaking**" if change.kind == "breaking" else "compatible"
            lines.append(
                f"| {kind} | `{change.rule}` | {_cell(change.message)} | "
                f"`{_cell(change.pointer)}` ({change.document}) |"
            )
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
