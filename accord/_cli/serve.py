"""Serve an app with Uvicorn (the default) or Granian, for ``accord dev`` and ``accord run``."""

from __future__ import annotations

import errno
import importlib
import importlib.util
import os
import socket
import sys
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import cast

from starlette.types import ASGIApp

from accord._alias import activate
from accord._cli.discovery import FoundApp
from accord._cli.environment import environment
from accord._cli.errors import CLIError

__all__ = [
    "ALIASED_APP_VAR",
    "ServeOptions",
    "ServerName",
    "aliased_app",
    "check_port",
    "load_granian_target",
    "require_server",
    "serve",
]


class ServerName(str, Enum):
    """The ASGI servers ``accord dev`` and ``accord run`` can start."""

    uvicorn = "uvicorn"
    granian = "granian"


@dataclass(frozen=True)
class ServeOptions:
    """How to serve: the options shared by ``accord dev`` and ``accord run``.

    Attributes:
        host: The address to listen on.
        port: The TCP port to listen on.
        reload: Restart the server when a file under ``reload_dirs`` changes.
        reload_dirs: The directories watched when ``reload`` is on.
        workers: The number of worker processes (``None``: one, in this process).
        root_path: The path prefix a proxy in front of the app strips (ASGI ``root_path``).
        proxy_headers: Trust ``X-Forwarded-*`` headers from ``forwarded_allow_ips``.
        forwarded_allow_ips: Comma-separated addresses trusted for proxy headers.
        server: Which server to start.
        as_fastapi: Import the app with the ``fastapi`` alias on (``--as-fastapi``), in
            every process that imports it.
    """

    host: str
    port: int
    reload: bool
    reload_dirs: tuple[Path, ...]
    workers: int | None
    root_path: str
    proxy_headers: bool
    forwarded_allow_ips: str | None
    server: ServerName
    as_fastapi: bool = False


#: With ``--as-fastapi``, the import string of the app, for :func:`aliased_app`.
ALIASED_APP_VAR = "ACCORD_AS_FASTAPI_APP"
_INSTALL_HINTS = {
    ServerName.uvicorn: "Install it with: pip install 'accord[standard]'",
    ServerName.granian: "Install it with: pip install 'accord[granian]', or use --server uvicorn",
}


def require_server(server: ServerName) -> None:
    """Fail with an install hint when ``server`` is not installed.

    Raises:
        CLIError: The server's package cannot be imported.
    """
    if importlib.util.find_spec(server.value) is None:
        raise CLIError(f"{server.value.capitalize()} is not installed.", _INSTALL_HINTS[server])


def check_port(host: str, port: int) -> None:
    """Fail early, with a hint, when ``host:port`` cannot be listened on.

    The servers would fail too, but with a log line that buries the cause; this check binds
    the address the way they do (``SO_REUSEADDR``) and releases it at once.

    Raises:
        CLIError: The port is taken, not allowed, or the host is not a local address.
    """
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except socket.gaierror:
        raise CLIError(f"Unknown host '{host}'.", "Use an IP address such as 127.0.0.1.") from None
    except OSError as exc:
        raise _bind_error(exc, host, port) from None


def _bind_error(exc: OSError, host: str, port: int) -> CLIError:
    if exc.errno == errno.EADDRINUSE:
        return CLIError(
            f"Port {port} is already in use on {host}.",
            f"Stop the program using it, or pick another port: --port {port + 1}",
        )
    if exc.errno == errno.EACCES:
        return CLIError(
            f"Not allowed to listen on port {port}.",
            "Ports below 1024 need privileges; use a higher one, e.g. --port 8000.",
        )
    return CLIError(
        f"Cannot listen on {host}:{port}: {exc.strerror}.",
        "Use an address of this machine, e.g. --host 127.0.0.1.",
    )


def serve(found: FoundApp, options: ServeOptions) -> None:
    """Start the server chosen in ``options`` on ``found``; returns when it stops."""
    if options.server is ServerName.granian:
        _run_granian(found, options)
    else:
        _run_uvicorn(found, options)


def _run_uvicorn(found: FoundApp, options: ServeOptions) -> None:
    import uvicorn

    # An import string, not the object: the reloader and the workers import it anew. With
    # the alias, they import a factory that turns it on first and then imports the app.
    target = f"{__name__}:aliased_app" if options.as_fastapi else found.import_string
    with environment({ALIASED_APP_VAR: found.import_string} if options.as_fastapi else {}):
        uvicorn.run(
            target,
            host=options.host,
            port=options.port,
            reload=options.reload,
            reload_dirs=[str(path) for path in options.reload_dirs] or None,
            workers=options.workers,
            root_path=options.root_path,
            proxy_headers=options.proxy_headers,
            forwarded_allow_ips=options.forwarded_allow_ips,
            factory=options.as_fastapi,
        )


def aliased_app() -> ASGIApp:
    """Uvicorn's app factory with ``--as-fastapi``: the alias on, then the app imported.

    It runs in whichever process Uvicorn imports the app in (this one, a reloader's child, a
    worker), each of which must turn the alias on before the app's ``import fastapi``.
    """
    activate()
    return _import_target(os.environ[ALIASED_APP_VAR])


def _run_granian(found: FoundApp, options: ServeOptions) -> None:
    from functools import partial

    from granian import Granian
    from granian.constants import Interfaces

    server = Granian(
        found.import_string,
        address=options.host,
        port=options.port,
        interface=Interfaces.ASGI,
        workers=options.workers or 1,
        reload=options.reload,
        reload_paths=list(options.reload_dirs) or None,
        url_path_prefix=options.root_path or None,
    )
    trusted = (options.forwarded_allow_ips or "127.0.0.1") if options.proxy_headers else None
    loader = partial(
        load_granian_target,
        sys_path=str(found.reference.sys_path),
        trusted=trusted,
        as_fastapi=options.as_fastapi,
    )
    server.serve(target_loader=loader)


def load_granian_target(
    target: str, *, sys_path: str, trusted: str | None, as_fastapi: bool = False
) -> ASGIApp:
    """Import ``module:attr`` in a Granian worker, wrapped for proxy headers when trusted.

    Granian's own loader treats the module part as a file path; ours imports the module the
    discovery found, from the directory it found it in.

    Args:
        target: The import string.
        sys_path: The directory to put on ``sys.path`` first.
        trusted: Addresses trusted to send ``X-Forwarded-*`` headers; ``None`` ignores them.
        as_fastapi: Turn the ``fastapi`` alias on before importing the app.
    """
    if sys.path[:1] != [sys_path]:
        sys.path.insert(0, sys_path)
    if as_fastapi:
        activate()
    app = _import_target(target)
    if trusted is None:
        return app
    from granian.utils.proxies import wrap_asgi_with_proxy_headers

    return cast(ASGIApp, wrap_asgi_with_proxy_headers(app, trusted))


def _import_target(target: str) -> ASGIApp:
    """Import ``module:attr.sub`` and return the object it names."""
    module_name, _, attribute = target.partition(":")
    app: object = importlib.import_module(module_name)
    for part in attribute.split("."):
        app = getattr(app, part)
    return cast(ASGIApp, app)
