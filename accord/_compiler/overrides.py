"""`app.dependency_overrides`: a tree with the overridden calls replaced, analysed again.

Tests add and clear overrides at any time, so routes compile an overridden variant of their plan
on first use of each override set and keep it (see `APIRoute.plan_for_overrides`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from accord._compiler.dependant import Dependant, get_dependant

__all__ = ["apply_overrides"]


def apply_overrides(dependant: Dependant, overrides: dict[Any, Any]) -> Dependant:
    """A copy of `dependant` whose sub-dependencies follow `overrides`, recursively."""
    subs = [_override_sub(sub, overrides) for sub in dependant.dependencies]
    return replace(dependant, dependencies=subs)


def _override_sub(sub: Dependant, overrides: dict[Any, Any]) -> Dependant:
    call = overrides.get(sub.call, sub.call)
    if call is sub.call or call is None:
        return apply_overrides(sub, overrides)
    replacement = get_dependant(
        path=sub.path or "",
        call=call,
        name=sub.name,
        parent_oauth_scopes=sub.oauth_scopes,
        scope=sub.scope,
        concurrency=sub.concurrency,
    )
    replacement = apply_overrides(replacement, overrides)
    # The cache identity and caching choice stay those of the declaration being replaced.
    replacement.original = sub
    replacement.use_cache = sub.use_cache
    return replacement
