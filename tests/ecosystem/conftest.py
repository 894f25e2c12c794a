"""Running the extension apps of `tests/ecosystem/apps`: on Accord through the alias, and on
the real FastAPI 0.163.2 (the same source with the alias line taken out) as the oracle."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from tests.alias.conftest import run_python

APPS = Path(__file__).resolve().parent / "apps"
ALIAS_LINE = "import accord.as_fastapi"


def run_app(name: str, tmp_path: Path, *, on_fastapi: bool = False) -> dict[str, Any]:
    """What the app printed on its last line, run in a fresh process (warnings as errors)."""
    source = (APPS / name).read_text(encoding="utf-8")
    first_import = re.search(r"^(import|from) \S+", source, re.MULTILINE)
    assert first_import is not None and first_import.group(0) == ALIAS_LINE, name
    if on_fastapi:
        source = source.replace(ALIAS_LINE, "pass  #", 1)
    script = tmp_path / name
    script.write_text(source, encoding="utf-8")
    result = run_python(tmp_path, str(script), timeout=180)
    assert result.returncode == 0, result.stderr
    found: dict[str, Any] = json.loads(result.stdout.splitlines()[-1])
    return found
