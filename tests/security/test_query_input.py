"""Hostile SPARQL through `kg query`: syntax errors with their position, deep nesting, runaway
queries stopped by --timeout, SERVICE refused, FROM never reading files or the network, and
labels holding HTML/JS printed as text."""

from __future__ import annotations

import csv
import io
import json

import pytest
from kgprobe import CARTESIAN, XSS, assert_one_line_error, free_port, kg

LAB_LABEL = "</script><script>alert('lab')</script>"
MODEL_LABEL = "<img src=x onerror=alert(1)>"
NESTING = "the query nests brackets deeper than 500 levels"


def test_syntax_error_gives_its_position(tmp_path):
    assert_one_line_error(kg("query", "SELECT ?x WHERE { ?x ?y }"), 2,
                          "SPARQL syntax error at 1:")


def test_syntax_error_in_a_query_file_gives_line_and_column(tmp_path):
    path = tmp_path / "bad.rq"
    path.write_text("SELECT ?m\nWHERE {\n  ?m kg:developer ?lab ?extra .\n}\n")
    assert_one_line_error(kg("query", path), 2, "SPARQL syntax error at 3:")


def test_query_file_with_invalid_utf8_is_one_line(tmp_path):
    path = tmp_path / "bad.rq"
    path.write_bytes(b"SELECT * WHERE { ?s ?p \"\xff\xfe\" }")
    assert_one_line_error(kg("query", path), 2, "bad.rq: cannot read the query")


@pytest.mark.parametrize("shape", ["groups", "parentheses"])
def test_two_thousand_nested_levels_do_not_crash(tmp_path, shape):
    depth = 2_000
    body = ("{" * depth + "?s ?p ?o" + "}" * depth if shape == "groups"
            else "FILTER(" + "(" * depth + "true" + ")" * depth + ")")
    path = tmp_path / "deep.rq"
    path.write_text(f"ASK WHERE {{\n{body}\n}}\n")
    # refused before the engine sees it: brackets nest at most 500 deep
    assert_one_line_error(kg("query", path, "--timeout", "10"), 2, NESTING)


def test_twenty_thousand_nested_groups_are_refused_clearly(tmp_path):
    depth = 20_000
    path = tmp_path / "deeper.rq"
    path.write_text("ASK WHERE {\n" + "{" * depth + "?s ?p ?o" + "}" * depth + "\n}\n")
    assert_one_line_error(kg("query", path, timeout=30), 2, NESTING)


def test_five_hundred_nested_groups_are_answered(tmp_path):
    depth = 499  # inside the outer WHERE group: 500 levels in all
    path = tmp_path / "deep.rq"
    path.write_text("ASK WHERE {\n" + "{" * depth + "?s ?p ?o" + "}" * depth + "\n}\n")
    run = kg("query", path, "--timeout", "10")
    assert run.code == 0, run.err[-500:]
    assert run.out.strip() == "true"


def test_long_one_line_query_is_run_as_a_query():
    padding = " ".join(f"?v{i}" for i in range(80))
    query = f"SELECT ?m {padding} WHERE {{ ?m kg:developer org:openai }} LIMIT 1"
    assert len(query) > 300 and "\n" not in query
    run = kg("query", query, "--format", "csv")
    assert run.code == 0, run.err[-1000:]
    assert "Traceback" not in run.err


def test_cartesian_query_is_stopped_by_the_timeout():
    run = kg("query", CARTESIAN, "--timeout", "1", timeout=60)
    assert_one_line_error(run, 3, "timeout of 1 s")
    assert run.seconds < 15


@pytest.mark.parametrize("service", ["http://127.0.0.1:{port}/sparql", "file:///etc/passwd"])
def test_service_is_refused_and_nothing_is_contacted(listener, service):
    target = service.format(port=listener.port)
    run = kg("query", f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}")
    assert_one_line_error(run, 2, "SERVICE clauses are refused")
    assert listener.connections == 0


def test_allowed_service_that_cannot_connect_is_one_line():
    port = free_port()  # nothing listens there
    run = kg("query", "--allow-service",
             f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}")
    assert_one_line_error(run, 2, f"127.0.0.1:{port}")


@pytest.mark.parametrize("source", ["file:///etc/passwd", "http://127.0.0.1:{port}/x"])
def test_from_reads_no_file_and_no_network(listener, source):
    iri = source.format(port=listener.port)
    run = kg("query", f"SELECT ?o FROM <{iri}> WHERE {{ ?s ?p ?o }}", "--format", "csv")
    assert run.code == 1 and run.out == "o\n", (run.code, run.err[-500:])  # no results
    assert run.err == "no results\n"
    assert "root:x:0:0" not in run.out  # /etc/passwd was not read
    assert listener.connections == 0  # nothing was fetched


@pytest.mark.parametrize("source", ["file:///etc/passwd", "http://127.0.0.1:1/x"])
def test_graph_clause_on_a_file_or_url_is_empty(source):
    run = kg("query", f"SELECT ?s WHERE {{ GRAPH <{source}> {{ ?s ?p ?o }} }}", "--format",
             "json")
    assert run.code == 1 and json.loads(run.out)["results"]["bindings"] == []
    assert "no results" in run.err


def test_from_an_unknown_graph_is_empty():
    run = kg("query", "SELECT ?s FROM <file:///etc/passwd> WHERE { ?s ?p ?o } LIMIT 1",
             "--format", "json")
    assert run.code == 1 and json.loads(run.out)["results"]["bindings"] == []


def _labels_query() -> str:
    return ("SELECT ?label WHERE { VALUES ?e { org:xss-lab model:xss-model } "
            "?e rdfs:label ?label } ORDER BY ?label")


def test_html_labels_stay_text_in_sparql_json():
    run = kg("--data", XSS, "query", _labels_query(), "--format", "json")
    assert run.code == 0, run.err
    values = [b["label"]["value"] for b in json.loads(run.out)["results"]["bindings"]]
    assert sorted(values) == sorted([LAB_LABEL, MODEL_LABEL])


def test_html_labels_stay_literal_in_csv():
    run = kg("--data", XSS, "query", _labels_query(), "--format", "csv")
    assert run.code == 0, run.err
    rows = list(csv.reader(io.StringIO(run.out)))
    assert sorted(r[0] for r in rows[1:]) == sorted([LAB_LABEL, MODEL_LABEL])


@pytest.mark.parametrize("fmt", ["markdown", "csv", "json"])
def test_html_labels_stay_literal_in_show(fmt):
    run = kg("--data", XSS, "show", "model:xss-model", "--format", fmt)
    assert run.code == 0, run.err
    text = json.dumps(json.loads(run.out), ensure_ascii=False) if fmt == "json" else run.out
    assert MODEL_LABEL in text
    assert LAB_LABEL in text  # the developer, shown by its label
