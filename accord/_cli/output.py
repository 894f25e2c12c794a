"""What the ``accord`` command prints: errors, and the banner shown before serving."""

from __future__ import annotations

import ipaddress
import os
import sys

from rich.console import Console
from rich.markup import escape

from accord._cli.discovery import FoundApp
from accord._cli.errors import AppImportError, CLIError
from accord._cli.serve import ServeOptions

__all__ = ["local_url", "make_console", "print_banner", "print_error"]

# Wide enough for a route table when output goes to a file or a pipe, where rich would
# otherwise assume 80 columns and fold every cell.
_PIPE_WIDTH = 200


def make_console(*, stderr: bool = False) -> Console:
    """A console on stdout (results) or stderr (errors, notices).

    Built per call, not at import, so that it writes to whatever ``sys.stdout`` is now.
    """
    stream = sys.stderr if stderr else sys.stdout
    interactive = stream.isatty()
    width = None if interactive or "COLUMNS" in os.environ else _PIPE_WIDTH
    return Console(stderr=stderr, width=width, highlight=False)


def print_error(error: CLIError) -> None:
    """Print ``error`` on stderr: the user's traceback if any, then one line and the hint."""
    console = make_console(stderr=True)
    if isinstance(error, AppImportError):
        console.print(error.traceback_text, markup=False, end="")
    console.print(f"[bold red]Error:[/] {escape(error.message)}", soft_wrap=True)
    if error.hint:
        console.print(f"[yellow]Hint:[/] {escape(error.hint)}", soft_wrap=True)


def print_banner(found: FoundApp, options: ServeOptions, mode: str) -> None:
    """Say what is served, from where, and where its URLs and API docs are."""
    console = make_console()
    url = local_url(options.host, options.port)
    reload = ", auto-reload" if options.reload else ""
    workers = f", {options.workers} workers" if options.workers else ""
    console.print(f"[bold]Accord[/] {mode} server ({options.server.value}{reload}{workers})")
    origin = found.reference.origin or found.reference.sys_path
    console.print(f"  App      {escape(found.import_string)}  [dim]from {escape(str(origin))}[/]")
    if options.as_fastapi:
        console.print("  FastAPI  [dim]`import fastapi` answered by Accord (--as-fastapi)[/]")
    console.print(f"  Serving  {url}{_listening_note(options.host)}", soft_wrap=True)
    for label, attribute in (("Docs", "docs_url"), ("ReDoc", "redoc_url")):
        path = getattr(found.app, attribute, None)
        if isinstance(path, str):
            console.print(f"  {label:<8} {url}{escape(path)}", soft_wrap=True)
    if options.root_path:
        prefix = escape(options.root_path)
        console.print(f"  Root     {prefix} [dim](the path prefix your proxy strips)[/]")
    console.file.flush()


def local_url(host: str, port: int) -> str:
    """The URL a browser on this machine opens; a wildcard address becomes loopback."""
    wildcard = {"0.0.0.0": "127.0.0.1", "::": "::1"}
    host = wildcard.get(host, host)
    try:
        is_v6 = ipaddress.ip_address(host).version == 6
    except ValueError:
        is_v6 = False
    return f"http://[{host}]:{port}" if is_v6 else f"http://{host}:{port}"


def _listening_note(host: str) -> str:
    if host in ("0.0.0.0", "::"):
        return f"  [dim](listening on {host}: every interface of this machine)[/]"
    return ""
