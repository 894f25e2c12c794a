"""Secrets are compared in constant time (``secrets.compare_digest`` / ``hmac.compare_digest``).

Accord's security classes only parse credentials and hand them to the application, so the
comparison lives in application code: the framework, the worked example and the docs must
show the safe way. A static scan finds ``==``/``!=`` applied to a name that holds a secret.
"""

import re
from pathlib import Path

import pytest

from accord import Accord, Depends
from accord.security import HTTPBasic, HTTPBasicCredentials

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ["accord", "examples", "docs", "docs_src", "README.md", "SECURITY.md"]
SECRET_NAME = r"[\w.]*(?:password|passwd|secret|token|api_key|apikey|credentials\.\w+)"
NAIVE_COMPARE = re.compile(
    rf"\b{SECRET_NAME}\s*(?:==|!=)\s*[\w\"'.]|[\w\"'.]\s*(?:==|!=)\s*{SECRET_NAME}\b"
)


def scanned_files() -> list[Path]:
    files: list[Path] = []
    for folder in SCANNED:
        base = ROOT / folder
        if base.is_file():
            files.append(base)
            continue
        files += sorted(base.rglob("*.py")) + sorted(base.rglob("*.md"))
    return files


def naive_comparisons(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if NAIVE_COMPARE.search(line)]


def test_the_scan_recognizes_a_naive_comparison() -> None:
    assert naive_comparisons('    if credentials.password != "swordfish":')
    assert naive_comparisons("if x_token == settings.api_key:")
    assert not naive_comparisons("if secrets.compare_digest(given, expected):")
    assert not naive_comparisons("token_type = 'bearer'")


@pytest.mark.parametrize("path", scanned_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_secret_is_compared_with_equality(path: Path) -> None:
    assert naive_comparisons(path.read_text(encoding="utf-8")) == []


def test_basic_credentials_reach_the_app_undecided() -> None:
    # HTTPBasic itself decides nothing: a wrong password is the application's to refuse.
    from starlette.testclient import TestClient

    app = Accord()
    basic = HTTPBasic()

    @app.get("/who")
    def who(creds: HTTPBasicCredentials = Depends(basic)) -> dict[str, str]:
        return {"user": creds.username, "password": creds.password}

    response = TestClient(app).get("/who", auth=("ann", "wrong"))
    assert response.json() == {"user": "ann", "password": "wrong"}
