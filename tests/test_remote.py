"""A remote SPARQL endpoint as the store: a real Oxigraph server started by the test."""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from kgprobe import free_port

import kg
from kg.cli.main import cli
from kg.landscape import Landscape
from kg.namespaces import PREFIXES
from kg.queries.questions import all_questions
from kg.store.remote import with_values

NAMED_GRAPH = Path(__file__).parent / "fixtures" / "remote" / "named-graph.trig"
MODEL = "https://w3id.org/ai-landscape-kg/id/model/"


@contextlib.contextmanager
def oxigraph_server(location: Path, *options: str) -> Iterator[str]:
    """A real `oxigraph serve` on a free loopback port; yields its base URL."""
    binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(binary).exists():
        pytest.fail("the oxigraph server (PyPI package oxigraph) must be installed")
    port = free_port()
    process = subprocess.Popen(
        [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
         *options], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("oxigraph server did not start")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph"), "--union-default-graph") as base:
        yield base


@pytest.fixture(scope="module")
def pushed(server):
    result = CliRunner().invoke(cli, ["push", "--endpoint", server + "/store"])
    assert result.exit_code == 0, result.output
    return Landscape.load(endpoint=server + "/query")


def test_push_sends_every_triple(landscape, pushed):
    assert len(pushed.store) == len(landscape.store)


@pytest.mark.parametrize("name", sorted(all_questions()))
def test_named_questions_agree_with_the_embedded_store(landscape, pushed, answers, name):
    assert answers(pushed, name) == answers(landscape, name)


@pytest.mark.parametrize("args", [["summary", "--format", "json"],
                                  ["show", "llama 2", "--format", "json"],
                                  ["compare", "Llama 2", "gpt-oss-120b", "--format", "json"],
                                  ["can-use", "llama 2", "--mau", "800M", "--format", "json"],
                                  ["analyze", "permissiveness", "--format", "json"]])
def test_read_commands_answer_the_same_remotely(pushed, server, args):
    local = CliRunner().invoke(cli, args)
    remote = CliRunner().invoke(cli, ["--endpoint", server + "/query", *args])
    assert remote.exit_code == local.exit_code, remote.output
    assert json.loads(remote.output) == json.loads(local.output)


def test_query_command_remotely(pushed, server):
    result = CliRunner().invoke(cli, ["--endpoint", server + "/query", "query",
                                      "SELECT ?d WHERE { model:gpt-2 kg:releaseDate ?d }",
                                      "--format", "csv"])
    assert result.exit_code == 0 and "2019-02-14" in result.output
    bad = CliRunner().invoke(cli, ["--endpoint", server + "/query", "query", "SELECT ?x {"])
    assert bad.exit_code == 2 and "rejected the query" in bad.output


def test_update_protocol_push(server):
    result = CliRunner().invoke(cli, ["push", "--endpoint", server + "/update",
                                      "--method", "update"])
    assert result.exit_code == 0, result.output


def test_unreachable_endpoint_is_one_line():
    port = free_port()
    result = CliRunner().invoke(cli, ["--endpoint", f"http://127.0.0.1:{port}/query",
                                      "summary"])
    assert result.exit_code == 2
    assert "cannot connect" in result.output and "Traceback" not in result.output


# -- bindings -----------------------------------------------------------------------------
def test_a_binding_holds_in_a_query_without_where(pushed):
    """`ASK { ?entity ?p ?o }` has no WHERE keyword: the bound ?entity must still hold."""
    query = "ASK { ?entity ?p ?o }"
    assert pushed.store.query(query, {"entity": ox.NamedNode(MODEL + "llama-2")}).boolean
    assert not pushed.store.query(query, {"entity": ox.NamedNode(MODEL + "no-such")}).boolean
    rows = pushed.store.select("SELECT ?p WHERE { ?entity ?p ?o } ORDER BY ?p LIMIT 1",
                               {"entity": ox.NamedNode(MODEL + "no-such")})
    assert rows == []


def test_a_binding_reaches_filters_and_sub_selects(landscape, pushed):
    """A bound value is seen inside FILTERs, NOT EXISTS and sub-selects (as the embedded
    engines see it), not joined after them as a trailing VALUES would be."""
    query = ("SELECT ?m ?asOf WHERE { { SELECT ?m ?asOf WHERE { ?m kg:releaseDate ?d "
             "FILTER (?d <= ?asOf) } } FILTER NOT EXISTS { ?m kg:releaseDate ?e "
             "FILTER (?e > ?asOf) } } ORDER BY ?m")
    day = {"asOf": ox.Literal("2020-01-01", datatype=ox.NamedNode(
        "http://www.w3.org/2001/XMLSchema#date"))}
    local = landscape.store.select(query, day)
    assert local == pushed.store.select(query, day) and 0 < len(local) < 10


@pytest.mark.parametrize("path", sorted(Path(kg.__file__).parent.joinpath("queries")
                                        .rglob("*.rq")), ids=lambda p: p.stem)
def test_every_shipped_query_takes_a_values_block(path):
    """Each shipped query, with one of its variables bound, still parses: the VALUES block
    lands where the grammar allows one (each WHERE clause, or after the query)."""
    text = path.read_text(encoding="utf-8")
    assigned = set(re.findall(r"\bAS\s+\?(\w+)", text))
    name = next(v for v in dict.fromkeys(re.findall(r"\?(\w+)", text)) if v not in assigned)
    bound = with_values(text, {name: ox.Literal("1")})
    assert bound.count("VALUES (?" + name + ")") == 1 + len(re.findall(r"\{\s*SELECT\b",
                                                                     text))
    ox.Store().query(bound, prefixes=PREFIXES)  # raises SyntaxError if it no longer parses


def test_a_value_never_becomes_syntax(pushed):
    tricky = ox.Literal('x" } } DELETE WHERE { ?s ?p ?o } #\n{', language="en")
    rows = pushed.store.select("SELECT ?v WHERE { BIND (?v AS ?w) }", {"v": tricky})
    assert rows == [{"v": tricky.value}]
    assert len(pushed.store) > 0


@pytest.mark.parametrize("name, code", [("model:llama-2", 0), ("model:no-such-model", 1)])
def test_show_an_id_remotely(pushed, server, name, code):
    result = CliRunner().invoke(cli, ["--endpoint", server + "/query", "show", name])
    assert result.exit_code == code, result.output


# -- as of a date, selected by the server ------------------------------------------------------
@pytest.fixture(scope="module", params=["union-default-graph", "plain"])
def extra_server(request, tmp_path_factory):
    """A server holding the shipped graph and a named graph, with or without
    --union-default-graph (plain `oxigraph serve` keeps named graphs out of the default)."""
    options = ("--union-default-graph",) if request.param != "plain" else ()
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph"), *options) as base:
        result = CliRunner().invoke(cli, ["--data", str(NAMED_GRAPH), "push", "--endpoint",
                                          base + "/store"])
        assert result.exit_code == 0, result.output
        yield base


@pytest.mark.parametrize("day", ["2020-01-01", "2022-01-01"])
def test_as_of_summary_remotely(extra_server, day):
    local = CliRunner().invoke(cli, ["--data", str(NAMED_GRAPH), "--as-of", day, "summary",
                                     "--format", "json"])
    remote = CliRunner().invoke(cli, ["--endpoint", extra_server + "/query", "--as-of", day,
                                      "summary", "--format", "json"])
    assert local.exit_code == remote.exit_code == 0, remote.output
    models = [c["count"] for c in json.loads(local.output)["counts"] if c["type"] == "Model"]
    assert models == [c["count"] for c in json.loads(remote.output)["counts"]
                      if c["type"] == "Model"]
    assert json.loads(remote.output) == json.loads(local.output)


def test_as_of_keeps_the_same_quads_and_graphs(extra_server):
    day = date(2020, 1, 1)
    local = Landscape.load([NAMED_GRAPH], as_of=day, cache=False).store
    remote = Landscape.load(endpoint=extra_server + "/query", as_of=day).store

    def named(store) -> set[ox.Quad]:  # blank node labels differ between stores
        return {q for q in store.quads() if not isinstance(q.subject, ox.BlankNode)
                and not isinstance(q.object, ox.BlankNode)}

    assert len(remote) == len(local)
    assert named(remote) == named(local)
    graph = ox.NamedNode("https://example.org/graph/extra")
    kept = {q.subject.value for q in remote.quads() if q.graph_name == graph}
    assert kept == {MODEL + "remote-test-earlier"}
