"""Layer 3 beside `accord.routing`: what routers do with the routes they declare.

`options` merges router settings (one `RouterOptions`, one `inherit`), `include` copies an
included router's routes, `scopes` wraps routes in their routers' middleware and exception
handlers, `table` is the compiled route table and the matcher that serves it, and `lifespan`
merges routers' lifespans.
"""
