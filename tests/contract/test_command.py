"""`accord openapi diff OLD NEW`: the sources (files, git, loopback URLs, apps), the three output
formats, the exit status and its switches, and one-line errors for what cannot be read."""

from __future__ import annotations

import http.server
import json
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.cli.conftest import APP_SOURCE, write

from .test_corpus import PAIRS, load_pair


def _pair(stem: str) -> dict[str, Any]:
    return load_pair(next(p for p in PAIRS if p.stem.endswith(stem)))


def _write_pair(project: Path, stem: str) -> tuple[str, str]:
    pair = _pair(stem)
    (project / "old.json").write_text(json.dumps(pair["old"]))
    (project / "new.yaml").write_text(yaml.safe_dump(pair["new"]))
    return "old.json", "new.yaml"


def test_a_breaking_change_exits_1_with_the_text_report(
    project: Path, invoke: Callable[..., Any]
) -> None:
    old, new = _write_pair(project, "response-status-removed")
    result = invoke("openapi", "diff", old, new)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "OpenAPI diff old.json → new.yaml: 1 breaking, 0 compatible",
        "",
        "GET /items",
        "  breaking   response-status-removed: the response 404 was removed",
        "             /paths/~1items/get/responses/404 (old)",
    ]


def test_compatible_changes_exit_0_unless_fail_on_compatible(
    project: Path, invoke: Callable[..., Any]
) -> None:
    old, new = _write_pair(project, "response-status-added")
    assert invoke("openapi", "diff", old, new).exit_code == 0
    assert invoke("openapi", "diff", old, new, "--fail-on", "compatible").exit_code == 1
    assert invoke("openapi", "diff", old, old, "--fail-on", "compatible").exit_code == 0


def test_response_enum_additions_can_be_tolerated(
    project: Path, invoke: Callable[..., Any]
) -> None:
    old, new = _write_pair(project, "response-enum-value-added")
    assert invoke("openapi", "diff", old, new).exit_code == 1
    result = invoke("openapi", "diff", old, new, "--response-enum-added", "compatible")
    assert result.exit_code == 0
    assert "compatible enum-value-added" in " ".join(result.stdout.split())


def test_json_and_markdown(project: Path, invoke: Callable[..., Any]) -> None:
    old, new = _write_pair(project, "several-changes")
    result = invoke("openapi", "diff", old, new, "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert (document["old"], document["new"]) == ("old.json", "new.yaml")
    assert (document["breaking"], document["compatible"]) == (1, 2)
    assert {c["rule"] for c in document["changes"]} == {
        "parameter-added",
        "response-status-added",
        "property-became-optional",
    }
    assert set(document["changes"][0]) == {
        "operation", "kind", "rule", "pointer", "document", "message"
    }
    markdown = invoke("openapi", "diff", old, new, "--format", "markdown").stdout
    lines = markdown.splitlines()
    assert lines[0] == "### OpenAPI diff: **breaking changes**"
    assert "#### `GET /items`" in lines
    # Breaking first within the operation.
    rows = [line for line in lines if line.startswith("| **breaking**") or line.startswith("| compatible")]
    assert rows[0].startswith("| **breaking** | `property-became-optional` |")
    assert len(rows) == 3


def test_markdown_without_changes_says_so(project: Path, invoke: Callable[..., Any]) -> None:
    old, _ = _write_pair(project, "identical")
    result = invoke("openapi", "diff", old, old, "--format", "markdown")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "### OpenAPI diff: no breaking change"


def test_an_app_against_its_own_snapshot(project: Path, invoke: Callable[..., Any]) -> None:
    write(project / "main.py", APP_SOURCE)
    assert invoke("openapi", "-o", "snapshot.json").exit_code == 0
    result = invoke("openapi", "diff", "snapshot.json", "main.py")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("OpenAPI diff snapshot.json → main:app: 0 breaking")
    # The next release drops an operation (another file: this process imported main already).
    write(project / "v2.py", APP_SOURCE.replace('@router.post("/", status_code=201)', "# gone"))
    result = invoke("openapi", "diff", "snapshot.json", "v2.py", "--format", "json")
    assert result.exit_code == 1
    rules = [c["rule"] for c in json.loads(result.stdout)["changes"]]
    assert rules == ["operation-removed"]


def _git(project: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=project,
        check=True,
        capture_output=True,
    )


def test_a_document_as_committed(project: Path, invoke: Callable[..., Any]) -> None:
    pair = _pair("request-field-removed")
    _git(project, "init", "-q")
    (project / "openapi.json").write_text(json.dumps(pair["old"]))
    _git(project, "add", "openapi.json")
    _git(project, "commit", "-qm", "v1")
    _git(project, "tag", "v1")
    (project / "openapi.json").write_text(json.dumps(pair["new"]))
    result = invoke("openapi", "diff", "git:v1:openapi.json", "openapi.json")
    assert result.exit_code == 1
    assert "property-removed" in result.stdout
    result = invoke("openapi", "diff", "git:v1:missing.json", "openapi.json")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: Could not read git:v1:missing.json: fatal: ")
    result = invoke("openapi", "diff", "git:v1", "openapi.json")
    assert result.stderr.startswith("Error: 'git:v1' is not of the form git:REV:path.")


@pytest.fixture
def loopback_server(project: Path) -> Iterator[str]:
    """Serves the project directory on 127.0.0.1 (an ephemeral port) for the test."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(project), **kwargs)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_a_document_on_a_loopback_url(
    project: Path, invoke: Callable[..., Any], loopback_server: str
) -> None:
    old, new = _write_pair(project, "operation-added")
    result = invoke("openapi", "diff", f"{loopback_server}/{old}", f"{loopback_server}/{new}")
    assert result.exit_code == 0, result.output
    assert "operation-added" in result.stdout
    result = invoke("openapi", "diff", f"{loopback_server}/nothing.json", new)
    assert result.stderr.startswith(f"Error: Could not fetch {loopback_server}/nothing.json: HTTP 404.")


def test_a_closed_loopback_port_and_a_remote_url_are_errors(
    project: Path, invoke: Callable[..., Any]
) -> None:
    from tests.cli.conftest import free_port

    old, _ = _write_pair(project, "identical")
    url = f"http://localhost:{free_port()}/openapi.json"
    result = invoke("openapi", "diff", url, old)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: Could not fetch {url}: ")
    result = invoke("openapi", "diff", "https://api.example.com/openapi.json", old)
    assert result.stderr.splitlines() == [
        "Error: https://api.example.com/openapi.json is not on this machine: only loopback URLs "
        "are fetched (127.0.0.1, ::1, localhost).",
        "Hint: Download the document first and give its file, or serve the app locally.",
    ]


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("a.json", "{not json", "Error: a.json is not valid JSON: "),
        ("a.yaml", "key: [unclosed", "Error: a.yaml is not valid YAML: "),
        ("a.json", '{"swagger": "2.0"}', "Error: a.json is not an OpenAPI 3 document (Swagger 2.0)."),
        ("a.json", "[]", "Error: a.json is not an OpenAPI 3 document (no 'openapi: 3.x' field)."),
    ],
)
def test_what_is_not_an_openapi_3_document_is_one_line(
    project: Path, invoke: Callable[..., Any], name: str, text: str, message: str
) -> None:
    (project / name).write_text(text)
    result = invoke("openapi", "diff", name, name)
    assert result.exit_code == 1
    assert result.stderr.startswith(message)


def test_a_missing_file_and_a_missing_app(project: Path, invoke: Callable[..., Any]) -> None:
    result = invoke("openapi", "diff", "missing.json", "missing.json")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: Could not read missing.json: No such file")
    result = invoke("openapi", "diff", "nowhere.py", "nowhere.py")
    assert result.stderr.startswith("Error: Path 'nowhere.py' does not exist")


def test_openapi_without_a_subcommand_still_prints_and_help_lists_diff(
    project: Path, invoke: Callable[..., Any]
) -> None:
    write(project / "main.py", APP_SOURCE)
    printed = invoke("openapi")
    assert printed.exit_code == 0
    assert json.loads(printed.stdout)["info"]["title"] == "CLI test app"
    assert json.loads(invoke("openapi", "print", "main.py").stdout) == json.loads(printed.stdout)
    assert "diff" in invoke("openapi", "--help").stdout
