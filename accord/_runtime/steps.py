"""Running a plan's dependency steps, in their precomputed order.

`def` steps run in the thread pool (consecutive ones in one hop, `Plan.stages`), `async def`
ones on the loop; yield dependencies are entered on the request's exit stack, or on the
function stack for ``scope="function"``. A step whose inputs failed validation is skipped, so
the request still reports every error FastAPI would.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, AsyncExitStack
from typing import Any

import anyio.to_thread
from anyio.from_thread import check_cancelled

from accord._plan import ASYNC, ASYNC_GEN, ENDPOINT_RESULT, GEN, SYNC, Plan, Step
from accord._runtime.exits import RequestExits, ThreadExit
from accord.concurrency import contextmanager_in_threadpool, run_in_threadpool
from accord.security.scopes import SecurityScopes

__all__ = ["Exits", "arguments", "new_stack", "run_steps"]

# A request's exit stack: `RequestExits`, or contextlib's for streaming and WebSocket routes.
Exits = AsyncExitStack | RequestExits


def arguments(step: Step, values: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments of `step`'s call."""
    kwargs: dict[str, Any] = {}
    for name, key in step.args:  # a loop, not a comprehension: no extra frame on 3.11
        kwargs[name] = values[key]
    if step.scopes is not None:
        kwargs[step.scopes[0]] = SecurityScopes(scopes=list(step.scopes[1]))
    return kwargs


def new_stack(like: Exits) -> Exits:
    """A fresh stack of the same kind as `like` (for function-scoped teardowns)."""
    return RequestExits() if type(like) is RequestExits else AsyncExitStack()


async def _enter(step: Step, kwargs: dict[str, Any], stack: Exits) -> Any:
    assert step.manager is not None
    if step.kind == ASYNC_GEN:
        return await stack.enter_async_context(step.manager(**kwargs))
    return await stack.enter_async_context(contextmanager_in_threadpool(step.manager(**kwargs)))


async def run_steps(
    plan: Plan,
    values: dict[str, Any],
    errors: dict[str, list[Any]],
    request_stack: Exits | None,
    function_stack: Exits | None,
    *,
    endpoint_may_join: bool = True,
) -> None:
    """Calls the dependency steps in order, skipping those whose inputs failed validation.

    With `endpoint_may_join`, a `def` endpoint that follows `def` dependencies is called in
    their thread-pool hop (see `Plan.endpoint_in_last_stage`); WebSocket endpoints never are.
    """
    last = len(plan.stages) - 1 if endpoint_may_join else -1
    for index, stage in enumerate(plan.stages):
        step = stage[0]
        if step.concurrency is not None:
            if not (errors and not step.subtree.isdisjoint(errors)):
                await _run_limited(step, values, request_stack, function_stack)
            continue
        if step.kind == SYNC or step.kind == GEN:
            with_endpoint = plan.endpoint_in_last_stage and index == last
            await _run_sync_stage(
                plan, stage, values, errors, request_stack, function_stack, with_endpoint
            )
            continue
        if errors and not step.subtree.isdisjoint(errors):
            continue
        kwargs = arguments(step, values)
        if step.kind == ASYNC:
            values[step.result_key] = await step.call(**kwargs)
            continue
        assert request_stack is not None and function_stack is not None
        stack = function_stack if step.function_scope else request_stack
        if step.kind == ASYNC_GEN and type(stack) is RequestExits:  # the common case, inline
            values[step.result_key] = await stack.enter_generator(step.call(**kwargs))
        else:
            values[step.result_key] = await _enter(step, kwargs, stack)


async def _run_limited(
    step: Step, values: dict[str, Any], request_stack: Exits | None, function_stack: Exits | None
) -> None:
    """A ``Depends(max_concurrency=N)`` step: called once one of its N slots is free.

    A plain dependency holds its slot while it runs; a `yield` dependency until its teardown
    has run (the release is pushed on its stack before it is entered, so it unwinds after).
    """
    semaphore = step.concurrency.get_semaphore()
    kwargs = arguments(step, values)
    if step.kind == ASYNC:
        async with semaphore:
            values[step.result_key] = await step.call(**kwargs)
        return
    if step.kind == SYNC:
        async with semaphore:
            values[step.result_key] = await run_in_threadpool(step.call, **kwargs)
        return
    stack = function_stack if step.function_scope else request_stack
    assert stack is not None
    await semaphore.acquire()
    stack.push_async_callback(_release, semaphore)
    values[step.result_key] = await _enter(step, kwargs, stack)


async def _release(semaphore: anyio.Semaphore) -> None:
    semaphore.release()


async def _run_sync_stage(
    plan: Plan,
    stage: tuple[Step, ...],
    values: dict[str, Any],
    errors: dict[str, list[Any]],
    request_stack: Exits | None,
    function_stack: Exits | None,
    with_endpoint: bool,
) -> None:
    """Runs a group of `def` dependencies (and maybe the endpoint) in one worker thread."""
    entered: list[tuple[Step, AbstractContextManager[Any]]] = []
    try:
        # anyio directly: Starlette's `run_in_threadpool` adds a frame resumed at every step.
        await anyio.to_thread.run_sync(
            _sync_stage, plan, stage, values, errors, entered, with_endpoint
        )
    finally:
        # Entered generators are torn down later, in a thread, like any yield dependency.
        for step, manager in entered:
            stack = function_stack if step.function_scope else request_stack
            assert stack is not None
            stack.push_async_exit(ThreadExit(manager))


def _sync_stage(
    plan: Plan,
    stage: tuple[Step, ...],
    values: dict[str, Any],
    errors: dict[str, list[Any]],
    entered: list[tuple[Step, AbstractContextManager[Any]]],
    with_endpoint: bool,
) -> None:
    for index, step in enumerate(stage):
        if errors and not step.subtree.isdisjoint(errors):
            continue
        if index:
            # Separate hops in FastAPI: a request cancelled meanwhile calls nothing more.
            check_cancelled()
        kwargs = arguments(step, values)
        if step.kind == SYNC:
            values[step.result_key] = step.call(**kwargs)
        else:
            assert step.manager is not None
            manager = step.manager(**kwargs)
            values[step.result_key] = manager.__enter__()
            entered.append((step, manager))
    if with_endpoint and not errors:
        check_cancelled()
        values[ENDPOINT_RESULT] = plan.endpoint.call(**arguments(plan.endpoint, values))
