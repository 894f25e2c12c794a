"""Registration-time analysis: endpoint signatures become dependency trees, then immutable plans.

Nothing in this package runs while a request is served; :mod:`accord._runtime` executes the plans.
"""
