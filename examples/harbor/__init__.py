"""Harbor Payments: a production-shaped B2B order API built on Accord.

Run it with ``make run`` (or ``python -m examples.harbor``); the modules are organised by
domain: ``orders``, ``partners`` (API keys), ``webhooks`` (outbox and delivery worker),
``audit`` and ``core`` (settings, database, errors, observability).
"""
