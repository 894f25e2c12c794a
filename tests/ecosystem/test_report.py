"""The ecosystem matrix's bookkeeping (tests/ecosystem/report.py), offline: reading pytest's
JUnit XML, what Accord loses, the page and the README table; and that README.md's table is
the one docs/ecosystem.md gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ecosystem.report import (
    PAGE_TABLE,
    README_TABLE,
    Outcomes,
    SuiteResult,
    counterparts,
    gained_on_accord,
    lost_on_accord,
    parse_junit,
    readme_table,
    render_page,
    replace_between,
)

ROOT = Path(__file__).resolve().parents[2]

JUNIT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" errors="1" failures="1" skipped="2" tests="7">
 <testcase classname="tests.test_api.TestPages" name="test_first[sqlite]"
   file="tests/test_api.py" line="3" time="0.1"/>
 <testcase classname="tests.test_api" name="test_plain" file="tests/test_api.py" line="9"/>
 <testcase classname="tests.test_api" name="test_broken" file="tests/test_api.py" line="12">
  <failure message="AssertionError: assert 8 == 3&#10;second line">traceback</failure>
 </testcase>
 <testcase classname="tests.test_api" name="test_repr" file="tests/test_api.py" line="14">
  <failure message="assert [&lt;warnings.Wa...7fbb22cd6750&gt;] == [&lt;X at 0x7f3a12345678&gt;]"/>
 </testcase>
 <testcase classname="tests.test_api" name="test_later" file="tests/test_api.py" line="20">
  <skipped type="pytest.skip" message="needs redis">skip</skipped>
 </testcase>
 <testcase classname="tests.test_api" name="test_xfail" file="tests/test_api.py" line="25">
  <skipped type="pytest.xfail" message="known"/>
 </testcase>
 <testcase classname="tests.test_api" name="test_teardown" file="tests/test_api.py" line="30"/>
 <testcase classname="tests.test_api" name="test_teardown" file="tests/test_api.py" line="30">
  <error message="failed on teardown with &quot;RuntimeError: left open&quot;">tb</error>
 </testcase>
 <testcase classname="" name="tests.test_gone" time="0.0">
  <error message="collection failure">ImportError: cannot import name 'x'</error>
 </testcase>
</testsuite></testsuites>
"""


def test_junit_outcomes_and_ids() -> None:
    found = parse_junit(JUNIT)
    assert found.outcomes == {
        "tests/test_api.py::TestPages::test_first[sqlite]": "passed",
        "tests/test_api.py::test_plain": "passed",
        "tests/test_api.py::test_broken": "failed",
        "tests/test_api.py::test_repr": "failed",
        "tests/test_api.py::test_later": "skipped",
        "tests/test_api.py::test_xfail": "skipped",
        "tests/test_api.py::test_teardown": "failed",  # the teardown error outranks the pass
        "tests.test_gone": "failed",
    }
    assert found.messages["tests/test_api.py::test_broken"] == "AssertionError: assert 8 == 3"
    assert found.messages["tests/test_api.py::test_teardown"].startswith("failed on teardown")
    assert found.messages["tests.test_gone"] == "collection failure"
    # Addresses change from run to run: the page must not.
    assert found.messages["tests/test_api.py::test_repr"] == "assert [<warnings.Wa...…>] == [<X at …>]"
    assert (found.count("passed"), found.count("failed"), found.count("skipped")) == (2, 4, 2)
    assert found.figures() == "2 / 4 / 2"


def test_lost_are_fastapi_passes_that_do_not_pass_on_accord() -> None:
    on_fastapi = Outcomes({"a": "passed", "b": "passed", "c": "passed", "d": "failed",
                           "e": "skipped", "f": "passed"})
    on_accord = Outcomes({"a": "passed", "b": "failed", "c": "skipped", "d": "passed",
                          "e": "failed"})  # f was not collected on Accord
    assert lost_on_accord(on_fastapi, on_accord) == ["b", "c", "f"]
    assert gained_on_accord(on_fastapi, on_accord) == ["d"]
    assert lost_on_accord(on_fastapi, on_fastapi) == []


def test_ids_made_at_random_are_paired_in_collection_order() -> None:
    on_fastapi = Outcomes({"t.py::test_token[Xq1-HS256]": "passed",
                           "t.py::test_token[Xq1-RS256]": "passed",
                           "t.py::test_other[Xq1]": "passed", "t.py::test_plain": "passed"})
    on_accord = Outcomes({"t.py::test_token[b7Z-HS256]": "passed",
                          "t.py::test_token[b7Z-RS256]": "failed",
                          "t.py::test_plain": "passed"})
    assert counterparts(on_fastapi, on_accord) == {
        "t.py::test_token[Xq1-HS256]": "t.py::test_token[b7Z-HS256]",
        "t.py::test_token[Xq1-RS256]": "t.py::test_token[b7Z-RS256]",
        "t.py::test_other[Xq1]": None,
        "t.py::test_plain": "t.py::test_plain",
    }
    assert lost_on_accord(on_fastapi, on_accord) == [
        "t.py::test_other[Xq1]", "t.py::test_token[Xq1-RS256]"]


def _result(name: str, on_fastapi: dict[str, str], on_accord: dict[str, str],
            messages: dict[str, str] | None = None) -> SuiteResult:
    return SuiteResult(
        name=name, version="1.2.3", tests_source="its sdist",
        deselected="the Redis tests | no server", versions={"fastapi": "0.163.2"},
        on_fastapi=Outcomes(on_fastapi), on_accord=Outcomes(on_accord, messages or {}),
        seconds=12.5,
    )


RESULTS = [
    _result("ext-one", {"t::a": "passed", "t::b": "passed", "t::c": "skipped"},
            {"t::a": "passed", "t::b": "failed", "t::c": "skipped"}, {"t::b": "KeyError: 'x'"}),
    _result("ext-two", {"t::a": "passed", "t::z": "failed"}, {"t::a": "passed", "t::z": "passed"}),
]


def test_the_page_has_the_table_and_each_loss_with_its_reason() -> None:
    page = render_page(RESULTS, "# Title\n\nIntro.", {}, "0.1.0")
    table = page.split(PAGE_TABLE[0])[1].split(PAGE_TABLE[1])[0].strip().splitlines()
    assert table[2] == (
        "| ext-one 1.2.3 | its sdist | the Redis tests \\| no server | 2 / 0 / 1 | 1 / 1 / 1 | 1 |"
    )
    assert table[3].endswith("| 1 / 1 / 0 | 2 / 0 / 0 | 0 |")
    assert "- `t::b`: not explained yet; on Accord: failed: KeyError: 'x'" in page
    assert "None: every test that passes on FastAPI passes on Accord." in page
    assert "Passing on Accord and not on FastAPI: 1 (`t::z`)." in page
    assert "Accord 0.1.0, from this repository." in page
    assert "Resolved: fastapi 0.163.2; 12 s for both runs." in page
    explained = render_page(RESULTS, "# Title", {"ext-one::t::b": "a known difference"}, "0.1.0")
    assert "- `t::b`: a known difference" in explained
    by_message = render_page(RESULTS, "# Title", {"ext-one::~KeyError": "no such key"}, "0.1.0")
    assert "- `t::b`: no such key" in by_message
    by_id = render_page(RESULTS, "# Title", {"ext-one::~t::": "all of t", "ext-two::~t::": "x"},
                        "0.1.0")
    assert "- `t::b`: all of t" in by_id


def test_the_readme_table_is_read_from_the_page() -> None:
    page = render_page(RESULTS, "# Title", {}, "0.1.0")
    assert readme_table(page).splitlines() == [
        "| Extension | Its own tests passing on FastAPI | on Accord | Lost on Accord |",
        "| --- | ---: | ---: | ---: |",
        "| ext-one 1.2.3 | 2 | 1 | 1 |",
        "| ext-two 1.2.3 | 1 | 2 | 0 |",
    ]
    with pytest.raises(ValueError, match="no generated table"):
        readme_table("# A page without the table")


def test_replace_between_keeps_the_rest_and_refuses_bad_markers() -> None:
    text = f"before\n{README_TABLE[0]}\nold\nrows\n{README_TABLE[1]}\nafter\n"
    assert replace_between(text, README_TABLE, "new\n") == (
        f"before\n{README_TABLE[0]}\nnew\n{README_TABLE[1]}\nafter\n"
    )
    for broken in ("no markers", f"{README_TABLE[1]}\n{README_TABLE[0]}",
                   f"{README_TABLE[0]}{README_TABLE[0]}{README_TABLE[1]}"):
        with pytest.raises(ValueError):
            replace_between(broken, README_TABLE, "x")


def test_readme_shows_the_table_of_the_committed_page() -> None:
    page = (ROOT / "docs" / "ecosystem.md").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    expected = replace_between(readme, README_TABLE, readme_table(page))
    assert readme == expected, "README.md's table is stale: run `make ecosystem`"


def test_the_lock_file_pins_all_but_the_frameworks() -> None:
    from tests.ecosystem.suites import UNLOCKED, pinned_lines

    exported = "\n".join([
        "aiosqlite==0.21.0",
        "async-timeout==5.0.1 ; python_full_version < '3.11'",
        "FastAPI==0.142.2",
        "pydantic_core==2.46.5",
        "starlette==1.7.0",
        "fastapi-pagination==0.16.1",
        "-e .",
        "# a comment",
        "sqlalchemy==2.0.54",
    ])
    assert pinned_lines(exported, UNLOCKED | {"fastapi-pagination"}) == [
        "aiosqlite==0.21.0",
        "async-timeout==5.0.1 ; python_full_version < '3.11'",
        "sqlalchemy==2.0.54",
    ]


def test_many_losses_for_one_reason_are_given_once() -> None:
    many = {f"t::test_{n}": "passed" for n in range(8)}
    result = SuiteResult(
        name="ext", version="1", tests_source="its sdist", deselected="", versions={},
        on_fastapi=Outcomes(many), on_accord=Outcomes({}, {}, "pytest stopped (exit 4): boom"),
        seconds=1.0,
    )
    page = render_page([result], "# T", {}, "0.1.0")
    assert ("- 8 tests (`t::test_0`, `t::test_1`, `t::test_2`, ...): not explained yet; "
            "on Accord: not run: pytest stopped (exit 4): boom") in page
    assert "`t::test_7`" not in page
    assert Outcomes.from_json(result.on_accord.to_json()) == result.on_accord
