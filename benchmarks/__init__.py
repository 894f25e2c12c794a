"""Side-by-side benchmarks of Accord, FastAPI, Litestar and hand-written Starlette.

Run ``python -m benchmarks.run`` (or ``make bench``); ``--quick`` gives a short smoke run.
The apps live in ``benchmarks.apps``; the two harnesses in ``benchmarks.inprocess`` and
``benchmarks.overhttp``; the scale measurements in ``benchmarks.scale``.
"""
