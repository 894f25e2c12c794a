"""Tasks run after the response has been sent (`BackgroundTasks`)."""

from collections.abc import Callable
from typing import Any, ParamSpec

from starlette.background import BackgroundTasks as StarletteBackgroundTasks

from accord.telemetry._config import current_request_telemetry

__all__ = ["BackgroundTasks", "P"]

P = ParamSpec("P")


class BackgroundTasks(StarletteBackgroundTasks):
    """The background tasks of one request, run in order once the response is sent.

    Declare a parameter of this type on an endpoint or a dependency to receive the
    request's collection, then call `add_task`.
    """

    def add_task(self, func: Callable[P, Any], *args: P.args, **kwargs: P.kwargs) -> None:
        """Schedule `func(*args, **kwargs)` to run after the response is sent.

        Args:
            func: a plain function (run in the thread pool) or an `async` function.
            *args: positional arguments for `func`.
            **kwargs: keyword arguments for `func`.
        """
        super().add_task(func, *args, **kwargs)

    async def __call__(self) -> None:
        telemetry = current_request_telemetry()
        if telemetry is None or telemetry.tracer is None:
            for task in self.tasks:
                await task()
            return
        for task in self.tasks:  # a traced request: one span per task
            with telemetry.operation("background_task", task.func):
                await task()
