"""`frontend()`: a built single-page app served from a directory, behind every other route.

A router keeps its frontends apart from its routes (`APIRouter._frontends`); the route table
tries them only when no route matched, not even partially, and no slash redirect applies. The
frontend whose path is the longest prefix of the request path serves it:

- a file, or a directory's `index.html` (a directory requested without its slash redirects);
- else the fallback: `404.html` (answered 404) or `index.html` (answered 200, to a browser's
  navigation only: an `Accept` naming HTML), `"auto"` picking whichever of the two exists;
- else 404. A method other than GET and HEAD is 405 where a file exists, else 404.

The directory is checked at registration (`check_dir=True`), or not (`False`), or, with
`"auto"`, unless `FASTAPI_ENV=development` (set by `accord dev`), where a missing directory is a
warning: the build may not have run yet. Paths are resolved inside the directory, symlinks not
followed out of it. Dependencies (the router's, the include's) run for GET and HEAD; headers
set on their `Response` and their background tasks reach the file's response.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from starlette._utils import get_route_path
from starlette.datastructures import URL
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from accord import params
from accord.concurrency import run_in_threadpool
from accord.exceptions import AccordError, HTTPException

if TYPE_CHECKING:
    from accord.routing import APIRoute

__all__ = ["Fallback", "Frontend", "FrontendFiles", "frontend_for", "serve_frontend"]

Fallback = Literal["auto", "index.html", "404.html"] | None
_FALLBACKS = ("auto", "index.html", "404.html", None)
_PATH_KEY = "accord.frontend_path"
_NAVIGATION_TYPES = ("text/html", "application/xhtml+xml")


class FrontendFiles(StaticFiles):
    """The files of one frontend directory, answered with the fallback rules above."""

    def __init__(self, directory: str | os.PathLike[str], fallback: Fallback, check: bool) -> None:
        if check and not os.path.isdir(directory):
            raise AccordError(
                f"The frontend directory {os.fspath(directory)!r} does not exist "
                f"(resolved: {_resolved(directory)!r}). Build the frontend first, give the "
                "directory's right path, or pass check_dir=False."
            )
        super().__init__(directory=directory, html=True, check_dir=check, follow_symlink=False)
        self.fallback = fallback
        if check and fallback in ("index.html", "404.html") and not self._is_file(fallback):
            raise AccordError(
                f"The frontend fallback {fallback!r} is not a file in {os.fspath(directory)!r} "
                f"(resolved: {_resolved(directory)!r}). Add it to the build, or pass "
                'fallback="auto" or None.'
            )

    def _is_file(self, path: str) -> bool:
        _, found = self.lookup_path(path)
        return found is not None and stat.S_ISREG(found.st_mode)

    async def respond(self, scope: Scope, relative: str) -> Response:
        """The answer for `relative` (the request path under the frontend's path)."""
        if not self.config_checked:
            await self.check_config()
            self.config_checked = True
        path = os.path.normpath(os.path.join(*relative.split("/")))
        found = await self._find(path)
        if scope["method"] not in ("GET", "HEAD"):
            raise HTTPException(status_code=405 if found is not None else 404)
        if found is not None:
            full_path, result, is_index = found
            if is_index and not scope["path"].endswith("/"):
                url = URL(scope=scope)
                return RedirectResponse(url=url.replace(path=url.path + "/"))
            return self.file_response(full_path, result, scope)
        if await self._uses("404.html"):
            return await self._fallback_response("404.html", scope, 404)
        if await self._uses("index.html") and is_navigation(scope):
            return await self._fallback_response("index.html", scope, 200)
        raise HTTPException(status_code=404)

    async def _uses(self, fallback: str) -> bool:
        if self.fallback == fallback:
            return True
        return self.fallback == "auto" and await run_in_threadpool(self._is_file, fallback)

    async def _lookup(self, path: str) -> tuple[str, os.stat_result | None]:
        try:
            return await run_in_threadpool(self.lookup_path, path)
        except PermissionError:
            raise HTTPException(status_code=401) from None
        except ValueError:  # a null byte
            raise HTTPException(status_code=404) from None
        except OSError as exc:
            if exc.errno == errno.ENAMETOOLONG:
                raise HTTPException(status_code=404) from None
            raise

    async def _find(self, path: str) -> tuple[str, os.stat_result, bool] | None:
        full_path, result = await self._lookup(path)
        if result is None:
            return None
        if stat.S_ISREG(result.st_mode):
            return full_path, result, False
        if stat.S_ISDIR(result.st_mode):
            full_path, result = await self._lookup(os.path.join(path, "index.html"))
            if result is not None and stat.S_ISREG(result.st_mode):
                return full_path, result, True
        return None

    async def _fallback_response(self, fallback: str, scope: Scope, status: int) -> Response:
        full_path, result = await run_in_threadpool(self.lookup_path, fallback)
        if result is None or not stat.S_ISREG(result.st_mode):
            # Only with check_dir off: the file was not there at registration either.
            raise RuntimeError(
                f"The frontend fallback {fallback!r} is not a file in {self.directory!r} "
                f"(resolved: {_resolved(self.directory or '')!r})"
            )
        return self.file_response(full_path, result, scope, status_code=status)


def _resolved(directory: str | os.PathLike[str]) -> str:
    return os.path.realpath(os.fspath(directory))


def is_navigation(scope: Scope) -> bool:
    """Whether the request's `Accept` admits HTML (a browser navigating, not a script)."""
    accept = Request(scope).headers.get("accept", "")
    for item in accept.split(","):
        media, *parameters = item.split(";")
        if media.strip().lower() not in _NAVIGATION_TYPES:
            continue
        if all(_quality(parameter) != 0 for parameter in parameters):
            return True
    return False


def _quality(parameter: str) -> float:
    name, _, value = parameter.partition("=")
    if name.strip().lower() != "q":
        return 1.0
    try:
        return float(value.strip().strip('"'))
    except ValueError:
        return 1.0


@dataclass(frozen=True, slots=True)
class Frontend:
    """One `frontend()` as a router serves it: its full path, files and dependencies."""

    path: str
    files: FrontendFiles
    dependencies: tuple[params.Depends, ...]
    overrides: Any
    route: APIRoute | None  # compiled for the dependencies, None without any

    @property
    def specificity(self) -> int:
        return 0 if self.path == "/" else len(self.path)

    def relative(self, route_path: str) -> str | None:
        """The request path under this frontend's path, or None when it is not under it."""
        if self.path == "/":
            return route_path.lstrip("/")
        if route_path == self.path:
            return ""
        if route_path.startswith(self.path + "/"):
            return route_path[len(self.path) + 1 :]
        return None

    def under(
        self, prefix: str, dependencies: Sequence[params.Depends], overrides: Any
    ) -> Frontend:
        """This frontend as an including router serves it."""
        return frontend_for(
            join_paths(prefix, self.path),
            self.files,
            [*dependencies, *self.dependencies],
            overrides,
        )


def normalize_path(path: str) -> str:
    if not path:
        raise AccordError("A frontend path cannot be empty: use '/' for the site's root")
    if not path.startswith("/"):
        raise AccordError(f"A frontend path must start with '/' (got {path!r})")
    return path if path == "/" else path.rstrip("/")


def join_paths(prefix: str, path: str) -> str:
    if not prefix:
        return path
    return prefix if path == "/" else prefix + path


def check_directory(directory: str | os.PathLike[str], check_dir: bool | Literal["auto"]) -> bool:
    """Whether to check the directory now; under `"auto"` in development, warn if it is missing."""
    if check_dir != "auto":
        return bool(check_dir)
    if os.environ.get("FASTAPI_ENV") != "development":
        return True
    if not os.path.isdir(directory):
        warnings.warn(
            f"The frontend directory {os.fspath(directory)!r} does not exist yet "
            f"(resolved: {_resolved(directory)!r})",
            stacklevel=_first_frame_outside_accord(),
        )
    return False


def _first_frame_outside_accord() -> int:
    """The `stacklevel` of the caller's caller that is not Accord (the user's registration)."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    frame, level = sys._getframe(1), 1
    while frame.f_back is not None and frame.f_code.co_filename.startswith(package):
        frame, level = frame.f_back, level + 1
    return level


def new_files(
    directory: str | os.PathLike[str], fallback: Fallback, check_dir: bool | Literal["auto"]
) -> FrontendFiles:
    if fallback not in _FALLBACKS:
        raise AccordError(
            f"A frontend's fallback is 'auto', 'index.html', '404.html' or None (got {fallback!r})"
        )
    return FrontendFiles(directory, fallback, check_directory(directory, check_dir))


def frontend_for(
    path: str, files: FrontendFiles, dependencies: Sequence[params.Depends], overrides: Any
) -> Frontend:
    """A frontend, its dependencies compiled into a route that serves the files."""
    route = _dependency_route(path, files, dependencies, overrides) if dependencies else None
    return Frontend(path, files, tuple(dependencies), overrides, route)


def _dependency_route(
    path: str, files: FrontendFiles, dependencies: Sequence[params.Depends], overrides: Any
) -> APIRoute:
    from accord.routing import APIRoute  # routing imports this module

    async def frontend(request: Request, response: Response) -> Response:
        served = await files.respond(request.scope, request.scope[_PATH_KEY])
        served.headers.raw.extend(response.headers.raw)
        return served

    return APIRoute(
        path,
        frontend,
        methods=["GET", "HEAD"],
        dependencies=list(dependencies),
        dependency_overrides_provider=overrides,
        include_in_schema=False,
    )


async def serve_frontend(
    frontends: Sequence[Frontend], scope: Scope, receive: Receive, send: Send
) -> bool:
    """Serves the request from the most specific frontend under its path; False if none is."""
    if scope["type"] != "http":
        return False
    route_path = get_route_path(scope)
    best: tuple[Frontend, str] | None = None
    for frontend in frontends:
        relative = frontend.relative(route_path)
        if relative is not None and (best is None or frontend.specificity > best[0].specificity):
            best = (frontend, relative)
    if best is None:
        return False
    frontend, relative = best
    if frontend.route is not None and scope["method"] in ("GET", "HEAD"):
        scope[_PATH_KEY] = relative
        scope.setdefault("path_params", {})
        await frontend.route.app(scope, receive, send)
        return True
    response = await frontend.files.respond(scope, relative)
    await response(scope, receive, send)
    return True
