"""`kg validate`: the shipped data conforms; every rule rejects a file that breaks it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli.main import cli
from kg.landscape import Landscape

INVALID = Path(__file__).parent / "fixtures" / "invalid"

# fixture file -> (focus node, words the message must contain)
EXPECTED = {
    "model-with-bad-developer.ttl": ("model:test-bad-developer", "is a kg:Organization"),
    "model-with-two-openness-levels.ttl": ("model:test-two-levels", "at most one openness level"),
    "model-without-source.ttl": ("model:test-no-source", "at least one source"),
    "round-without-date.ttl": ("round:test-no-date", "exactly one date"),
    "valuation-without-source.ttl": ("valuation:test-no-source", "at least one source"),
    "observation-without-value.ttl": ("obs:test-no-value", "exactly one value"),
    "amount-without-currency.ttl": ("valuation:test-no-currency", "currency"),
    "dangling-reference.ttl": ("org:open-ai", "defined nowhere"),
    "statement-without-language.ttl": ("stmt:test-no-language", "language tag"),
    "licence-term-without-clause.ttl": ("lic:test-no-clause", "clause"),
    "source-without-location.ttl": ("src:test-nowhere", "URL"),
}


def test_shipped_data_conforms(report):
    assert report.conforms, report.text()
    assert report.triples > 2000


def test_every_fixture_has_an_expectation():
    assert {p.name for p in INVALID.glob("*.ttl")} == set(EXPECTED)


@pytest.fixture(scope="module")
def invalid_report():
    return Landscape.load(sorted(INVALID.glob("*.ttl")), cache=False,
                          sources=["curated"]).validate()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_rule_rejects(invalid_report, name):
    focus, words = EXPECTED[name]
    hits = [v for v in invalid_report.violations if v.focus.startswith(focus)]
    assert hits, f"{name}: no violation for {focus}"
    assert any(words in v.message for v in hits), [v.message for v in hits]
    assert all(f"tests/fixtures/invalid/{name}" in v.files for v in hits)


def test_cli_valid_exits_0():
    # the whole shipped landscape is validated by test_shipped_data_conforms (the report
    # fixture); here the curated sources, to keep the command's run short
    result = CliRunner().invoke(cli, ["--sources", "curated", "validate"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("valid:")


def test_cli_invalid_exits_1_and_names_node_rule_and_file():
    bad = INVALID / "model-with-bad-developer.ttl"
    result = CliRunner().invoke(cli, ["--sources", "curated", "validate", str(bad),
                                      "--format", "json"])
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["conforms"] is False
    (violation,) = report["violations"]
    assert violation["focus"] == "model:test-bad-developer"
    assert violation["path"] == "kg:developer"
    assert violation["files"] == ["tests/fixtures/invalid/model-with-bad-developer.ttl"]


def test_cli_text_report_is_readable():
    bad = INVALID / "amount-without-currency.ttl"
    result = CliRunner().invoke(cli, ["--sources", "curated", "validate", str(bad)])
    assert result.exit_code == 1
    assert "invalid: 1 violation(s)" in result.output
    assert "valuation:test-no-currency" in result.output
    assert "file: tests/fixtures/invalid/amount-without-currency.ttl" in result.output


def test_curated_models_state_developer_level_and_date():
    """The shapes let a model known only from public datasets lack these facts (no source
    states them); a curated model always states each."""
    landscape = Landscape.load(sources=["curated"])
    missing = landscape.query("""SELECT ?m ?p WHERE {
        ?m a kg:Model . VALUES ?p { kg:developer kg:opennessLevel kg:releaseDate }
        FILTER NOT EXISTS { ?m ?p ?any } }""")
    assert missing == []
    assert landscape.query("SELECT (COUNT(*) AS ?n) WHERE { ?m a kg:Model }")[0]["n"] >= 69
