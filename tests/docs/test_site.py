"""The documentation site: one strict build per test session, checked offline and in Chromium.

The build is `mkdocs build --strict` into a temporary directory (a broken link, a page missing
from the nav, a bad reference or a failing generated section fails it). The browser test serves
that build on 127.0.0.1 and drives Debian's Chromium the way the docs-UI tests do
(`tests/browser.py`), with every other host unreachable. Screenshots go to
$DOCS_SCREENSHOTS (default: a temporary directory), kept as test artifacts.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.staticfiles import StaticFiles

from tests.browser import browser_page, needs_chromium, serve
from tests.docs.pages import ROOT
from tests.ecosystem.report import readme_table

# The page the search must find for "Depends", and the tutorial's first page.
DEPENDS_PAGE = "tutorial/dependencies/"
FIRST_PAGE = "tutorial/"
EXTERNAL = re.compile(r"<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)=\"(https?:)?//", re.I)


@pytest.fixture(scope="session")
def site() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="accord-site-") as folder:
        done = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", folder],
            cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
        assert done.returncode == 0, done.stdout + done.stderr
        yield Path(folder)


@pytest.fixture(scope="session")
def site_url(site: Path) -> Iterator[str]:
    with serve(StaticFiles(directory=site, html=True)) as url:
        yield url


@pytest.fixture(scope="session")
def screenshots() -> Path:
    folder = Path(os.environ.get("DOCS_SCREENSHOTS") or tempfile.mkdtemp(prefix="docs-shots-"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_the_strict_build_has_every_page(site: Path) -> None:
    for page in ("index.html", "getting-started/index.html", "migrating/index.html",
                 "beyond/lifetime/index.html", "performance/index.html",
                 "reference/accord/index.html", "reference/cli/index.html",
                 "changelog/index.html", "search/search_index.json"):
        assert (site / page).is_file(), page
    assert (site / "tutorial" / "index.html").is_file()


def test_nothing_is_loaded_from_another_host(site: Path) -> None:
    offenders = [
        f"{path.relative_to(site)}: {match.group(0)}"
        for path in site.rglob("*.html")
        for match in EXTERNAL.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
    assert "fonts.googleapis.com" not in (site / "index.html").read_text()


def test_generated_sections(site: Path) -> None:
    cli = (site / "reference" / "cli" / "index.html").read_text()
    for command in ("dev", "run", "routes", "check", "openapi", "openapi diff"):
        assert f"$ accord {command} --help" in cli, command
    charts = sorted(p.name for p in (site / "charts").glob("*.svg"))
    assert charts == ["inprocess.svg", "scale.svg", "startup.svg"]
    bars = (site / "charts" / "inprocess.svg").read_text()
    for name in ("Accord", "FastAPI", "Litestar", "Starlette"):
        assert f"<title>{name}" in bars, name
    reference = (site / "reference" / "accord" / "index.html").read_text()
    assert 'id="accord.APIRouter"' in reference and 'id="accord.Depends"' in reference
    lifetime = (site / "beyond" / "lifetime" / "index.html").read_text()
    assert "quote_quote__currency__get" in lifetime  # the generated OpenAPI fragment
    # The migration page's compatibility table is read from the ecosystem page, row by row.
    migrating = (site / "migrating" / "index.html").read_text()
    ecosystem = (ROOT / "docs" / "ecosystem.md").read_text()
    for row in readme_table(ecosystem).splitlines()[2:]:
        name, *_ = (cell.strip() for cell in row.strip("|").split("|"))
        assert f"<td>{name}</td>" in migrating, name
    startup = (site / "performance" / "index.html").read_text()
    assert "first request ms accord" in startup  # the realistic start-up table


@needs_chromium
def test_the_site_in_a_browser(site_url: str, screenshots: Path) -> None:
    pages = {"home": "", "first": FIRST_PAGE, "migrating": "migrating/",
             "reference": "reference/accord/"}
    with browser_page() as page:
        for name, path in pages.items():
            page.open(f"{site_url}/{path}")
            assert page.evaluate("document.querySelector('article h1') !== null"), path
            copy = page.wait_for(_COPY_BUTTONS)  # content.code.copy: one per code block
            assert copy and copy[0] == copy[1], f"/{path}: code blocks / copy buttons: {copy}"
            page.screenshot(screenshots / f"{name}.png")
        page.open(f"{site_url}/")
        found = page.wait_for(_SEARCH.replace("QUERY", "Depends"), timeout=20)
        page.screenshot(screenshots / "search.png")
        assert page.problems == []
    # Material lists the matching pages, each with its matching sections; the page that
    # documents Depends must be one of the first pages listed.
    listed = list(dict.fromkeys(re.sub(r"[?#].*", "", href.removeprefix(site_url + "/"))
                                for href in found or []))
    assert DEPENDS_PAGE in listed[:5], listed


_COPY_BUTTONS = """(() => {
  const blocks = document.querySelectorAll('article div.highlight pre').length;
  const buttons = document.querySelectorAll(
    'article div.highlight pre button[data-md-type=copy], article div.highlight pre .md-clipboard'
  ).length;
  return blocks ? [blocks, buttons] : null;
})()"""

# Type the query into Material's search box and return the result links, once there are some.
_SEARCH = """(() => {
  const box = document.querySelector('input[data-md-component=search-query]');
  if (box.value !== 'QUERY') {
    document.querySelector('label[for=__search]').click();
    box.focus(); box.value = 'QUERY';
    box.dispatchEvent(new Event('input', {bubbles: true}));
    box.dispatchEvent(new KeyboardEvent('keyup', {bubbles: true, key: 's'}));
  }
  return [...document.querySelectorAll('.md-search-result__link')].map(a => a.href);
})()"""
