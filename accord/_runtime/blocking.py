"""The blocking-call detector: reports async code that holds the event loop too long.

When it is on, the app puts :class:`BlockingDetector` around its router (nothing at all when it
is off). Per event loop, a heartbeat callback runs every quarter threshold on the loop and a
watchdog thread checks that it keeps running. When the heartbeat is late by more than the
threshold, the loop is stuck in one step of some task; if that task is serving a request, the
watchdog samples the loop thread's stack (``sys._current_frames``) twice, and when the same
frame is still at the same line it logs a warning on the ``accord.blocking`` logger: the route,
the file and line of the application code that blocks, and its stack. Each route and place is
reported once.

Awaiting yields the loop, and sync endpoints and dependencies run in the thread pool, so
neither keeps the heartbeat from running: neither is reported.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sys
import sysconfig
import threading
import time
import traceback
from collections.abc import Mapping
from pathlib import Path
from types import FrameType
from typing import Any

from starlette._utils import get_route_path
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from accord.exceptions import AccordError

__all__ = [
    "DEFAULT_THRESHOLD",
    "ENV_VAR",
    "BlockingDetector",
    "parse_threshold",
    "resolve_threshold",
]

DEFAULT_THRESHOLD = 0.1
"""Seconds a step may hold the event loop before it is reported (100 ms)."""
ENV_VAR = "ACCORD_DETECT_BLOCKING"
"""The environment variable that turns the detector on when the app does not decide."""

logger = logging.getLogger("accord.blocking")

_WATCHED = "accord.blocking_watched"
_ON = frozenset({"1", "true", "yes", "on"})
_OFF = frozenset({"", "0", "false", "no", "off"})
_DURATION = re.compile(r"(\d+(?:\.\d*)?|\.\d+)\s*(ms|s)")
_FIX = (
    "Fix: await a non-blocking equivalent (asyncio.sleep, an async client or driver), run the "
    "call in a thread with `await run_in_threadpool(func, ...)`, or declare the endpoint or "
    "dependency with `def` so that Accord runs it in the thread pool."
)


def parse_threshold(text: str) -> float | None:
    """The threshold in seconds that `text` sets, or None when it turns the detector off.

    Accepted: a duration with its unit (``100ms``, ``0.25s``), ``on``/``true``/``yes``/``1``
    (the default, 100 ms) and ``off``/``false``/``no``/``0`` or an empty string.

    Raises:
        ValueError: `text` is none of these (a bare number other than 0 and 1 included, as
            its unit would be a guess).
    """
    value = text.strip().lower()
    if value in _ON:
        return DEFAULT_THRESHOLD
    if value in _OFF:
        return None
    found = _DURATION.fullmatch(value)
    if found is None or float(found.group(1)) <= 0:
        raise ValueError(
            f"{text!r} is not a duration: use a number with its unit (100ms, 0.5s), "
            "'on' for 100ms, or 'off'"
        )
    number = float(found.group(1))
    return number / 1000 if found.group(2) == "ms" else number


def resolve_threshold(
    setting: bool | float | None, environ: Mapping[str, str] = os.environ
) -> float | None:
    """The threshold the app's ``detect_blocking`` argument means, in seconds (None: off).

    None defers to the ``ACCORD_DETECT_BLOCKING`` environment variable (unset: off), which is
    how ``accord dev`` turns the detector on in the server's process.

    Raises:
        AccordError: The argument or the environment variable is not a valid setting.
    """
    if setting is None:
        text = environ.get(ENV_VAR)
        if text is None:
            return None
        try:
            return parse_threshold(text)
        except ValueError as exc:
            raise AccordError(f"Invalid {ENV_VAR} environment variable: {exc}.") from None
    if isinstance(setting, bool):
        return DEFAULT_THRESHOLD if setting else None
    if isinstance(setting, (int, float)) and setting > 0:
        return float(setting)
    raise AccordError(
        f"detect_blocking must be True, False, None or a threshold in seconds > 0 "
        f"(got {setting!r}): e.g. Accord(detect_blocking=0.1) for 100 ms."
    )


class BlockingDetector:
    """ASGI layer, innermost around the router, that marks which task serves which request.

    Args:
        app: The router it wraps.
        threshold: Seconds one step may hold the event loop before it is reported.
    """

    def __init__(self, app: ASGIApp, threshold: float) -> None:
        self.app = app
        self.threshold = threshold
        self.interval = max(threshold / 4, 0.001)
        self.reported: set[tuple[str, str, int]] = set()
        self._monitors: dict[int, _LoopMonitor] = {}
        self._lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        task = _current_task() if scope["type"] != "lifespan" else None
        # Not on asyncio (trio), or a mounted app's detector inside a watched request.
        if task is None or _WATCHED in scope:
            await self.app(scope, receive, send)
            return
        scope[_WATCHED] = True
        requests = self._monitor(task.get_loop()).requests
        requests[task] = scope
        try:
            await self.app(scope, receive, send)
        finally:
            requests.pop(task, None)

    def _monitor(self, loop: asyncio.AbstractEventLoop) -> _LoopMonitor:
        monitor = self._monitors.get(id(loop))
        if monitor is None or monitor.loop is not loop or not monitor.alive:
            monitor = self._monitors[id(loop)] = _LoopMonitor(self, loop)
        return monitor

    def forget(self, monitor: _LoopMonitor) -> None:
        """Drops a monitor whose loop has closed or gone idle."""
        if self._monitors.get(id(monitor.loop)) is monitor:
            del self._monitors[id(monitor.loop)]

    def first_report(self, key: tuple[str, str, int]) -> bool:
        """Whether `key` (route, file, line) is reported for the first time."""
        with self._lock:
            if key in self.reported:
                return False
            self.reported.add(key)
            return True


def _current_task() -> asyncio.Task[Any] | None:
    try:
        return asyncio.current_task()
    except RuntimeError:
        return None


class _LoopMonitor:
    """The heartbeat on one event loop and the watchdog thread that expects it."""

    # A monitor whose loop has no request and no heartbeat for this long stops its thread.
    IDLE_EXIT = 30.0

    def __init__(self, detector: BlockingDetector, loop: asyncio.AbstractEventLoop) -> None:
        self.detector = detector
        self.loop = loop
        self.loop_thread = threading.get_ident()  # created on the loop's thread
        self.requests: dict[asyncio.Task[Any], Scope] = {}
        self.alive = True
        self.last_beat = time.monotonic()
        self.reported_beat = 0.0
        loop.call_later(detector.interval, self._beat)
        thread = threading.Thread(target=self._watch, name="accord-blocking-watchdog", daemon=True)
        thread.start()

    def _beat(self) -> None:
        self.last_beat = time.monotonic()
        if self.alive:
            self.loop.call_later(self.detector.interval, self._beat)

    def _watch(self) -> None:
        interval = self.detector.interval
        while not self.loop.is_closed():
            time.sleep(interval)
            late = time.monotonic() - self.last_beat
            if late > self.IDLE_EXIT and not self.requests:
                break
            if late > self.detector.threshold + interval:
                try:
                    self._check(self.last_beat)
                except Exception:  # a race with the loop thread must never kill the watchdog
                    logger.debug("blocking detector: sampling failed", exc_info=True)
        self.alive = False
        self.detector.forget(self)

    def _check(self, beat: float) -> None:
        """Samples the stuck loop twice; reports when one request's frame stays put."""
        if beat == self.reported_beat:
            return
        first = self._sample()
        if first is None:
            return
        time.sleep(self.detector.interval / 2)
        second = self._sample()
        if second is None or self.last_beat != beat or second[:3] != first[:3]:
            return
        self.reported_beat = beat
        _, place, line, scope, stack = second
        label = _route_label(self.detector.app, scope)
        code = place.f_code
        if self.detector.first_report((label, code.co_filename, line)):
            _report(label, self.detector.threshold, code, line, stack)

    def _sample(self) -> tuple[Any, FrameType, int, Scope, list[tuple[FrameType, int]]] | None:
        task = asyncio.current_task(self.loop)
        scope = self.requests.get(task) if task is not None else None
        leaf = sys._current_frames().get(self.loop_thread)
        if scope is None or leaf is None:
            return None
        stack = list(traceback.walk_stack(leaf))
        place = _application_frame(stack)
        return task, place, place.f_lineno or 0, scope, stack


# -- what to report ----------------------------------------------------------------------------

_ACCORD_DIR = str(Path(__file__).resolve().parent.parent) + os.sep
_LIBRARY_DIRS = tuple(
    {
        str(Path(path).resolve()) + os.sep
        for key in ("stdlib", "platstdlib", "purelib", "platlib")
        if (path := sysconfig.get_paths().get(key))
    }
)


def _is_library(filename: str) -> bool:
    return filename.startswith("<") or filename.startswith((_ACCORD_DIR, *_LIBRARY_DIRS))


def _application_frame(stack: list[tuple[FrameType, int]]) -> FrameType:
    """The innermost frame of application code (not a library) below Accord's runner."""
    for frame, _ in stack:  # innermost first
        filename = frame.f_code.co_filename
        if filename.startswith(_ACCORD_DIR):
            break
        if not _is_library(filename):
            return frame
    return stack[0][0]


def _shown_frames(stack: list[tuple[FrameType, int]]) -> list[tuple[FrameType, int]]:
    """The frames below Accord's runner, outermost first (at most 15)."""
    inner: list[tuple[FrameType, int]] = []
    for frame, line in stack:  # innermost first
        if frame.f_code.co_filename.startswith(_ACCORD_DIR):
            break
        inner.append((frame, line))
    return list(reversed((inner or stack)[:15]))


def _route_label(router: Any, scope: Scope) -> str:
    """``GET /items/{item_id}``: the method and the served route's path template."""
    endpoint, path = scope.get("endpoint"), get_route_path(scope)
    for route in getattr(router, "routes", ()):
        if (
            isinstance(route, Route)
            and route.endpoint is endpoint
            and route.path_regex.match(path) is not None
        ):
            return f"{scope.get('method', 'WEBSOCKET')} {route.path}"
    # Served by a mounted app: its routes are not the router's; the path is still exact.
    return f"{scope.get('method', 'WEBSOCKET')} {scope.get('path', '')}"


def _report(
    label: str, threshold: float, code: Any, line: int, stack: list[tuple[FrameType, int]]
) -> None:
    frames = traceback.StackSummary.extract(iter(_shown_frames(stack)), lookup_lines=True)
    where = f"{code.co_filename}:{line}"
    logger.warning(
        "Blocking call in %s: the event loop was held for more than %d ms at %s (in %s), "
        "so nothing else ran meanwhile.\nStack of the blocking frame (most recent call "
        "last):\n%s%s",
        label,
        round(threshold * 1000),
        where,
        code.co_name,
        "".join(frames.format()),
        _FIX,
        extra={"accord_route": label, "accord_location": where},
    )
