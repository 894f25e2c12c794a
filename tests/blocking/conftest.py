"""Helpers for the blocking-call detector tests: its log records, and where a line is."""

import logging
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Small, so the tests stay quick; the blocking calls below last several times as long.
THRESHOLD = 0.04
BLOCK = 0.25


@pytest.fixture
def reports(caplog: pytest.LogCaptureFixture) -> Callable[..., list[logging.LogRecord]]:
    """``reports(count)``: the detector's records, once at least `count` have arrived."""
    caplog.set_level(logging.WARNING, logger="accord.blocking")

    def wait(count: int = 1, timeout: float = 10.0) -> list[logging.LogRecord]:
        deadline = time.monotonic() + timeout
        while True:
            found = [r for r in caplog.records if r.name == "accord.blocking"]
            if len(found) >= count or time.monotonic() > deadline:
                return found
            time.sleep(0.01)

    return wait


def line_of(path: str, marker: str) -> int:
    """The 1-based number of the only line of `path` that contains `marker`."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    found = [number for number, text in enumerate(lines, 1) if marker in text]
    assert len(found) == 1, (marker, found)
    return found[0]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty project directory, made the current one; its modules are forgotten after."""
    monkeypatch.chdir(tmp_path)
    saved_path = list(sys.path)
    yield tmp_path
    sys.path[:] = saved_path
    for name, module in list(sys.modules.items()):
        if (getattr(module, "__file__", None) or "").startswith(str(tmp_path)):
            del sys.modules[name]
