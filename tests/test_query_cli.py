"""`kg query`: every query form and output format; syntax errors, SERVICE, timeouts."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli.main import cli

SELECT = "SELECT ?model ?date WHERE { ?model kg:developer org:openai ; kg:releaseDate ?date } " \
         "ORDER BY ?date LIMIT 3"


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(cli, ["query", *args], input=stdin)


def test_select_table():
    result = run(SELECT)
    assert result.exit_code == 0, result.output
    assert "model:gpt-2" in result.output and "2019-02-14" in result.output


def test_select_sparql_results_json():
    data = json.loads(run(SELECT, "--format", "json").output)
    assert data["head"]["vars"] == ["model", "date"]
    first = data["results"]["bindings"][0]
    assert first["model"] == {"type": "uri",
                              "value": "https://w3id.org/ai-landscape-kg/id/model/gpt-2"}
    assert first["date"]["datatype"] == "http://www.w3.org/2001/XMLSchema#date"
    # the JSON is standard: pyoxigraph's results parser reads it back
    parsed = ox.parse_query_results(json.dumps(data), format=ox.QueryResultsFormat.JSON)
    assert len(list(parsed)) == 3


def test_select_csv_and_tsv():
    rows = list(csv.reader(io.StringIO(run(SELECT, "--format", "csv").output)))
    assert rows[0] == ["model", "date"] and len(rows) == 4
    tsv = run(SELECT, "--format", "tsv").output.splitlines()
    assert tsv[0] == "?model\t?date"
    assert tsv[1].startswith("<https://w3id.org/ai-landscape-kg/id/model/gpt-2>\t\"2019-02-14\"")


def test_select_sparql_results_xml_round_trips():
    """`--format xml` is SPARQL Results XML that pyoxigraph reads back to the same terms as
    the JSON (IRIs, typed and language-tagged literals, blank nodes, unbound values)."""
    query = ("SELECT ?model ?date ?en ?amount ?missing WHERE { VALUES ?model { model:gpt-2 "
             "model:llama-2 } ?model kg:releaseDate ?date ; rdfs:label ?label . "
             "OPTIONAL { ?model kg:nothing ?missing } BIND (STRLANG(?label, \"en\") AS ?en) "
             "OPTIONAL { ?model kg:componentOpenness ?amount } } ORDER BY ?model LIMIT 4")
    result = run(query, "--format", "xml")
    assert result.exit_code == 0, result.output
    parsed = ox.parse_query_results(result.output.encode(), format=ox.QueryResultsFormat.XML)
    assert [v.value for v in parsed.variables] == ["model", "date", "en", "amount", "missing"]
    from_xml = [tuple(s) for s in parsed]
    from_json = [tuple(s) for s in ox.parse_query_results(
        run(query, "--format", "json").output.encode(), format=ox.QueryResultsFormat.JSON)]
    assert from_xml == from_json and len(from_xml) == 4
    assert from_xml[0][0] == ox.NamedNode("https://w3id.org/ai-landscape-kg/id/model/gpt-2")
    assert from_xml[0][1] == ox.Literal("2019-02-14", datatype=ox.NamedNode(
        "http://www.w3.org/2001/XMLSchema#date"))
    assert from_xml[0][2] == ox.Literal("GPT-2", language="en")
    assert all(isinstance(row[3], ox.BlankNode) and row[4] is None for row in from_xml)
    ask = run("ASK { model:gpt-2 kg:developer org:meta }", "--format", "xml").output
    assert bool(ox.parse_query_results(ask.encode(), format=ox.QueryResultsFormat.XML)) is False


def test_ask():
    assert run("ASK { model:gpt-2 kg:developer org:openai }").output.strip() == "true"
    data = json.loads(run("ASK { model:gpt-2 kg:developer org:meta }", "--format", "json").output)
    assert data == {"head": {}, "boolean": False}


@pytest.mark.parametrize("fmt, syntax", [("ttl", ox.RdfFormat.TURTLE),
                                         ("nt", ox.RdfFormat.N_TRIPLES),
                                         ("jsonld", ox.RdfFormat.JSON_LD)])
def test_construct_and_describe(fmt, syntax):
    for query in ("CONSTRUCT WHERE { model:llama-2 kg:licence ?l }", "DESCRIBE model:llama-2"):
        result = run(query, "--format", fmt)
        assert result.exit_code == 0, result.output
        triples = list(ox.parse(result.output.encode(), format=syntax))
        assert any(t.object.value.endswith("licence/llama-2-community") for t in triples)


def test_query_from_file_and_stdin(tmp_path):
    path = tmp_path / "q.rq"
    path.write_text(SELECT)
    assert "model:gpt-2" in run(str(path)).output
    assert "model:gpt-2" in run("-", stdin=SELECT).output


def test_syntax_error_names_the_position():
    result = run("SELECT ?x WHERE { ?x ?p }")
    assert result.exit_code == 2
    assert result.output.startswith("Error: SPARQL syntax error at 1:")
    assert "Traceback" not in result.output


def test_service_is_refused_unless_allowed():
    result = run("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert result.exit_code == 2
    assert "SERVICE clauses are refused" in result.output
    # the word inside a string or an IRI is not a SERVICE clause
    ok = run('SELECT ?x WHERE { BIND ("SERVICE" AS ?x) }')
    assert ok.exit_code == 0


def test_empty_result_exits_1():
    result = run("SELECT ?m WHERE { ?m kg:developer org:nobody }")
    assert result.exit_code == 1
    assert "no results" in result.output


def test_format_must_fit_the_query_form():
    assert run("CONSTRUCT WHERE { ?s a kg:Lab }", "--format", "csv").exit_code == 2
    assert run(SELECT, "--format", "ttl").exit_code == 2


def test_timeout_stops_a_runaway_query_in_a_real_process():
    cartesian = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    run_ = subprocess.run([sys.executable, "-m", "kg", "query", "--timeout", "1", cartesian],
                          capture_output=True, text=True, timeout=60)
    assert run_.returncode == 3
    assert run_.stderr.strip() == "Error: query stopped after its timeout of 1 s"
