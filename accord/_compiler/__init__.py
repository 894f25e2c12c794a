"""Layer 2, registration time: an endpoint's declaration becomes a `RoutePlan`.

`route.compile_route(declaration)` is the one compile step: `dependant` analyses signatures
into a dependency tree, `plan` turns the tree into an immutable `Plan` (inputs, one combined
validator, dependency steps in call order, form fields), `app_scope` makes app-scoped
dependencies into data steps, and `route` adds the response plan, the body, stack and response
kinds, and the validated limits and error format. `diagnostics` and `shadowing` check
declarations.

Nothing here runs while a request is served (a profiler test checks it), and nothing here
imports `accord._runtime`: the two meet only in the records of `accord._plan`.
"""
