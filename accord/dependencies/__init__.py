"""Compatibility surface for extensions: FastAPI's `fastapi.dependencies` paths.

Extensions written for FastAPI (fastapi-cache2, fastapi-pagination, cadwyn) import helpers from
`fastapi.dependencies.utils` and `fastapi.dependencies.models`. These modules give them the same
names over Accord's own compiler (`accord._compiler.dependant`); application code does not need
them.
"""
