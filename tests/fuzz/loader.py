"""Load ``tests/fuzz/corpus.py`` on FastAPI and on Accord through the parity harness binding."""

from __future__ import annotations

import functools
import itertools
import sys
import types
import warnings
from pathlib import Path

from tests.parity import harness

CORPUS = Path(__file__).parent / "corpus.py"
SCENARIO = "fuzz"
_counter = itertools.count()


def load_corpus(package: str) -> types.ModuleType:
    """Execute the corpus with ``fw`` bound to ``package`` into a fresh module."""
    code = compile(CORPUS.read_text(encoding="utf-8"), str(CORPUS), "exec")
    name = f"_fuzz_corpus_{package}_{next(_counter)}"
    module = types.ModuleType(name)
    module.__file__ = str(CORPUS)
    sys.modules[name] = module  # pydantic resolves annotations through sys.modules
    with harness._fw_bound_to(package), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(code, module.__dict__)
    return module


@functools.cache
def corpus_pair() -> harness.ScenarioPair:
    """The corpus on FastAPI (oracle) and on the subject framework, loaded once."""
    return harness.ScenarioPair(SCENARIO, load_corpus(harness.ORACLE), load_corpus(harness.SUBJECT))
