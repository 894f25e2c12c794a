"""Layer 2, request time: a `RoutePlan` executed.

`runner.make_runner(route_plan)` runs once, at registration, and picks everything a request
would otherwise decide: the runner class (no inputs / no exit stack / with stacks), the body
reader of the route's `BodyKind` (`body`, `forms`), one extractor per declared location
(`extract`), the step runner (`steps`) and the encoder of its `ResponseKind` (`encode`,
`streaming`). `websocket` serves WebSocket routes, `lifetime` app-scoped values, `exits` the
request's cheap exit stack, `blocking` the blocking-call detector.

Nothing here inspects signatures or builds validators, and nothing here imports
`accord._compiler`: the two meet only in the records of `accord._plan`.
"""
