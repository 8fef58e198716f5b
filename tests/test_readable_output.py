"""Answers people can read at an ordinary 80-column terminal: numbers as people write them,
names instead of ids, nothing a reader needs cut, options where people type them, an
entity's own timeline, helpful query errors."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from kg.cli.main import cli


def run(*args: str, columns: int = 80):
    return CliRunner(env={"COLUMNS": str(columns), "KG_PROGRESS": "0"}).invoke(cli, list(args))


def body(output: str) -> list[str]:
    """The lines that must fit: all but the footnotes (a URL is printed whole)."""
    return [line for line in output.splitlines() if not re.match(r"^ *\[\d+\] ", line)]


#: command -> (arguments, what must be there whole); can-use exits 1 (not "allowed")
COMMANDS = {
    "show": (["show", "round:openai-2025-03"], ["$40B", "$30B", "SoftBank Group", "OpenAI"]),
    "can-use": (["can-use", "Llama 2", "--mau", "800M"],
                ["NEEDS A SEPARATE LICENCE", "700M", "2. Additional Commercial Terms",
                 "Llama 2 Community License Agreement", "Meta"]),
    "claims": (["claims"], ["We will not do anything silly like saying that you can't use our",
                            "Sam Altman", "KEPT"]),
    "timeline": (["timeline", "OpenAI"], ["GPT-2", "$40B", "OpenAI"]),
    "summary": (["summary"], ["OpenAI", "Models per lab"]),
    "ask --list": (["ask", "--list"], ["commercial-use-at-mau", "open-weight-releases"]),
    "funding-round": (["ask", "funding-round", "-p", "round=round:openai-2025-03"],
                      ["round: OpenAI $40B round (March 2025)", "SoftBank Group", "30B"]),
    "compare": (["compare", "Llama 2", "gpt-oss-120b"], ["Llama 2", "gpt-oss-120b"]),
}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_nothing_that_matters_is_cut_at_80_columns(name):
    args, musts = COMMANDS[name]
    result = run(*args)
    assert result.exit_code == (1 if name == "can-use" else 0), result.output
    lines = body(result.output)
    assert max(len(line) for line in lines) <= 80
    assert "…" not in result.output
    text = result.output
    flat = " ".join(text.split())  # a long quote wraps: its words stay in order
    for must in musts:
        assert must in text or must in flat, must


def test_sources_are_whole_numbered_footnotes():
    result = run("show", "round:openai-2025-03")
    notes = [line for line in result.output.splitlines() if re.match(r"^\[\d+\] ", line)]
    assert "[2] https://verdict.co.uk/openai-secures-40bn-in-softbank-led-funding-round" in notes


def test_json_and_csv_keep_exact_values_and_ids():
    rows = json.loads(run("timeline", "OpenAI", "--format", "json").output)
    round_ = next(r for r in rows if r["label"] == "OpenAI $40B round (March 2025)")
    assert (round_["detail"], round_["lab"]) == ("40000000000 USD", "org:openai")
    assert "40000000000 USD" in run("timeline", "OpenAI", "--format", "csv").output


@pytest.mark.parametrize("args", [
    ["summary", "--as-of", "1990-01-01", "--format", "json"],
    ["--as-of", "1990-01-01", "summary", "--format", "json"],
    ["--format", "json", "--as-of", "1990-01-01", "summary"],
    ["--format", "json", "summary", "--as-of", "1990-01-01"],
])
def test_options_where_people_type_them(args):
    result = run(*args)
    assert result.exit_code == 0, result.output
    counts = {r["type"]: r["count"] for r in json.loads(result.output)["counts"]}
    # nothing of the landscape existed yet: no model, family, round or valuation
    assert (counts["Model"], counts["ModelFamily"], counts["FundingRound"],
            counts["Valuation"]) == (0, 0, 0, 0)


def test_before_their_dates_labs_and_licences_are_not_there():
    past = json.loads(run("--as-of", "2014-01-01", "query", "SELECT ?x WHERE { "
                          "VALUES ?x { org:openai org:anthropic org:google lic:gemma-terms "
                          "spdx:MIT spdx:Apache-2.0 } ?x a ?t }", "--format", "json").output)
    found = {b["x"]["value"].rsplit("/", 1)[-1] for b in past["results"]["bindings"]}
    # Google (1998) and Apache-2.0 (2004) existed; OpenAI (2015), Anthropic (2021) and the
    # Gemma terms (first used 2024) did not; MIT has no date but its first model came later
    assert found == {"google", "Apache-2.0"}


def test_data_and_sources_after_the_command(tmp_path):
    mine = tmp_path / "mine.ttl"
    mine.write_text("@prefix kg: <https://w3id.org/ai-landscape-kg/ontology#> .\n"
                    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
                    "<https://example.org/acme> a kg:Lab ; rdfs:label \"Acme AI\" .\n")
    result = run("show", "Acme AI", "--data", str(mine), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["label"] == "Acme AI"


def test_an_entitys_timeline_holds_its_own_events():
    own = json.loads(run("timeline", "OpenAI", "--format", "json").output)
    # its own: its lab's events, and statements about it (an S-1 filing, no lab)
    assert {r["lab"] for r in own} == {"org:openai", None}
    assert all(r["lab"] == "org:openai" or "OpenAI" in r["detail"] for r in own)
    wider = json.loads(run("timeline", "OpenAI", "--with-competitors", "--format",
                           "json").output)
    others = {r["lab"] for r in wider} - {"org:openai", None}
    assert len(wider) > len(own) and len(others) >= 3
    chatgpt = json.loads(run("timeline", "ChatGPT", "--format", "json").output)
    assert {r["kind"] for r in chatgpt} == {"product launch", "user count"}
    assert chatgpt[0]["date"] == "2022-11-30"


@pytest.mark.parametrize("query, words", [
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "kg query is read-only: INSERT"),
    ("LOAD <http://example.org/x>", "kg query is read-only: LOAD"),
    ("SELECT * WHERE { ?s foo:bar ?o }", "unknown prefix 'foo:' at 1:21; known prefixes:"),
])
def test_query_errors_are_one_helpful_line(query, words):
    result = run("query", query)
    assert result.exit_code == 2 and words in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_mistyped_class_names_the_closest_term():
    result = run("query", "SELECT ?m WHERE { ?m a kg:Modell }")
    assert result.exit_code == 1
    assert "no such term in the ontology: kg:Modell (closest: kg:Model" in result.output


def test_progress_goes_to_stderr_only_when_asked(tmp_path):
    quiet = CliRunner(env={"KG_PROGRESS": "0"}).invoke(cli, ["--no-cache", "summary"])
    assert "fusing" not in quiet.output
    loud = CliRunner(env={"KG_PROGRESS": "1"}).invoke(cli, ["--no-cache", "summary",
                                                            "--format", "json"])
    assert loud.exit_code == 0
    assert "fusing the sources into one landscape..." in loud.stderr
    json.loads(loud.stdout)  # stdout stays clean JSON
