"""A route whose `dependant` an extension changed after it was compiled.

FastAPI builds a route's handler from `route.dependant` whenever `get_route_handler` runs, and
extensions rely on it: fastapi-pagination appends a sub-dependency to `route.dependant`, cadwyn
replaces `dependant.call` with a versioning wrapper and names a request parameter for it, then
both rebuild `route.app`. Accord compiles a route once; these helpers tell whether the tree is
still the one compiled (`shape`) and compile the changed one (`follow`), with every value the
tree names passed to its callables, as FastAPI passes them.
"""

from __future__ import annotations

from dataclasses import replace
from operator import attrgetter
from typing import Any

from accord._compiler.dependant import Dependant

__all__ = ["complete", "shape"]

_SPECIALS = (
    "request_param_name",
    "websocket_param_name",
    "http_connection_param_name",
    "response_param_name",
    "background_tasks_param_name",
    "security_scopes_param_name",
)
_specials = attrgetter(*_SPECIALS)


def shape(dependant: Dependant) -> tuple[Any, ...]:
    """What the plan of `dependant` is compiled from; equal shapes compile to the same plan.

    The tuple holds the objects themselves (nodes, calls, fields): tuples compare items by
    identity first, so comparing two shapes of one unchanged tree is cheap.
    """
    return (
        dependant,
        dependant.call,
        dependant.name,
        dependant.use_cache,
        dependant.scope,
        tuple(dependant.param_order),
        _specials(dependant),
        tuple(dependant.path_params),
        tuple(dependant.query_params),
        tuple(dependant.header_params),
        tuple(dependant.cookie_params),
        tuple(dependant.body_params),
        tuple(shape(sub) for sub in dependant.dependencies),
    )


def complete(dependant: Dependant) -> Dependant:
    """A copy of the tree in which each callable is passed every value its node names.

    Accord's analysis passes a callable the parameters of its signature (`param_order`); a
    tree changed by hand may name more (a request parameter added under a new name), which
    FastAPI passes as keyword arguments too.
    """
    order = list(dependant.param_order)
    named = [sub.name for sub in dependant.dependencies if sub.name is not None]
    for fields in (
        dependant.path_params,
        dependant.query_params,
        dependant.header_params,
        dependant.cookie_params,
        dependant.body_params,
    ):
        named.extend(f.name for f in fields)
    named.extend(n for n in (getattr(dependant, a) for a in _SPECIALS[:-1]) if n is not None)
    order.extend(name for name in dict.fromkeys(named) if name not in order)
    subs = [complete(sub) for sub in dependant.dependencies]
    return replace(dependant, param_order=order, dependencies=subs)
