"""No false reports: `accord check`'s findings on the 278-app OpenAPI corpus and on the parity
scenarios are exactly the apps written to show that mistake."""

from __future__ import annotations

from accord._cli.check import CheckConfig, apply_config
from accord._compiler.diagnostics import collect_findings
from tests import oracle
from tests.openapi.scenarios import SCENARIOS
from tests.parity.harness import load_scenario, scenario_names


def _load_corpus_app(name: str, source: str) -> object:
    # Warnings (deprecated options some scenarios exercise) are recorded, not raised.
    return oracle.load(oracle.AppSource.snippet(name, source), "accord").module.app


def test_the_openapi_corpus_is_flagged_only_where_the_scenario_is_the_mistake() -> None:
    flagged: dict[str, list[str]] = {}
    for name, source in SCENARIOS:
        reported = apply_config(collect_findings(_load_corpus_app(name, source)), CheckConfig())
        if reported:
            flagged[name] = sorted(r.finding.rule for r in reported)
    assert len(SCENARIOS) >= 278
    # Both are scenarios written to exercise exactly that mistake.
    assert flagged == {
        "body_on_get": ["implicit-body"],
        "duplicate_operation_id": ["duplicate-operation-id"],
    }


def test_the_parity_scenarios_are_not_flagged() -> None:
    names = scenario_names()
    flagged = {}
    for name in names:
        module = load_scenario(name, "accord")
        reported = apply_config(collect_findings(module.app), CheckConfig())
        if reported:
            flagged[name] = [r.finding.text for r in reported]
    assert len(names) >= 19
    assert flagged == {}
