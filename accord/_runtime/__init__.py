"""Request-time execution of compiled plans.

Nothing here inspects signatures or builds validators.
"""
