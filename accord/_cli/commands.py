"""The ``accord`` commands: ``dev``, ``run``, ``check``, ``routes`` and ``openapi``."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, cast

import typer
from typer.core import TyperGroup

from accord._cli.check import apply_config, findings_table, load_config, report
from accord._cli.discovery import FoundApp, find_app
from accord._cli.environment import development_environment, environment
from accord._cli.errors import CLIError, summarize
from accord._cli.locate import DEFAULT_FILES
from accord._cli.openapi_diff import load_source, render_json, render_markdown, render_text
from accord._cli.output import make_console, print_banner, print_error
from accord._cli.routes import route_rows, routes_table
from accord._cli.serve import ServeOptions, ServerName, check_port, require_server, serve

__all__ = ["cli"]

cli = typer.Typer(
    name="accord",
    help="Serve, inspect and document Accord apps.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    # Errors are reported as one line and a hint; a rich traceback of the CLI helps no one.
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_DISCOVERY = (
    f"Without PATH, the app file is the first of {', '.join(DEFAULT_FILES)} found in the "
    "current directory, or the `\\[tool.accord] entrypoint` of ./pyproject.toml. In it, the app "
    "is the Accord instance named `app` or `api`, else the first one; --app names another."
)

# Options shared by several commands, declared once.
PathArg = Annotated[
    str | None,
    typer.Argument(
        metavar="PATH",
        help="A .py file, a package directory, or an import string (module:app).",
        show_default=False,
    ),
]
AppOpt = Annotated[
    str | None, typer.Option("--app", help="The variable holding the app.", show_default=False)
]
PortOpt = Annotated[int, typer.Option(help="The TCP port to listen on.", envvar="PORT")]
ReloadDirOpt = Annotated[
    list[Path] | None,
    typer.Option(help="A directory to watch for changes (repeatable). Default: the app's root."),
]
RootPathOpt = Annotated[
    str, typer.Option(help="The path prefix a reverse proxy in front of the app strips.")
]
ProxyHeadersOpt = Annotated[
    bool,
    typer.Option(help="Trust X-Forwarded-For/-Proto headers sent by --forwarded-allow-ips."),
]
ForwardedOpt = Annotated[
    str | None,
    typer.Option(help="Comma-separated proxy addresses to trust ('*': any). Default: 127.0.0.1."),
]
AsFastAPIOpt = Annotated[
    bool,
    typer.Option(
        "--as-fastapi",
        envvar="ACCORD_AS_FASTAPI",
        help="Answer the app's `import fastapi` with Accord, so that a FastAPI app runs "
        "unchanged.",
        show_default=False,
    ),
]
ServerOpt = Annotated[
    ServerName, typer.Option(help="The ASGI server; granian needs the 'granian' extra.")
]


def _alias(as_fastapi: bool) -> None:
    """``--as-fastapi``: turn the alias on before the app is imported.

    Raises:
        CLIError: The real FastAPI is already imported in this process.
    """
    if not as_fastapi:
        return
    from accord._alias import AliasError, activate

    try:
        activate()
    except AliasError as exc:
        raise CLIError(
            f"--as-fastapi: the real FastAPI is already imported (from {exc.path}), so "
            "`import fastapi` cannot be answered by Accord.",
            "Something imports fastapi before the app (a sitecustomize or .pth file?); "
            "remove that import, or change the app's imports to accord.",
        ) from None


@contextmanager
def _reported() -> Iterator[None]:
    """Turn a :class:`CLIError` into its message on stderr and exit status 1."""
    try:
        yield
    except CLIError as error:
        print_error(error)
        raise typer.Exit(1) from None


@cli.command(help=f"Serve the app for development: auto-reload, on 127.0.0.1.\n\n{_DISCOVERY}")
def dev(
    path: PathArg = None,
    app: AppOpt = None,
    host: Annotated[str, typer.Option(help="The address to listen on.")] = "127.0.0.1",
    port: PortOpt = 8000,
    reload: Annotated[bool, typer.Option(help="Restart when a file changes.")] = True,
    reload_dir: ReloadDirOpt = None,
    root_path: RootPathOpt = "",
    proxy_headers: ProxyHeadersOpt = True,
    forwarded_allow_ips: ForwardedOpt = None,
    server: ServerOpt = ServerName.uvicorn,
    detect_blocking: Annotated[
        str | None,
        typer.Option(
            metavar="DURATION",
            help="Log a warning when async code holds the event loop longer than this "
            "(100ms, 0.5s; 'off' disables). Default: 100ms, or $ACCORD_DETECT_BLOCKING.",
            show_default=False,
        ),
    ] = None,
    as_fastapi: AsFastAPIOpt = False,
) -> None:
    options = ServeOptions(
        host=host,
        port=port,
        reload=reload,
        reload_dirs=tuple(reload_dir or ()),
        workers=None,
        root_path=root_path,
        proxy_headers=proxy_headers,
        forwarded_allow_ips=forwarded_allow_ips,
        server=server,
        as_fastapi=as_fastapi,
    )
    _serve("development", path, app, options, detect_blocking=detect_blocking)


@cli.command(
    help=f"Serve the app for production: on 0.0.0.0, optionally in workers.\n\n{_DISCOVERY}"
)
def run(
    path: PathArg = None,
    app: AppOpt = None,
    host: Annotated[str, typer.Option(help="The address to listen on.")] = "0.0.0.0",
    port: PortOpt = 8000,
    workers: Annotated[
        int | None, typer.Option(min=1, help="Worker processes (about one per core).")
    ] = None,
    reload: Annotated[bool, typer.Option(help="Restart when a file changes.")] = False,
    reload_dir: ReloadDirOpt = None,
    root_path: RootPathOpt = "",
    proxy_headers: ProxyHeadersOpt = True,
    forwarded_allow_ips: ForwardedOpt = None,
    server: ServerOpt = ServerName.uvicorn,
    as_fastapi: AsFastAPIOpt = False,
) -> None:
    options = ServeOptions(
        host=host,
        port=port,
        reload=reload,
        reload_dirs=tuple(reload_dir or ()),
        workers=workers,
        root_path=root_path,
        proxy_headers=proxy_headers,
        forwarded_allow_ips=forwarded_allow_ips,
        server=server,
        as_fastapi=as_fastapi,
    )
    _serve("production", path, app, options)


def _serve(
    mode: str,
    path: str | None,
    app_name: str | None,
    options: ServeOptions,
    *,
    detect_blocking: str | None = None,
) -> None:
    with _reported():
        # Development turns the blocking-call detector on. The app reads the variable when it
        # is created, so it is set before the app is imported here (served without reload).
        environ = development_environment(detect_blocking) if mode == "development" else {}
    with environment(environ):
        with _reported():
            if options.reload and options.workers:
                raise CLIError(
                    "--reload and --workers cannot be used together.",
                    "Use `accord dev` to develop with reload, `accord run --workers N` to serve.",
                )
            require_server(options.server)
            _alias(options.as_fastapi)
            found = find_app(path, app_name)
            check_port(options.host, options.port)
            if options.reload and not options.reload_dirs:
                options = replace(options, reload_dirs=(found.reference.sys_path,))
            print_banner(found, options, mode)
            if mode == "development":
                _startup_report(found)
        serve(found, options)


def _startup_report(found: FoundApp) -> None:
    """``accord dev``: the app's declaration findings, as ``accord check`` would list them."""
    from accord._compiler.diagnostics import collect_findings

    reported = apply_config(collect_findings(found.app), load_config())
    if reported:
        console = make_console()
        console.print(findings_table(reported, "Declaration diagnostics (accord check)"))
        console.file.flush()


class OutputFormat(str, Enum):
    """How ``accord check`` prints its findings."""

    table = "table"
    json = "json"


@cli.command(
    help="Report the app's declaration mistakes, with the route, the parameter, the place "
    "and the fix; exit with status 1 when one is at 'error' level. Levels and ignores come "
    f"from \\[tool.accord.check] in ./pyproject.toml.\n\n{_DISCOVERY}"
)
def check(
    path: PathArg = None,
    app: AppOpt = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="A rich table, or JSON for tools.")
    ] = OutputFormat.table,
    as_fastapi: AsFastAPIOpt = False,
) -> None:
    from accord._compiler.diagnostics import collect_findings

    with _reported():
        config = load_config()
        _alias(as_fastapi)
        found = find_app(path, app)
        reported = apply_config(collect_findings(found.app), config)
    status = report(
        reported, title=found.import_string, output=output_format.value, console=make_console()
    )
    raise typer.Exit(status)


@cli.command(help=f"List the app's routes, mounts and WebSocket routes.\n\n{_DISCOVERY}")
def routes(path: PathArg = None, app: AppOpt = None, as_fastapi: AsFastAPIOpt = False) -> None:
    with _reported():
        _alias(as_fastapi)
        found = find_app(path, app)
        listed = getattr(found.app, "routes", None)
        if listed is None:
            raise CLIError(
                f"{found.import_string} has no routes to list.",
                "accord routes reads `app.routes`, which Accord and Starlette apps have.",
            )
        table = routes_table(route_rows(listed), f"Routes of {found.import_string}")
    make_console().print(table)


class _DefaultsToPrint(TyperGroup):
    """``accord openapi [PATH]`` prints the document; ``accord openapi diff`` compares two."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("-h", "--help")):
            args = ["print", *args]
        return super().parse_args(ctx, args)


openapi_cli = typer.Typer(
    cls=_DefaultsToPrint,
    help="Print the app's OpenAPI document (`accord openapi [PATH]`, the default), or compare "
    "two documents (`accord openapi diff OLD NEW`).",
    context_settings={"help_option_names": ["-h", "--help"]},
)
cli.add_typer(openapi_cli, name="openapi")


@openapi_cli.command(
    "print", help=f"Print the app's OpenAPI document as JSON, without serving.\n\n{_DISCOVERY}"
)
def openapi(
    path: PathArg = None,
    app: AppOpt = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file instead of stdout."),
    ] = None,
    as_fastapi: AsFastAPIOpt = False,
) -> None:
    with _reported():
        _alias(as_fastapi)
        text = json.dumps(_openapi_document(find_app(path, app)), indent=2)
        if output is None:
            sys.stdout.write(text + "\n")
            return
        try:
            output.write_text(text + "\n", encoding="utf-8")
        except OSError as exc:
            raise CLIError(f"Could not write {output}: {exc.strerror}.", None) from None
        make_console(stderr=True).print(f"Wrote the OpenAPI document to {output}", markup=False)


class DiffFormat(str, Enum):
    """How ``accord openapi diff`` prints the changes."""

    text = "text"
    json = "json"
    markdown = "markdown"


class FailOn(str, Enum):
    """The least severe change that makes ``accord openapi diff`` exit with status 1."""

    breaking = "breaking"
    compatible = "compatible"


_SOURCE_HELP = (
    "An OpenAPI document (file.json, file.yaml, git:REV:path, http://127.0.0.1/...) or an app "
    "(main.py, module:app)."
)
OldArg = Annotated[str, typer.Argument(metavar="OLD", help=_SOURCE_HELP, show_default=False)]
NewArg = Annotated[str, typer.Argument(metavar="NEW", help=_SOURCE_HELP, show_default=False)]


@openapi_cli.command(
    "diff",
    help="Compare two OpenAPI documents and classify every change as breaking or compatible "
    "for clients, grouped by operation, with JSON pointers. Exit with status 1 when a "
    "breaking change is found (--fail-on compatible: any change).",
)
def openapi_diff(
    old: OldArg,
    new: NewArg,
    app: AppOpt = None,
    output_format: Annotated[
        DiffFormat,
        typer.Option("--format", help="text; json for tools; markdown for a PR comment."),
    ] = DiffFormat.text,
    fail_on: Annotated[
        FailOn, typer.Option(help="Exit 1 on a breaking change, or on any change.")
    ] = FailOn.breaking,
    response_enum_added: Annotated[
        FailOn,
        typer.Option(
            help="How a value added to a response enum counts: breaking (clients that switch "
            "on it meet an unknown value) or compatible."
        ),
    ] = FailOn.breaking,
    as_fastapi: AsFastAPIOpt = False,
) -> None:
    from accord.openapi.changes import DiffOptions
    from accord.openapi.diff import diff_documents

    with _reported():
        _alias(as_fastapi)
        before = load_source(old, app, _openapi_document)
        after = load_source(new, app, _openapi_document)
    options = DiffOptions(response_enum_added_breaking=response_enum_added is FailOn.breaking)
    changes = diff_documents(before.document, after.document, options)
    if output_format is DiffFormat.json:
        sys.stdout.write(render_json(changes, before.label, after.label) + "\n")
    elif output_format is DiffFormat.markdown:
        sys.stdout.write(render_markdown(changes, before.label, after.label) + "\n")
    else:
        render_text(changes, before.label, after.label, make_console())
    failing = [c for c in changes if fail_on is FailOn.compatible or c.kind == "breaking"]
    raise typer.Exit(1 if failing else 0)


def _openapi_document(found: FoundApp) -> dict[str, Any]:
    build = getattr(found.app, "openapi", None)
    if not callable(build):
        raise CLIError(
            f"{found.import_string} has no openapi() method.",
            "accord openapi documents Accord apps (Accord() instances).",
        )
    try:
        return cast(dict[str, Any], build())
    except Exception as exc:
        raise CLIError(
            f"Could not build the OpenAPI document: {summarize(exc)}",
            'See the full traceback with: python -c "import '
            f'{found.reference.module} as m; m.{found.reference.attribute}.openapi()"',
        ) from None


def _print_version(value: bool) -> None:
    if value:
        from accord import __version__

        make_console().print(f"Accord {__version__}", markup=False)
        raise typer.Exit()


@cli.callback()
def _main(
    show_version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Show Accord's version and exit.",
            is_eager=True,
            callback=_print_version,
        ),
    ] = False,
) -> None:
    """Serve, inspect and document Accord apps."""
