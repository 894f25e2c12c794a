"""Compatibility surface for extensions: `fastapi.dependencies.models`.

`Dependant` is Accord's analysed callable (`accord._compiler.dependant.Dependant`): the same
fields FastAPI's has (path, query, header, cookie and body params, sub-dependencies, the call,
the special parameter names, OAuth scopes, `use_cache`, `scope`).
"""

from accord._compiler.dependant import Dependant

__all__ = ["Dependant"]
